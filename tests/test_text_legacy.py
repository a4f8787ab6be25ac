"""Text typed in the legacy TCVN3 (.VnTime, .VnTimeH fonts) and VNI (VNI-Times) encodings is converted to Unicode;
other text is not."""

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import weasyprint
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from docmgr.extraction import extract_bytes, read_bytes
from docmgr.text import apply_capitals, convert_legacy, detect_legacy_encoding, mark_capitals, restore_lost_u
from docmgr.text.legacy import _TCVN3_TABLE, _VN1_A1_FF


CLASSES = Path(__file__).parent / "data" / "extraction" / "classes"

# A letter's header as an office typed it in TCVN3: the issuer, the motto and the type in the capitals font
# (.VnTimeH: a capital carries its small letter's code), the rest in .VnTime.
HEADER_TCVN3 = (
    "UBND TØNH H¶I D¦¥NG\n"
    "Së TµI CHÝNH\n"
    "CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM\n"
    "§éc lËp - Tù do - H¹nh phóc\n"
    "Sè: 12/STC-QLG\n"
    "H¶i D\xad¬ng, ngµy 5 th¸ng 3 n¨m 2004\n"
    "V/v h\xad íng dÉn gi¸ ®Êt n¨m 2004\n"
    "KÝnh göi: C¸c phßng, ban thuéc Së\n"
    "N¬i nhËn:\n"
    "- Nh\xad trªn;\n"
    "- L\xadu: VT.\n"
    "KT. GI¸M §èC\n"
    "PHã GI¸M §èC\n"
    "(§· ký)\n"
    "TrÇn V¨n Hép\n"
)
HEADER_UNICODE = (
    "UBND TỈNH HẢI DƯƠNG\n"
    "SỞ TÀI CHÍNH\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "Số: 12/STC-QLG\n"
    "Hải Dương, ngày 5 tháng 3 năm 2004\n"
    "V/v hư ớng dẫn giá đất năm 2004\n"
    "Kính gửi: Các phòng, ban thuộc Sở\n"
    "Nơi nhận:\n"
    "- Như trên;\n"
    "- Lưu: VT.\n"
    "KT. GIÁM ĐỐC\n"
    "PHÓ GIÁM ĐỐC\n"
    "(Đã ký)\n"
    "Trần Văn Hộp\n"
)


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv (glibc's) is not installed")
def test_the_table_is_tcvn_5712():
    """The table is TCVN 5712:1993's, as glibc's iconv has it (TCVN5712-1), byte for byte from A1 to FF."""
    decoded = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=bytes(range(0xA1, 0x100)),
                             capture_output=True, check=True).stdout.decode()
    assert decoded == _VN1_A1_FF
    # VN1's combining tone marks (B0–B4) are not VN3's: «°» and «±» stay what they are
    assert {chr(code) for code in range(0xB0, 0xB5)}.isdisjoint(chr(code) for code in _TCVN3_TABLE)


def test_a_tcvn3_letter_reads_as_typed_capitals_included():
    converted, conversion = convert_legacy(HEADER_TCVN3)
    assert converted == HEADER_UNICODE
    assert conversion is not None and conversion.encoding == "TCVN3" and conversion.words > 40
    assert "TCVN3" in conversion.message and "Tệp gốc giữ nguyên" in conversion.message


def test_unicode_text_is_left_as_it_is():
    """A Unicode page with a middle dot between names (a wiki's navigation box, «Lê Văn A · Võ Văn B»), «°», «§»
    and guillemets: none of it is TCVN3, and its words with Latin-1 letters only («Lê», «Võ», «phép») stay."""
    text = ("Danh sách: Nguyễn Văn Thinh (1946) · Lê Văn Hoạch (1946-1947) · Võ Văn Kiệt · Bùi Quang Vinh · "
            "Ngô Đình Diệm\nNhiệt độ 30°C, § 3 của «Thông tư» cho phép.\n") * 5
    assert detect_legacy_encoding(text) is None
    assert convert_legacy(text) == (text, None)


# The same letter typed in VNI (VNI-Times): a letter's marks are codes after it, capitals have their own.
HEADER_VNI = (
    "UBND TÆNH HAÛI DÖÔNG\n"
    "SÔÛ TAØI CHÍNH\n"
    "COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM\n"
    "Ñoäc laäp - Töï do - Haïnh phuùc\n"
    "Soá: 12/STC-QLG\n"
    "Haûi Döông, ngaøy 5 thaùng 3 naêm 2004\n"
    "V/v höôùng daãn giaù ñaát naêm 2004\n"
    "Kính göûi: Caùc phoøng, ban thuoäc Sôû\n"
    "Nôi nhaän:\n"
    "- Nhö treân;\n"
    "- Löu: VT.\n"
    "KT. GIAÙM ÑOÁC\n"
    "PHOÙ GIAÙM ÑOÁC\n"
    "(Ñaõ kyù)\n"
    "Traàn Vaên Hoäp\n"
)


def test_a_vni_letter_reads_as_typed():
    assert convert_legacy("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam Ñoäc laäp - Töï do - Haïnh phuùc")[0] == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam Độc lập - Tự do - Hạnh phúc")
    converted, conversion = convert_legacy(HEADER_VNI)
    assert converted == HEADER_UNICODE.replace("hư ớng", "hướng")
    assert conversion.encoding == "VNI" and "VNI-Times" in conversion.message
    # a capital with a small letter's mark («Uûy»), the old tone placement in Unicode beside VNI («hoà»)
    assert convert_legacy(HEADER_VNI + "Uûy ban; hoà giải\n")[0].endswith("Ủy ban; hoà giải\n")


def test_a_text_partly_in_unicode_keeps_that_part():
    """An old TCVN3 letter with a paragraph added in Unicode: a Unicode word of Latin-1 letters only («Tài
    chính», «phép») goes with the words around it, not with the letter's TCVN3."""
    text = HEADER_TCVN3 + "Bổ sung: Bộ Tài chính đã cho phép áp dụng.\n"
    converted, _ = convert_legacy(text)
    assert converted == HEADER_UNICODE + "Bổ sung: Bộ Tài chính đã cho phép áp dụng.\n"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("aAeêoôCéß¸µ¶·¹¨©ª«¬\xad®Tn ·°«»\n-.:;(") + ["Việt", "Lê", "12"]),
                max_size=300))
def test_conversion_never_fails_and_keeps_the_lines(pieces):
    text = "".join(pieces)
    converted, _ = convert_legacy(text)
    assert converted.count("\n") == text.count("\n")


def test_marked_capitals_are_put_in_capitals_once_the_encoding_is_known():
    assert apply_capitals("Kính gửi: " + mark_capitals("bộ tài chính") + ".") == "Kính gửi: BỘ TÀI CHÍNH."
    assert apply_capitals(mark_capitals("")) == "" and mark_capitals(" \n") == " \n"
    assert mark_capitals(" bộ y tế\n") == " \ufdd0bộ y tế\ufdd1\n"  # spaces outside: a line strips as before
    assert mark_capitals("Th«ng t\x1f") == "\ufdd0Th«ng t\x1f\ufdd1"  # a .doc's optional hyphen (TCVN3's «ư») in
    assert apply_capitals(mark_capitals(" bộ y tế\n").strip()) == "BỘ Y TẾ"
    # A text cut inside a mark (at the character limit) keeps its capitals to the end
    assert apply_capitals("a " + mark_capitals("cục thuế")[:-1]) == "a CỤC THUẾ"
    # A run in TCVN3 formatted «All caps»: its codes' own capitals are other letters («ß» would be «SS»)
    text = mark_capitals("céng hßa x· héi chñ nghÜa") + " ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc"
    assert apply_capitals(convert_legacy(text)[0]) == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA Việt Nam\nĐộc lập - Tự do - Hạnh phúc"


def test_an_8_bit_tcvn3_text_file_reads_as_unicode():
    """A .txt saved by an old editor in TCVN3, one byte a letter: not UTF-8, and not Windows-1258 either."""
    data = HEADER_TCVN3.encode("latin-1")
    read = read_bytes(data, "cong-van.txt")
    assert read.text == HEADER_UNICODE.strip("\n")
    assert not any("Windows-1258" in w for w in read.warnings)
    assert any("bảng mã cũ TCVN3" in w and "đã chuyển" in w for w in read.warnings)
    meta = extract_bytes(data, "cong-van.txt").metadata
    assert (meta.issuer, meta.parent_issuer, meta.number, meta.place) == (
        "Sở Tài chính", "UBND tỉnh Hải Dương", "12/STC-QLG", "Hải Dương")
    assert meta.signer == "Trần Văn Hộp" and meta.signer_title == "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"
    assert meta.recipients == ["Như trên", "Lưu: VT"]
    assert not any("bảng mã cũ" in w and "chưa chuyển" in w for w in meta.warnings)


def test_an_8_bit_vni_text_file_reads_as_unicode():
    read = read_bytes(HEADER_VNI.encode("cp1252"), "cong-van.txt")
    assert read.text == HEADER_UNICODE.replace("hư ớng", "hướng").strip("\n")
    assert any("bảng mã cũ VNI" in w and "đã chuyển" in w for w in read.warnings)
    meta = extract_bytes(HEADER_VNI.encode("cp1252"), "cong-van.txt").metadata
    assert (meta.issuer, meta.number, meta.signer) == ("Sở Tài chính", "12/STC-QLG", "Trần Văn Hộp")


def test_a_tcvn3_web_page_shows_its_capitals():
    """A page saved from an old site: Windows-1252, a .VnTime font, the issuer set in capitals by its style."""
    html = ("<html><head><meta charset='windows-1252'><style>.cq{text-transform:uppercase}</style></head><body>"
            "<p class='cq'>Bé x©y dùng</p><p>CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM</p>"
            "<p>§éc lËp - Tù do - H¹nh phóc</p><p>Sè: 36/2004/TT-BXD</p></body></html>").encode("cp1252")
    lines = read_bytes(html, "trang.html").text.split("\n")
    assert [line for line in lines if line] == [
        "BỘ XÂY DỰNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 36/2004/TT-BXD"]


@pytest.mark.parametrize("name", ["tcvn3-print-layout.doc", "tcvn3-print-layout.docx"])
def test_a_tcvn3_word_file_reads_as_its_unicode_twin(name):
    """docmgr's print layout of a tune document typed in TCVN3 and saved as .doc, then .docx, by LibreOffice (the
    issuer formatted «All caps», each «ư» become an optional hyphen): it reads as the layout typed in Unicode."""
    tcvn3 = read_bytes((CLASSES / name).read_bytes(), name)
    unicode = read_bytes((CLASSES / "print-layout-capitals.doc").read_bytes(), "cong-van.doc")
    assert tcvn3.text == unicode.text
    assert any("TCVN3" in w for w in tcvn3.warnings)


# --- the «ư» a TCVN3 text lost: byte AD is the soft hyphen to every other program --------------------------------

@pytest.mark.parametrize("lost, meant", [
    # words that only «ư» makes words, and words the words beside them choose («cha» / «chưa», «T» / «Tư»)
    ("Ngời dân đợc hởng chính sách u tiên, cha có", "Người dân được hưởng chính sách ưu tiên, chưa có"),
    ("- Nh trên;\n- Bộ T pháp;\n- Lu: VT, KHTC.", "- Như trên;\n- Bộ Tư pháp;\n- Lưu: VT, KHTC."),
    ("vốn đầu\nt nớc ngoài; số d nợ; dân c.", "vốn đầu\ntư nước ngoài; số dư nợ; dân cư."),
    ("KT. BỘ TRỞNG\nTHỨ TRỞNG\nPhơng Thị Hoa", "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nPhương Thị Hoa"),
    # the hyphen a PDF's text gives for the sign's glyph, and the one shown where a line broke at it
    ("Bộ Th-ơng mại, nh- sau, -u tiên; Trung -\nơng", "Bộ Thương mại, như sau, ưu tiên; Trung \nương"),
    # left as they are: words the neighbours keep, letters of a list, abbreviations, notations, hyphens
    ("Ngời đợc: cha nuôi; đa phơng; tối\nđa; điểm a, c và d khoản 1; mục c",
     "Người được: cha nuôi; đa phương; tối\nđa; điểm a, c và d khoản 1; mục c"),
    ("Ngời đợc: Lu VT, TH; Sở KH&CN; CB-TH; T1; T/M BAN BÍ TH; Tr. 5; 364/ĐA-CP; kinh tế -\nxã hội; e-mail",
     "Người được: Lưu VT, TH; Sở KH&CN; CB-TH; T1; T/M BAN BÍ THƯ; Tr. 5; 364/ĐA-CP; kinh tế -\nxã hội; e-mail"),
])
def test_the_u_a_tcvn3_text_lost_is_put_back(lost, meant):
    assert restore_lost_u(lost)[0] == meant


def test_a_text_that_has_its_u_or_hardly_a_word_that_lost_one_is_left_alone():
    kept = "Người dân được hưởng; cha có"  # an «ư» kept: none was lost
    assert restore_lost_u(kept) == (kept, 0)
    few = "Cha mẹ và con; giấy mời; đa dạng; đợc"  # one word only that must have lost one
    assert restore_lost_u(few) == (few, 0)


def test_a_tcvn3_text_that_lost_its_u_says_how_many_words_had_it_put_back():
    lost = HEADER_TCVN3.replace("\xad", "")
    text, conversion = convert_legacy(lost)
    assert "Hải Dương, ngày" in text and "- Như trên;\n- Lưu: VT." in text
    assert conversion.restored == 4
    assert f"{conversion.restored} từ đã được điền lại «ư»" in conversion.message
    assert convert_legacy(HEADER_TCVN3)[1].restored == 0


def test_a_page_of_codes_past_bf_is_tcvn3_not_vni():
    """«HiÖu lùc: §· biÕt» holds no code from A1–BF, and «Ö» is a VNI mark too: the reading that makes syllables
    («Hiệu», not VNI's «HiƯu») tells which."""
    page = "Ban hµnh:\n25/11/2025\nHiÖu lùc: §· biÕt\nCËp nhËt:\n02/12/2025\n" * 3
    assert detect_legacy_encoding(page.replace("µ", "a")).encoding == "TCVN3"
    assert "Hiệu lực: Đã biết\nCập nhật:" in convert_legacy(page)[0]


def test_a_tcvn3_pdf_is_read_from_its_text_not_by_ocr():
    """A tune document typed in .VnTime and printed to PDF by LibreOffice: the text layer holds TCVN3's codes
    and, since LibreOffice draws no soft hyphen, no «ư» at all (the font here is Liberation Serif with its
    letters put on TCVN3's codes, as .VnTime's are). The closing runs across a page break."""
    data = (CLASSES / "tcvn3-vntime.pdf").read_bytes()
    read = read_bytes(data, "quyet-dinh.pdf")
    assert read.ocr_pages == []
    assert any("TCVN3" in w and "điền lại «ư»" in w for w in read.warnings)
    meta = extract_bytes(data, "quyet-dinh.pdf").metadata.as_json()
    label = next(label for label in json.loads((CLASSES.parent / "tune" / "expected.json").read_text())
                 if label["file"] == "9aeb199f5e0aa225.md")
    assert {key: meta[key] for key in label if key != "file"} == {key: label[key] for key in label if key != "file"}


def test_a_tcvn3_pdf_with_an_appendix_in_unicode_still_gets_its_u_back():
    """The same PDF with a page in Unicode after it (an appendix typed later, with its «ư»): the «ư» is put
    back in the TCVN3 pages, judged over them alone, and the appendix is read as it is."""
    appendix = weasyprint.HTML(string="<p>PHỤ LỤC</p><p>Danh mục các cơ sở được hưởng chính sách ưu đãi "
                               "của tỉnh trong năm 2026, theo đề nghị của Sở Công Thương.</p>").write_pdf()
    writer = PdfWriter(clone_from=PdfReader(CLASSES / "tcvn3-vntime.pdf"))
    writer.append(PdfReader(io.BytesIO(appendix)))
    out = io.BytesIO()
    writer.write(out)
    read = read_bytes(out.getvalue(), "quyet-dinh.pdf")
    assert read.ocr_pages == [] and "được hưởng chính sách ưu đãi" in read.page_texts[-1]
    assert any("điền lại «ư»" in w for w in read.warnings)
    alone = read_bytes((CLASSES / "tcvn3-vntime.pdf").read_bytes(), "quyet-dinh.pdf")
    assert read.page_texts[:-1] == alone.page_texts
    assert extract_bytes(out.getvalue(), "quyet-dinh.pdf").metadata.as_json()["signer"] == \
        extract_bytes(CLASSES.joinpath("tcvn3-vntime.pdf").read_bytes(), "quyet-dinh.pdf").metadata.signer

