"""Tone marks OCR misread, put right from the words around them (docmgr.ocr.tones): the lines below are lines
Tesseract read from degraded scans of the labelled documents (tests/data/extraction/ocr), and typed text that
must come out as it went in. Pure: no Tesseract needed."""

from __future__ import annotations

import gzip
import json
import lzma
from pathlib import Path

import pytest

from docmgr.ocr import lines_from_words
from docmgr.ocr.tesseract import Word
from docmgr.ocr.tones import join_lone_letters, part_run_together, restore_tones
from docmgr.text.language import MODEL_PATH, count_syllables, default_model, read_model, write_model
from tests.conftest import SAMPLES


ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "vn-pages.jsonl.xz"  # the brief's ../shared, beside the project


@pytest.mark.parametrize("read, meant", [
    ("SỬA ĐỔI, BỐ SUNG MỘT SỐ ĐIỀU CỦA QUY ĐỊNH CÁC CHÍNH", "SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA QUY ĐỊNH CÁC CHÍNH"),
    ("- VỀ VIỆC SỬA ĐỐI, BỔ SUNG QUY ĐỊNH VỀ PHÍ THAM QUAN", "- VỀ VIỆC SỬA ĐỔI, BỔ SUNG QUY ĐỊNH VỀ PHÍ THAM QUAN"),
    ("THUỘC THẤM QUYỀN GIẢI QUYẾT CỦA SỞ", "THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA SỞ"),
    ("Căn cứ Nghị định số 120/2016/NĐ-CP quy định chỉ tiết và hướng dẫn thi hành một",
     "Căn cứ Nghị định số 120/2016/NĐ-CP quy định chi tiết và hướng dẫn thi hành một"),
    ("Nguyên Sỹ Hiệp", "Nguyễn Sỹ Hiệp"),
    ("PHÓ CHỦ TICH", "PHÓ CHỦ TỊCH"),
    # a vowel read twice with two marks: its neighbours tell which of the two was printed
    ("VỀ VIỆC SỬA ĐỔI, BỔỐ SUNG QUY ĐỊNH VỀ PHÍ", "VỀ VIỆC SỬA ĐỔI, BỔ SUNG QUY ĐỊNH VỀ PHÍ"),
    ("PHÓ CHÁNH VĂN PHÒNG THƯỜNG TRỤỰC", "PHÓ CHÁNH VĂN PHÒNG THƯỜNG TRỰC"),
])
def test_a_tone_mark_misread_is_put_right_by_its_neighbours(read, meant):
    assert restore_tones(read) == meant


@pytest.mark.parametrize("read, before, meant", [
    ("THIẾU SỐ VÀ MIỀN NÚI GIAI ĐOẠN 2026-2035", "tộc", "THIỂU SỐ VÀ MIỀN NÚI GIAI ĐOẠN 2026-2035"),
    ("ĐỀ ĐIỀU VÀ PHÒNG, CHỐNG THIÊN TAI", "lý", "ĐÊ ĐIỀU VÀ PHÒNG, CHỐNG THIÊN TAI"),
    ("ĐỀ ĐIỀU VÀ PHÒNG, CHỐNG THIÊN TAI", None, "ĐỀ ĐIỀU VÀ PHÒNG, CHỐNG THIÊN TAI"),  # alone, nothing to go by
    ("- ĐỀ ĐIỀU VÀ PHÒNG", "lý", "- ĐỀ ĐIỀU VÀ PHÒNG"),  # a dash parts the line from the one above
])
def test_a_wrapped_line_is_read_with_the_word_ending_the_line_above(read, before, meant):
    """«… QUẢN LÝ / ĐỀ ĐIỀU …»: the first word of a wrapped line has its left neighbour on the line above."""
    assert restore_tones(read, before=before) == meant


@pytest.mark.parametrize("line", [
    "Bộ Văn hoá, Thể thao và Du lịch; UBND tỉnh (để b/c);",  # the new tone placement «hoá» is kept
    "KHÓA XV, KỲ HỌP THỨ VI",  # numerals and abbreviations are not syllables
    "các xã Đông Hưng, Đông Thới, Hưng Mỹ",  # names in a line of small letters
    "Số: 1594/QĐ-TTPVHCC   Hà Nội, ngày 28 tháng 11 năm 2025",
    "h****ành m****ột số điều",  # letters glued to markup are fragments, left alone
    "Trần Văn Thuấn",  # a signer's name: the pairs of official text would make «Thuận» of it
    "Lâm Văn Bi",
    "",
])
def test_what_reads_right_stays_as_it_was(line):
    assert restore_tones(line) == line


def test_typed_text_is_left_almost_untouched():
    """The samples' typed text through the same decoding: at most one word in a thousand changes (those that
    do are mostly the text's own typos: «sự chuyên biến», «đai ngộ»). Only OCR text goes through it."""
    words = changed = 0
    for path in sorted(SAMPLES.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            before, after = line.split(), restore_tones(line).split()
            assert len(before) == len(after)
            words += len(before)
            changed += sum(a != b for a, b in zip(before, after))
    assert words > 10000
    assert changed <= words / 1000


@pytest.mark.parametrize("read, meant", [
    ("DANH MỤC THỦ TỤC HÀNH CHÍNHVÀ PHÊ DUYỆT QUY TRÌNH", "DANH MỤC THỦ TỤC HÀNH CHÍNH VÀ PHÊ DUYỆT QUY TRÌNH"),
    ("HỘI ĐỒNG NHÂN DÂN THÀNH PHỐHÀNỘI", "HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI"),  # three syllables
    ("- Ủy ban Công tác đại biểu của Quốchội;", "- Ủy ban Công tác đại biểu của Quốc hội;"),
    ("- Văn phòng Chủ tịchnước;", "- Văn phòng Chủ tịch nước;"),
    ("UBND, KSTTHC, TTĐT, NN&MT", "UBND, KSTTHC, TTĐT, NN&MT"),  # abbreviations are no syllables however cut
    ("chủ nghĩa Mác-Lênin, đạo Kitô, 100 đôla", "chủ nghĩa Mác-Lênin, đạo Kitô, 100 đôla"),  # a part with no mark
    ("website, email, Hanoi, Nướợ", "website, email, Hanoi, Nướợ"),  # no mark; no pair the corpus has seen
])
def test_words_ocr_ran_together_are_parted(read, meant):
    assert part_run_together(read) == meant


@pytest.mark.parametrize("read, meant", [
    ("trong việc triển khai N ghi định 136/2025/", "trong việc triển khai Nghi định 136/2025/"),
    ("B Ộ LAO ĐỘNG - THƯƠNG BINH V À XÃ HỘI", "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"),
    ("theo điểm b khoản 2, mục c Phần I, Phụ lục V kèm theo", "theo điểm b khoản 2, mục c Phần I, Phụ lục V kèm theo"),
    ("ý kiến à ơi, X quang", "ý kiến à ơi, X quang"),  # a letter that is a word; no syllable the corpus has seen
])
def test_a_letter_set_apart_from_its_syllable_is_joined_again(read, meant):
    assert join_lone_letters(read) == meant


def test_typed_text_has_few_words_run_together():
    """The samples' typed text: at most one word in five thousand is parted (what is, is the text's own typo)."""
    words = changed = 0
    for path in sorted(SAMPLES.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            words += len(line.split())
            changed += len(part_run_together(line).split()) - len(line.split())
    assert words > 10000
    assert changed <= words / 5000


def test_ocr_lines_come_out_with_their_tones_put_right():
    def word(text, left):
        return Word(text, 95, left, 240, 40 * len(text), 40, 1, 1, 1)

    words = [word("CÔNG", 400), word("BỐ", 600), word("BỐ", 720), word("SUNG", 840)]
    assert [line.text for line in lines_from_words(words, 1, 300)] == ["CÔNG BỐ BỔ SUNG"]


def test_the_lines_a_paragraph_wraps_over_lend_each_other_their_end_words():
    def words(texts, top, paragraph, line, left=400):
        out = []
        for text in texts.split():
            out.append(Word(text, 95, left, top, 40 * len(text), 40, 1, paragraph, line))
            left += 40 * len(text) + 20
        return out

    wrapped = words("VÙNG ĐỒNG BÀO DÂN TỘC", 240, 1, 1) + words("THIẾU SỐ VÀ MIỀN NÚI", 300, 1, 2)
    assert [line.text for line in lines_from_words(wrapped, 1, 300)] == ["VÙNG ĐỒNG BÀO DÂN TỘC",
                                                                        "THIỂU SỐ VÀ MIỀN NÚI"]
    apart = words("VÙNG ĐỒNG BÀO DÂN TỘC", 240, 1, 1) + words("THIẾU SỐ VÀ MIỀN NÚI", 300, 2, 1)
    assert lines_from_words(apart, 1, 300)[1].text == "THIẾU SỐ VÀ MIỀN NÚI"  # another paragraph
    # the line above is two columns (a closing's «Nơi nhận» | title): its end is not this line's neighbour
    columns = (words("VÙNG ĐỒNG", 240, 1, 1) + words("BÀO DÂN TỘC", 240, 1, 1, left=2000)
               + words("THIẾU SỐ VÀ MIỀN NÚI", 300, 1, 2))
    assert lines_from_words(columns, 1, 300)[-1].text == "THIẾU SỐ VÀ MIỀN NÚI"


def test_the_model_counts_syllables_and_neighbouring_pairs_only():
    text = "Bổ sung quy định. Bổ sung quy định\nbổ sung, UBND bổ sung 2025 quy định"
    model = count_syllables([text], min_syllable=1, min_pair=1)
    assert model.syllables["bổ"] == 4 and "ubnd" not in model.syllables  # abbreviations are no syllables
    assert model.pairs["bổ sung"] == 4 and model.pairs["quy định"] == 3
    assert model.pairs["sung quy"] == 2 and "định bổ" not in model.pairs  # not across «.», a line, «2025»
    assert "ubnd bổ" not in model.pairs  # a pair with a word that is not a syllable is dropped with it
    pruned = count_syllables([text], min_syllable=4, min_pair=3)
    assert set(pruned.syllables) == {"bổ", "sung"} and set(pruned.pairs) == {"bổ sung"}


def test_the_model_file_round_trips_and_is_reproducible(tmp_path):
    model = count_syllables(["Thẩm quyền giải quyết của Sở", "thẩm quyền giải quyết"], min_syllable=1,
                            min_pair=1, source="hai dòng")
    write_model(model, tmp_path / "a.tsv.gz")
    write_model(read_model(tmp_path / "a.tsv.gz"), tmp_path / "b.tsv.gz")
    assert (tmp_path / "a.tsv.gz").read_bytes() == (tmp_path / "b.tsv.gz").read_bytes()
    again = read_model(tmp_path / "a.tsv.gz")
    assert again.syllables == model.syllables and again.pairs == model.pairs and again.source == "hai dòng"


def test_the_shipped_model_says_how_it_was_made():
    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as fh:
        first = fh.readline()
    assert first.startswith("# vn-pages.jsonl.xz:") and "bị bỏ" in first
    model = default_model()
    assert len(model.syllables) > 5000 and len(model.pairs) > 100000
    assert model.pairs["bổ sung"] > 100 * model.pairs.get("bố sung", 1)


def test_eval_tone_model_leaves_the_labelled_pages_out(runner, tmp_path):
    corpus = tmp_path / "corpus.jsonl.xz"
    pages = [{"name": "a.md", "text": "thẩm quyền giải quyết\n" * 5},
             {"name": "b.md", "text": "Số: 12/QĐ-UBND về thẩm định giá\n" * 5},  # quotes a labelled number
             {"name": "c.md", "text": "bổ sung quy định\n" * 5}]
    corpus.write_bytes(lzma.compress("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages).encode()))
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "expected.json").write_text(json.dumps([{"file": "a.md", "number": "12/QĐ-UBND"}]), encoding="utf-8")
    out = tmp_path / "model.tsv.gz"
    result = runner.invoke(args=["docmgr", "eval", "tone-model", str(corpus), "--leave-out", str(labels),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "(2 trang bị bỏ)" in result.output
    model = read_model(out)
    assert model.pairs == {"bổ sung": 5, "sung quy": 5, "quy định": 5}
    assert model.source.startswith("corpus.jsonl.xz: 1 trang")

    (tmp_path / "broken.jsonl").write_text("{not json\n", encoding="utf-8")
    result = runner.invoke(args=["docmgr", "eval", "tone-model", str(tmp_path / "broken.jsonl"), "--out", str(out)])
    assert result.exit_code != 0 and "Không đọc được kho văn bản" in result.output


@pytest.mark.slow
def test_the_shipped_model_is_the_corpus_counted_without_the_labelled_documents(runner, tmp_path):
    """The table in docmgr/ocr is what ``docmgr eval tone-model`` counts from the shared corpus with the
    labelled set left out (the evaluation never scores text the model has seen); about a minute."""
    if not CORPUS.exists():
        pytest.skip(f"the shared corpus is not beside the project ({CORPUS})")
    out = tmp_path / "model.tsv.gz"
    result = runner.invoke(args=["docmgr", "eval", "tone-model", str(CORPUS), "--leave-out",
                                 str(ROOT / "tests" / "data" / "extraction"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert gzip.decompress(out.read_bytes()) == gzip.decompress(MODEL_PATH.read_bytes())
