"""Scans read by OCR: image-only PDFs, PNG, multi-page TIFF, a PDF with both kinds of page; the searchable PDF;
the import of a scan into a document; OCR turned off; broken and hostile images. Real Tesseract (skipped with
the reason when it is not installed; CI installs it). The scans are made from the sample documents' text,
printed and degraded (docmgr.ocr.scans)."""

from __future__ import annotations

import io
import json
import math
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ContentStream, DecodedStreamObject, DictionaryObject, NameObject, NumberObject
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from docmgr.extraction import EXTRACT_KEYS, ReadError, ReadLimits, extract_bytes
from docmgr.extraction.header import is_motto
from docmgr.extraction.lines import Line, compose
from docmgr.extraction.pdftext import pdf_lines
from docmgr.intake.reading import read_file
from docmgr.ocr import (
    _NUMBER_LINE_RE,
    _RECIPIENTS_LABEL_RE,
    OcrSettings,
    _closing_read_again,
    _date_read_again,
    _header_read_again,
    despeckle,
    lines_from_words,
    scans,
)
from docmgr.ocr.layers import drop_invisible_text
from docmgr.ocr.tesseract import Word, recognize
from docmgr.pages import pdf_page_count
from docmgr.printing.pdf import FONT_DIR, FONT_FILES
from tests.conftest import SAMPLES, seed_path
from tests.servers import tesseract_ready
from tests.test_stamped_text import widgets


EXPECTED = {case["file"]: case for case in json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))}
LIMITS = ReadLimits()


@pytest.fixture
def database_url(tmp_path):
    """OCR is about files, not the database: SQLite only (the suite's time goes to the PostgreSQL runs that
    test the database)."""
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture(scope="module")
def ocr():
    tesseract_ready()
    return OcrSettings()


def _first_and_last(pdf: bytes, how: scans.Degradation) -> list[Image.Image]:
    return scans.scan_pages(pdf, how, pages=[1, pdf_page_count(pdf)])


@pytest.mark.parametrize("dpi", [200, 300, 600])
def test_despeckle_whitens_lone_specks_and_keeps_every_mark_of_the_letters(dpi):
    """Dust of one to four pixels (at 300 dpi) away from the text goes; every ink pixel of «Sửa đổi, bổ sung
    hạ tầng» in 11 pt — the hook of «ổ», the dot under «ạ» — stays."""
    page = Image.new("L", (dpi * 5, dpi), 255)
    font = ImageFont.truetype(str(FONT_DIR / FONT_FILES[("normal", "normal")]), size=round(11 * dpi / 72))
    ImageDraw.Draw(page).text((dpi // 4, dpi // 4), "Sửa đổi, bổ sung hạ tầng", font=font, fill=0)
    text = np.asarray(page) < 128
    scale = dpi / 300
    dust = page.copy()
    specks = [(x, dpi * 3 // 4 + (x % 7) * scale) for x in range(40, dpi * 5 - 40, max(8, round(25 * scale)))]
    for n, (x, y) in enumerate(specks):
        size = max(1, round((1 + n % 2) * scale))  # 1 or 2 pixels square at 300 dpi
        dust.paste(30, (round(x), round(y), round(x) + size, round(y) + size))
    cleaned = np.asarray(despeckle(dust, dpi)) < 128
    assert (np.asarray(dust) < 128).sum() >= text.sum() + len(specks)
    assert (cleaned == text).all()
    assert despeckle(page, dpi) is page  # nothing to clear: the page itself


def test_words_tesseract_gives_no_confidence_are_kept_where_they_read_as_text():
    """Tesseract gives 0 to whole words of a line it ran across a header's two columns; in a line with words
    it trusts, such a word is kept when it reads as a syllable, a number or an abbreviation, and noise is
    not («iinng», a rule read as «—», a lone speck)."""
    def word(text, confidence, left, line=1):
        return Word(text, confidence, left, 240, 40 * len(text), 40, 1, 1, line)

    words = [word("ỦY", 97, 430), word("BAN", 97, 520), word("NHÂN", 97, 640), word("DÂN", 0, 800),
             word("TỈNH", 0, 930), word("iinng", 0, 1100), word("—", 5, 1330), word("ì", 0, 1400),
             word("58/2024/QH15,", 0, 1450), word("TL.", 2, 2100),
             word("Niin", 0, 500, line=2), word("DÂN", 8, 700, line=2)]  # a line of nothing trusted
    texts = [line.text for line in lines_from_words(words, 1, 300)]
    assert texts == ["ỦY BAN NHÂN DÂN TỈNH", "58/2024/QH15,", "TL."]


def test_letters_of_other_languages_read_for_vietnamese_ones_are_mended():
    """«Ð» (the Icelandic eth) for «Đ», «Ñ» for a bold «N», «Ï» for «I», or both at once: none is Vietnamese."""
    def word(text, left):
        return Word(text, 95, left, 240, 40 * len(text), 40, 1, 1, 1)

    words = [word("Ban", 400), word("PC,", 560), word("ÑNVT,", 700), word("CÑ,", 960), word("PGÐ,", 1100),
             word("QĐÐ-TTPVHCC", 1300)]
    assert [line.text for line in lines_from_words(words, 1, 300)] == ["Ban PC, NVT, CN, PGĐ, QĐ-TTPVHCC"]


def test_a_dash_too_small_to_be_printed_is_a_speck():
    """Tesseract reads a speck of 3 × 2 pixels as «-» with confidence («SỬ -» / «DỤNG»); a printed dash (14 ×
    5 at 300 dpi) stays, between words («Độc lập - Tự do») as before an item."""
    def word(text, left, width=None, height=40, line=1):
        return Word(text, 93, left, 240 + 60 * line, width or 40 * len(text), height, 1, 1, line)

    words = [word("KHAI", 400), word("THÁC,", 580), word("SỬ", 800), word("-", 900, 3, 2),
             word("Độc", 400, line=2), word("lập", 540, line=2), word("-", 680, 14, 5, line=2),
             word("Tự", 720, line=2), word("do", 820, line=2)]
    assert [line.text for line in lines_from_words(words, 1, 300)] == ["KHAI THÁC, SỬ", "Độc lập - Tự do"]


def test_a_headers_date_that_is_no_date_is_read_again_as_a_raw_line():
    """Tesseract reads the italic «2» of a date line as «3» («ngày 37 tháng 11»), or loses its year; read again
    as a raw line, the date's numbers come out as printed. A date that is a date, one left blank, and one below
    the header are left as read."""
    tesseract_ready()
    dpi = 300
    font = ImageFont.truetype(str(FONT_DIR / FONT_FILES[("normal", "italic")]), size=round(13 * dpi / 72))
    image = Image.new("L", (2480, 3508), 255)
    ImageDraw.Draw(image).text((1300, 400), "Hà Nội, ngày 27 tháng 11 năm 2025", font=font, fill=0)
    ImageDraw.Draw(image).text((300, 2000), "Hà Nội, ngày 27 tháng 11 năm 2025", font=font, fill=0)
    box = dict(page=1, x0=1300 * 72 / dpi, x1=2130 * 72 / dpi, confidence=90.0)
    header = Line(y0=400 * 72 / dpi, y1=460 * 72 / dpi, text="Hà Nội, ngày 37 tháng 11 năm 2025", **box)
    body = Line(y0=2000 * 72 / dpi, y1=2060 * 72 / dpi, text="Hà Nội, ngày 37 tháng 11 năm 2025", **box)
    fine = replace(header, text="Hà Nội, ngày 17 tháng 11 năm 2025")
    assert [line.text for line in _date_read_again(image, dpi, [header, body], "vie", 1)] == [
        "Hà Nội, ngày 27 tháng 11 năm 2025", "Hà Nội, ngày 37 tháng 11 năm 2025"]
    assert _date_read_again(image, dpi, [fine], "vie", 1) == [fine]
    # The year lost at the line's end (its box stops before it): read again to the page's edge.
    yearless = replace(header, text="Hà Nội, ngày 27 tháng 11 năm", x1=1960 * 72 / dpi)
    assert [line.text for line in _date_read_again(image, dpi, [yearless], "vie", 1)] == [
        "Hà Nội, ngày 27 tháng 11 năm 2025"]
    blank = replace(header, text="Hà Nội, ngày    tháng    năm")  # a date left blank to be stamped stays so
    speck = replace(header, text="Hà Nội, ngày 27 tháng 11 năm .2025")  # a speck before the year
    assert _date_read_again(image, dpi, [blank, speck], "vie", 1) == [blank, speck]


def test_compose_reads_a_two_column_header_column_by_column():
    def line(y, x0, x1, text):
        return Line(1, x0, y, x1, y + 12, text)

    lines = [line(50, 100, 250, "ỦY BAN NHÂN DÂN TỈNH"), line(50, 290, 540, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
             line(64, 130, 220, "QUẢNG NGÃI"), line(66, 330, 490, "Độc lập - Tự do - Hạnh phúc"),
             line(90, 125, 225, "Số: 65/KH-UBND"), line(92, 310, 520, "Quảng Ngãi, ngày 20 tháng 3 năm 2024"),
             line(140, 85, 540, "Thực hiện Nghị quyết số 42-NQ/TW ngày 24/11/2023 của Hội nghị"),
             line(154, 85, 300, "lần thứ tám;")]
    assert compose(lines).split("\n") == [
        "ỦY BAN NHÂN DÂN TỈNH", "QUẢNG NGÃI", "", "Số: 65/KH-UBND", "",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "",
        "Quảng Ngãi, ngày 20 tháng 3 năm 2024", "",
        "Thực hiện Nghị quyết số 42-NQ/TW ngày 24/11/2023 của Hội nghị", "lần thứ tám;"]


@pytest.mark.parametrize("how", [scans.Degradation(), scans.Degradation.degraded()], ids=["clean", "degraded"])
def test_a_scanned_pdf_gives_the_metadata_of_the_printed_one(printed, ocr, how, tmp_path):
    pdf = printed["001"]
    path = tmp_path / "scan.pdf"
    path.write_bytes(scans.image_only_pdf(_first_and_last(pdf, how)))
    seen = []
    extracted = read_file(path, limits=LIMITS, ocr=ocr, progress=lambda done, total: seen.append((done, total)))
    expected = EXPECTED[seed_path("001").name]
    got = extracted.as_json()
    clean = how == scans.Degradation()
    for key in ("number", "issued_on", "issuer", "doc_type", "signer", "signer_title"):
        if clean or key in ("number", "issued_on", "doc_type"):
            assert got[key] == expected[key], key
        else:  # a degraded scan may cost a diacritic in a name, never the field
            assert got[key] and scans.character_error_rate(got[key], expected[key]) <= 0.05, key
    assert got["ocr"]["pages"] == 2 and got["ocr"]["mean_confidence"] > 85 and seen == [(0, 2), (1, 2), (2, 2)]
    assert tuple(got) == EXTRACT_KEYS
    truth = scans.truth_text(pdf, 1)
    first_page = extracted.read.page_texts[0]
    assert scans.character_error_rate(first_page, truth) <= (0.02 if clean else 0.04)
    assert {line.page for line in extracted.lines} == {1, 2}
    assert all(0 <= line.x0 < line.x1 <= 600 and 0 <= line.y0 < line.y1 <= 850 for line in extracted.lines)


def test_a_header_line_the_page_layout_lost_is_read_again_from_the_header_column(printed, ocr):
    """Tesseract's page layout at times drops the header row under the issuer and the motto («Số: …» |
    place and date), or the issuer's last line over its rule. The header's left column is read again on its
    own: a «Số» line the page's reading lost is taken from there, and so is an issuer's line it lost or
    garbled; what it read surely stays; a page with no motto in its header is not read again."""
    image = scans.scan_pages(printed["001"], scans.Degradation.degraded(), pages=[1])[0]
    words, _ = recognize(image, 300, ocr.language)
    lines = lines_from_words(words, 1, 300)
    number = EXPECTED[seed_path("001").name]["number"]
    kept = [line for line in lines if not _NUMBER_LINE_RE.match(line.text)]
    assert len(kept) == len(lines) - 1  # the sample's page read whole: its «Số» line dropped here
    again = _header_read_again(image, 300, kept, ocr.language, 1)
    lost = [line for line in again if line not in kept]
    assert len(lost) == 1 and lost[0].text.replace(" ", "") == f"Số:{number}"
    assert lost[0].x1 < 300 and lost[0].y1 < 0.3 * 842 and lost[0].page == 1
    assert _header_read_again(image, 300, lines, ocr.language, 1) == lines  # read whole: nothing changes
    assert all(_NUMBER_LINE_RE.match(text) for text in ("_ Số: 63/2025/QĐ-UBND", "- Số: 2770/QĐ-UBND", "SỐ:12"))
    no_motto = [line for line in kept if not is_motto(line.text)]
    assert _header_read_again(image, 300, no_motto, ocr.language, 1) == no_motto
    # The issuer's last line, lost, and then garbled (read with 10 % confidence): read again from the column.
    number_line = next(line for line in lines if _NUMBER_LINE_RE.match(line.text))
    issuer = max((line for line in lines if line.y1 <= number_line.y0 and line.x1 < 300), key=lambda line: line.y0)
    without = [line for line in lines if line is not issuer]
    assert [line.text for line in _header_read_again(image, 300, without, ocr.language, 1)
            if line not in without] == [issuer.text]
    garbled = [replace(line, text="cyng Co Ảnh Ác", confidence=10.0) if line is issuer else line for line in lines]
    mended = _header_read_again(image, 300, garbled, ocr.language, 1)
    assert issuer.text in [line.text for line in mended] and "cyng Co Ảnh Ác" not in [line.text for line in mended]


def test_a_closing_the_page_layout_garbled_is_read_again_column_by_column(printed, ocr):
    """Tesseract's page layout at times runs two Nơi nhận lines into one, or loses a title line under the one
    above, and reads what it ran together with little confidence, or garbles a word and drops it as noise. The
    closing is then read again, each of its columns on its own, and that reading replaces it when it is surer;
    a closing read surely is left alone."""
    pdf = printed["001"]
    last = pdf_page_count(pdf)
    image = scans.scan_pages(pdf, scans.Degradation.degraded(), pages=[last])[0]
    words, _ = recognize(image, 300, ocr.language)
    lines = lines_from_words(words, last, 300)
    expected = EXPECTED[seed_path("001").name]
    label = next(i for i, line in enumerate(lines) if _RECIPIENTS_LABEL_RE.match(line.text))
    sure = [replace(line, confidence=max(line.confidence or 0, 90.0)) for line in lines]
    sure_words = [replace(word, confidence=max(word.confidence, 90.0)) for word in words]
    assert _closing_read_again(image, 300, sure, sure_words, ocr.language, last) is sure
    garbled = [replace(line, text="bo Ti r Ngọc Min", confidence=30.0) if i == label + 1 else line
               for i, line in enumerate(sure)]
    again = compose(_closing_read_again(image, 300, garbled, words, ocr.language, last))
    assert "bo Ti" not in again and expected["signer"] in again
    assert all(item in again for item in expected["recipients"][:3])
    assert again.index(expected["recipients"][0]) < again.index(expected["recipients"][-1])
    # A list item and the title beside it read as one line, surely: it crosses the gap between the columns.
    item = next(i for i, line in enumerate(sure) if line.text.startswith("- ") and line.y0 > sure[label].y0)
    across = [replace(line, text="- Như trên; KT. CHỦ TỊCH", x1=520.0) if i == item else line
              for i, line in enumerate(sure)]
    again = compose(_closing_read_again(image, 300, across, words, ocr.language, last))
    assert "trên; KT." not in again and expected["signer"] in again
    # The signer's first name read as noise (3 %) and dropped: every line left is sure, the closing is not.
    first = expected["signer"].split()[0]
    noisy = [replace(word, text="đ" + first, confidence=3.0) if word.text == first else word
             for word in sure_words]
    assert sum(word.text == "đ" + first for word in noisy) == 1
    short = lines_from_words(noisy, last, 300)
    assert expected["signer"] not in compose(short) and all(line.confidence >= 90 for line in short)
    assert expected["signer"] in compose(_closing_read_again(image, 300, short, noisy, ocr.language, last))


@pytest.mark.parametrize("skew", [0.0, 1.2])
def test_the_searchable_pdf_carries_the_text_where_the_page_shows_it(printed, ocr, tmp_path, skew):
    """The text layer lies over each page where the page shows the text: on a straight scan, where OCR saw
    it; on a skewed one, where the skewed page shows it (the levelling before OCR is undone). The original is
    not changed."""
    pdf = printed["001"]
    path = tmp_path / "scan.pdf"
    original = scans.image_only_pdf(scans.scan_pages(pdf, scans.Degradation(skew_degrees=skew), pages=[1, 14]))
    path.write_bytes(original)
    extracted = read_file(path, limits=LIMITS, ocr=ocr)
    assert path.read_bytes() == original
    layer = next(line for line in pdf_lines(extracted.searchable_pdf, 1) if "65/KH-UBND" in line.text)
    truth = next(line for line in pdf_lines(pdf, 1) if "65/KH-UBND" in line.text)
    # Where the scan shows the line: the printed position turned as the scanner turned the page (PIL turns
    # counter-clockwise by the angle, about the centre, either way at random: both are allowed).
    cx, cy = 595.28 / 2, 841.89 / 2
    sin, cos = math.sin(math.radians(skew)), math.cos(math.radians(skew))
    expected = [(cx + (truth.x0 - cx) * cos + s * (truth.y0 - cy) * sin,
                 cy - s * (truth.x0 - cx) * sin + (truth.y0 - cy) * cos) for s in (1, -1)]
    assert min(abs(layer.x0 - x) + abs(layer.y0 - y) for x, y in expected) < 6
    assert len(PdfReader(io.BytesIO(extracted.searchable_pdf)).pages) == 2


def test_png_and_a_multi_page_tiff_are_read(printed, ocr, tmp_path):
    pages = _first_and_last(printed["004"], scans.Degradation())
    png = tmp_path / "trang1.png"
    pages[0].save(png, dpi=(300, 300))
    tif = tmp_path / "ban-quet.tif"
    tif.write_bytes(scans.tiff(pages))
    one = read_file(png, limits=LIMITS, ocr=ocr)
    both = read_file(tif, limits=LIMITS, ocr=ocr)
    assert one.read.format == "png" and one.ocr.pages == 1 and one.metadata.issued_on.isoformat() == "2024-03-07"
    assert both.read.format == "tiff" and both.read.page_count == 2 and both.ocr.pages == 2
    assert "Nơi nhận" in both.read.text and len(PdfReader(io.BytesIO(both.searchable_pdf)).pages) == 2


def test_only_the_pages_without_text_are_read_by_ocr(printed, ocr, tmp_path):
    """A PDF of a printed first page and a scanned last page (a signed page scanned and put back): only the
    scanned page goes to OCR, and the text keeps the pages in order."""
    pdf = printed["001"]
    last = pdf_page_count(pdf)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf)), pages=[0])
    writer.append(PdfReader(io.BytesIO(scans.image_only_pdf(scans.scan_pages(pdf, pages=[last])))))
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / "mixed.pdf"
    path.write_bytes(out.getvalue())
    extracted = read_file(path, limits=LIMITS, ocr=ocr)
    assert extracted.read.ocr_pages == [2] and extracted.ocr.pages == 1
    text = extracted.read.text
    assert text.index("65/KH-UBND") < text.index("Nơi nhận") and extracted.metadata.signer == "Trần Hoàng Tuấn"


def test_a_scan_with_a_signature_stamped_over_it_is_still_read_by_ocr(printed, ocr, tmp_path):
    """A scan published with the office's digital signature: the signing tool stamps its text over the image
    («Ky boi: …», the signing time), so the page has a text layer, but only that. The page is a scan all the
    same, and OCR reads it (the stamp too, as the page shows it); a page of text is not sent to OCR."""
    scan = scans.image_only_pdf(scans.scan_pages(printed["001"], pages=[1]))
    stamped = widgets(scan, [((330, 800, 9), "Ky boi: Uy ban nhan dan tinh Quang Ngai", 250),
                             ((330, 788, 9), "Thoi gian ky: 20.03.2024 09:15:36 +07:00", 250)])
    path = tmp_path / "ban-quet-da-ky.pdf"
    path.write_bytes(stamped)
    assert "Uy ban nhan dan" in extract_bytes(stamped, "ban-quet-da-ky.pdf").read.text
    extracted = read_file(path, limits=LIMITS, ocr=ocr)
    assert extracted.read.ocr_pages == [1] and extracted.ocr.pages == 1
    expected = EXPECTED[seed_path("001").name]
    assert (extracted.metadata.number, extracted.metadata.issued_on.isoformat()) == (expected["number"],
                                                                                      expected["issued_on"])
    assert "Quang Ngai" in extracted.read.text  # the stamp, read from the rendered page
    assert extract_bytes(printed["001"], "in.pdf").read.ocr_pages == []


def _made_searchable(image: Image.Image, language: str) -> bytes:
    """``image`` as a scan that another OCR program made searchable: the image, and under it that program's
    reading as invisible text (Tesseract's own PDF layer, as scanners' software and ocrmypdf lay it)."""
    scan = PdfWriter(clone_from=PdfReader(io.BytesIO(scans.image_only_pdf([image]))))
    _words, layer = recognize(image, scans.RENDER_DPI, language=language)
    scan.pages[0].merge_page(PdfReader(io.BytesIO(layer)).pages[0])
    out = io.BytesIO()
    scan.write(out)
    return out.getvalue()


@pytest.mark.parametrize("language, reason", [("eng", "không có dấu tiếng Việt"),
                                              ("vie", "do một chương trình OCR khác đọc")])
def test_a_scan_another_ocr_made_searchable_is_read_again(printed, ocr, tmp_path, language, reason):
    """A scan made searchable by a scanner's software in English («UY BAN NHAN DAN», «S6: 65/KH-UBND») or by
    ocrmypdf in Vietnamese has a full text layer under its image; docmgr sets that reading aside, says so, and
    reads the page with its own OCR. The searchable copy carries docmgr's reading alone; the original is kept."""
    image = scans.scan_pages(printed["001"], pages=[1])[0]
    original = _made_searchable(image, language)
    layer = extract_bytes(original, "quet.pdf").read
    assert len(layer.text) > 1000 and layer.ocr_pages == [1]
    assert any(reason in w and "đọc lại bằng OCR" in w for w in layer.warnings)
    path = tmp_path / "quet.pdf"
    path.write_bytes(original)
    extracted = read_file(path, limits=LIMITS, ocr=ocr)
    assert path.read_bytes() == original and extracted.ocr.pages == 1
    expected = EXPECTED[seed_path("001").name]
    got = extracted.metadata
    assert (got.number, got.issued_on.isoformat(), got.issuer) == (expected["number"], expected["issued_on"],
                                                                 expected["issuer"])
    copy = PdfReader(io.BytesIO(extracted.searchable_pdf)).pages[0].extract_text()
    assert "65/KH-UBND" in copy and copy.count("65/KH-UBND") == 1 and "NHAN DAN" not in copy


def test_a_page_of_text_over_a_full_page_image_is_not_read_by_ocr(printed, ocr):
    """A born-digital page drawn over a full-page image (a letterhead, a watermark) keeps its own text: it is
    drawn to be seen, and in Vietnamese."""
    image = Image.new("RGB", (2480, 3508), (250, 248, 240))
    background = scans.image_only_pdf([image])
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(background)))
    writer.pages[0].merge_page(PdfReader(io.BytesIO(printed["001"])).pages[0])
    out = io.BytesIO()
    writer.write(out)
    read = extract_bytes(out.getvalue(), "in.pdf").read
    assert read.ocr_pages == [] and "65/KH-UBND" in read.text and not read.warnings


def test_only_text_objects_that_draw_nothing_are_taken_out_of_the_copy():
    """In the page and in a form it draws, a text object of invisible text only is taken out, with the text
    state it sets kept in its place; one that also draws visible text stays whole."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    form = DecodedStreamObject()
    form.set_data(b"BT /F1 9 Tf 3 Tr 5 5 Td (layer) Tj ET")
    form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                 NameObject("/BBox"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(200),
                                                   NumberObject(200)])})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject({
        NameObject("/Fx"): writer._add_object(form)})})
    content = DecodedStreamObject()
    content.set_data(b"q /Fx Do Q BT /F1 12 Tf 3 Tr 10 10 Td (hidden) Tj ET "
                     b"BT 0 Tr 10 50 Td (seen) Tj ET BT 3 Tr (a) Tj 0 Tr (b) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    assert drop_invisible_text(writer, page) == 2
    kept = [(operator, [str(o) for o in operands]) for operands, operator in
            ContentStream(page.get_contents(), writer).operations]
    assert kept == [(b"q", []), (b"Do", ["/Fx"]), (b"Q", []), (b"Tf", ["/F1", "12"]), (b"Tr", ["3"]),
                    (b"BT", []), (b"Tr", ["0"]), (b"Td", ["10", "50"]), (b"Tj", ["seen"]), (b"ET", []),
                    (b"BT", []), (b"Tr", ["3"]), (b"Tj", ["a"]), (b"Tr", ["0"]), (b"Tj", ["b"]), (b"ET", [])]
    assert b"layer" not in form.get_data() and b"3 Tr" in form.get_data()


def test_without_ocr_a_scan_is_kept_with_a_warning(printed, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scans.image_only_pdf(scans.scan_pages(printed["004"], pages=[1])))
    extracted = read_file(path, limits=LIMITS, ocr=OcrSettings(enabled=False))
    assert extracted.ocr is None and extracted.read.text == ""
    assert any("bản quét" in w and "OCR) đang tắt" in w and "nhập siêu dữ liệu bằng tay" in w
               for w in extracted.warnings)


def test_broken_and_hostile_images_get_clear_errors(tmp_path):
    bomb = tmp_path / "bom.png"
    Image.new("1", (20000, 20000)).save(bomb)  # 400 M pixels in a few kilobytes
    truncated = tmp_path / "cut.png"
    data = io.BytesIO()
    Image.new("L", (800, 600), 255).save(data, format="PNG")
    truncated.write_bytes(data.getvalue()[:100])
    with pytest.raises(ReadError, match="Ảnh quá lớn"):
        read_file(bomb, limits=LIMITS)
    with pytest.raises(ReadError, match="Tệp ảnh bị hỏng"):
        read_file(truncated, limits=LIMITS)


def test_importing_a_scan_makes_a_searchable_document(printed, ocr, tmp_path, app, runner, client, auth):
    from docmgr import search
    from docmgr.documents.models import Document

    path = tmp_path / "cong-van-den.pdf"
    path.write_bytes(scans.image_only_pdf(_first_and_last(printed["001"], scans.Degradation.degraded())))
    result = runner.invoke(args=["docmgr", "import", "--json", "--direction", "incoming", str(path)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["imported"] == 1 and summary["ocr_pages"] == 2
    [entry] = summary["documents"]
    assert entry["number"] == "65/KH-UBND" and entry["path"] == str(path)
    state = app.extensions["docmgr"]
    with state.sessionmaker() as db:
        doc = db.get(Document, entry["id"])
        assert [f.role for f in doc.files] == ["main", "ocr"]
        assert doc.files[1].filename == "cong-van-den.ocr.pdf" and doc.files[1].blob.mime_type == "application/pdf"
        assert state.files.read(doc.files[0].blob_sha256) == path.read_bytes()  # the original, byte for byte
        assert [p.number for p in doc.pages] == [1, 2] and all(p.confidence > 80 for p in doc.pages)
        assert doc.pages[0].lines[0]["box"] and doc.pages[0].lines[0]["text"]
    assert [h["id"] for h in search.search(state, "Trần Hoàng Tuấn").hits] == [entry["id"]]
    auth.login()
    page = client.get(f"/documents/{entry['id']}").get_data(as_text=True)
    assert "Bản quét, đọc bằng OCR: 2 trang" in page and "Bản có lớp chữ (OCR)" in page


def test_uploading_a_photographed_page_through_the_api(printed, ocr, app, client):
    """A JPEG from a phone or a scanner sent to POST /api/documents: read by OCR, the searchable PDF kept."""
    from docmgr.auth.operations import issue_token_for

    page = scans.scan_pages(printed["004"], scans.Degradation(jpeg_quality=80), pages=[1])[0]
    data = io.BytesIO()
    page.save(data, format="JPEG", quality=80, dpi=(300, 300))
    token = issue_token_for(app, "clerk", "test")
    # Encoded in memory: Werkzeug's test client spools a large body to a temporary file it never closes.
    boundary, body = encode_multipart(MultiDict({"direction": "incoming",
                                                 "file": FileStorage(io.BytesIO(data.getvalue()), "anh-chup.jpg")}))
    response = client.post("/api/documents", headers={"Authorization": f"Bearer {token}"}, data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 201, response.json
    body = response.json
    assert body["issued_on"] == "2024-03-07" and "Phát động phong trào thi đua" in body["subject"]
    assert [f["role"] for f in body["files"]] == ["main", "ocr"]


def test_the_upload_form_says_the_scan_was_read_by_ocr(printed, ocr, app, client, auth):
    page = scans.scan_pages(printed["004"], pages=[1])[0]
    data = io.BytesIO()
    page.save(data, format="PNG", dpi=(300, 300))
    auth.login()
    boundary, body = encode_multipart(MultiDict({"direction": "incoming",
                                                 "file": FileStorage(io.BytesIO(data.getvalue()), "trang-1.png")}))
    response = client.post("/documents/upload", data=body, content_type=f"multipart/form-data; boundary={boundary}", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Bản quét, đọc bằng OCR: 1 trang" in html
    assert 'value="07/03/2024"' in html  # the date read from the scan, pre-filled


def test_ocr_stops_at_its_page_limit_and_says_so(printed, ocr, tmp_path):
    path = tmp_path / "dai.tif"
    path.write_bytes(scans.tiff(_first_and_last(printed["004"], scans.Degradation())))
    extracted = read_file(path, limits=LIMITS, ocr=OcrSettings(max_pages=1))
    assert extracted.ocr.pages == 1 and any("chỉ đọc bằng OCR 1 trang đầu" in w for w in extracted.warnings)


def test_compose_ends_the_header_where_the_body_begins_and_drops_running_page_numbers():
    def line(y, x0, x1, text, height=12):
        return Line(1, x0, y, x1, y + height, text)

    lines = [line(20, 310, 318, "2"),
             line(50, 100, 250, "VĂN PHÒNG CHÍNH PHỦ"), line(50, 290, 540, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
             line(64, 125, 225, "Số: 11520/VPCP-CN"), line(66, 330, 490, "Độc lập - Tự do - Hạnh phúc"),
             line(82, 310, 520, "Hà Nội, ngày 25 tháng 11 năm 2025"),
             line(98, 90, 265, "V/v nhiên liệu sinh học"),
             line(122, 113, 220, "Kính gửi: Bộ Công Thương"),  # a new block at the left margin
             line(140, 85, 540, "Xét đề nghị của Bộ Công Thương tại Tờ trình số 8798/TTr-BCT"),
             line(780, 300, 330, "- 3 -")]
    assert compose(lines).split("\n") == [
        "VĂN PHÒNG CHÍNH PHỦ", "Số: 11520/VPCP-CN", "", "V/v nhiên liệu sinh học", "",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 25 tháng 11 năm 2025", "",
        "Kính gửi: Bộ Công Thương", "Xét đề nghị của Bộ Công Thương tại Tờ trình số 8798/TTr-BCT"]

