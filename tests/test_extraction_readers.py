"""Readers for each format, and bad input that must fail cleanly."""

import html
import io
import json
import os
import unicodedata
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
import weasyprint
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from docmgr.extraction import ReadError, extract_bytes, read_bytes
from docmgr.extraction.lines import Line, compose, compose_page
from docmgr.extraction.readers import ReadLimits
from docmgr.text.legacy import _TCVN3_TABLE
from tests.conftest import seed_path


def test_docx_with_header_and_signature_tables(seed_docx):
    meta = extract_bytes(seed_docx, "ke-hoach.docx").metadata
    assert meta.number == "65/KH-UBND"
    assert meta.issuer == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert meta.issued_on.isoformat() == "2024-03-20"
    assert meta.signer == "Trần Hoàng Tuấn"
    assert meta.signer_title == "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    assert meta.recipients[-1] == "Lưu: VT, KGVXmy135"


def test_pdf_text_layer(seed_pdf):
    extracted = extract_bytes(seed_pdf, "ke-hoach.pdf")
    assert extracted.read.format == "pdf" and extracted.read.page_count >= 1
    meta = extracted.metadata
    assert (meta.notation, meta.doc_type, meta.place) == ("KH-SKHCN", "Kế hoạch", "Quảng Ngãi")
    assert meta.issued_on.isoformat() == "2024-03-07"
    assert meta.signer == "Nguyễn Văn Thành"


def test_html_page_with_table_header():
    html = """<html><head><title>x</title><script>alert('no')</script></head><body>
    <table><tr><td>BỘ NỘI VỤ<br>-------</td><td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</td></tr>
    <tr><td>Số: 12/BNV-VP<br>V/v tổ chức hội nghị</td><td>Hà Nội, ngày 05 tháng 01 năm 2025</td></tr></table>
    <p>Kính gửi: Các đơn vị thuộc Bộ.</p><p>Bộ Nội vụ thông báo như sau.</p>
    <table><tr><td>Nơi nhận:<br>- Như trên;<br>- Lưu: VT, VP.</td><td>KT. BỘ TRƯỞNG<br>THỨ TRƯỞNG<br><br>Nguyễn Văn A</td></tr></table>
    </body></html>"""
    extracted = extract_bytes(html.encode(), "cong-van.html")
    assert "alert" not in extracted.read.text
    meta = extracted.metadata
    assert (meta.number, meta.doc_type, meta.subject) == ("12/BNV-VP", "Công văn", "tổ chức hội nghị")
    assert (meta.issuer, meta.place) == ("Bộ Nội vụ", "Hà Nội")
    assert meta.recipients == ["Như trên", "Lưu: VT, VP"]
    assert (meta.signer, meta.signer_title) == ("Nguyễn Văn A", "KT. BỘ TRƯỞNG / THỨ TRƯỞNG")


def test_html_lists_items_read_as_a_document_writes_them():
    """A page whose Nơi nhận list is an HTML list (each item a paragraph of its own, no dash typed): its items read
    «- …», a numbered list's «1. …»."""
    html = """<html><body><p>Điều 3. Các cơ quan chịu trách nhiệm thi hành Quyết định này./.</p>
    <p>Nơi nhận:</p><ul><li><p>Bộ Nông nghiệp và Môi trường (để<br>b/c);</p></li><li><p>Chủ tịch UBND tỉnh;</p></li>
    <li><p>Lưu: VT, NNMT.</p></li></ul><p>KT. CHỦ TỊCH<br>PHÓ CHỦ TỊCH<br>Mai Xuân Liêm</p>
    <ol><li>Phụ lục I</li><li>Phụ lục II</li></ol></body></html>"""
    extracted = extract_bytes(html.encode(), "quyet-dinh.html")
    assert extracted.metadata.recipients == [
        "Bộ Nông nghiệp và Môi trường (để b/c)", "Chủ tịch UBND tỉnh", "Lưu: VT, NNMT"]
    assert "- Chủ tịch UBND tỉnh;" in extracted.read.text and "2. Phụ lục II" in extracted.read.text


def test_markdown_reads_like_text():
    result = read_bytes(seed_path("000").read_bytes(), "ke-hoach.md")
    assert result.format == "md" and "KẾ HOẠCH" in result.text


def test_format_is_sniffed_from_content_not_extension(seed_pdf):
    assert read_bytes(seed_pdf, "nham-duoi.txt").format == "pdf"


@pytest.mark.parametrize("data, name, message", [
    (b"", "rong.txt", "rỗng"),
    (b"   \n\n", "trang.txt", "rỗng"),
    (os.urandom(4096).replace(b"%PDF", b"xxxx"), "ngau-nhien.bin", "Không nhận dạng"),
    (b"%PDF-1.7\n" + os.urandom(2000), "hong.pdf", "PDF"),
    (b"PK\x03\x04" + os.urandom(200), "hong.docx", "DOCX"),
    (b"plain text pretending", "gia.pdf", "Không nhận dạng"),
])
def test_bad_files_fail_with_a_clear_vietnamese_message(data, name, message):
    with pytest.raises(ReadError) as info:
        read_bytes(data, name)
    assert message in str(info.value)


def test_docx_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w/>" + b"0" * (ReadLimits().max_decompressed + 10))
    with pytest.raises(ReadError, match="zip bomb"):
        read_bytes(buffer.getvalue(), "bom.docx")


def test_encrypted_pdf_is_refused(seed_pdf):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(seed_pdf)).pages:
        writer.add_page(page)
    writer.encrypt("mat-khau")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ReadError, match="mật khẩu"):
        read_bytes(buffer.getvalue(), "mat.pdf")


def test_oversized_file_is_refused_before_parsing():
    with pytest.raises(ReadError, match="quá lớn"):
        read_bytes(b"a" * 2048, "lon.txt", max_bytes=1024)


def test_legacy_encoded_text_gives_a_warning():
    text = "Céng hßa x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\nSè: 12/UBND-VP\n"
    extracted = extract_bytes(text.encode("utf-8"), "cu.txt")
    assert any("TCVN3" in w for w in extracted.warnings)


def test_non_utf8_text_is_read_as_windows_1258_with_a_warning():
    data = "Ban hành kèm theo".encode("cp1258")
    result = read_bytes(data, "cp1258.txt")
    assert "Ban hành kèm theo" in result.text and result.warnings


def test_a_pdf_page_whose_text_is_in_a_legacy_encoding_is_converted_not_read_by_ocr():
    """A PDF made with a .VnTime font: its text layer holds TCVN3 («Céng hßa») while the page shows Vietnamese.
    That page's text is converted, as any text in TCVN3 is; a page in Unicode keeps its own text."""
    html = ("<p>Céng hßa x· héi chñ nghÜa ViÖt Nam<br>§éc lËp - Tù do - H¹nh phóc<br>Sè: 12/UBND-VP</p>"
            "<p style='break-before: page'>Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc.</p>")
    read = read_bytes(weasyprint.HTML(string=html).write_pdf(), "cu.pdf")
    assert read.page_count == 2 and read.ocr_pages == []
    assert read.page_texts == ["Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\nSố: 12/UBND-VP",
                               "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc."]
    assert any("bảng mã cũ TCVN3" in w for w in read.warnings)


CLASSES = Path(__file__).parent / "data" / "extraction" / "classes"


def test_an_odt_reads_as_the_word_document_it_was_made_of():
    """pandoc's OpenDocument of the made-up Word document (tables for the header and the signature)."""
    from_odt = extract_bytes((CLASSES / "pandoc-source.odt").read_bytes(), "quyet-dinh.odt")
    from_docx = extract_bytes((CLASSES / "pandoc-source.docx").read_bytes(), "quyet-dinh.docx")
    assert from_odt.read.format == "odt" and from_odt.read.mime_type == "application/vnd.oasis.opendocument.text"
    assert from_odt.metadata.as_json() == from_docx.metadata.as_json()
    assert from_odt.metadata.number == "1234/QĐ-UBND" and from_odt.metadata.signer == "Trần Báu Hà"


_ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<office:automatic-styles>
 <text:list-style style:name="L1"><text:list-level-style-bullet text:level="1" text:bullet-char="-"/></text:list-style>
 <text:list-style style:name="L2"><text:list-level-style-number text:level="1"/></text:list-style>
</office:automatic-styles>
<office:body><office:text>
 <text:tracked-changes><text:changed-region text:id="c1"><text:deletion>
  <text:p>Số: 999/QĐ-UBND</text:p></text:deletion></text:changed-region></text:tracked-changes>
 <table:table><table:table-column table:number-columns-repeated="2"/>
  <table:table-row>
   <table:table-cell><text:p>ỦY BAN NHÂN DÂN<text:line-break/>TỈNH HÀ TĨNH</text:p>
    <text:p>Số:<text:s/>15/KH-UBND</text:p></table:table-cell>
   <table:table-cell><text:p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</text:p><text:p>Độc lập - Tự do - Hạnh phúc</text:p>
    <text:p>Hà Tĩnh, ngày<text:s text:c="3"/>12 tháng 8 năm 2025</text:p></table:table-cell>
  </table:table-row>
 </table:table>
 <text:p>KẾ HOẠCH<office:annotation><dc:creator>A</dc:creator><text:p>xem lại</text:p></office:annotation></text:p>
 <text:p>Tổ chức hội nghị<text:note><text:note-citation>1</text:note-citation><text:note-body>
  <text:p>Chú thích</text:p></text:note-body></text:note> tổng kết</text:p>
 <text:p>Các bước:</text:p>
 <text:list text:style-name="L2"><text:list-item><text:p>Chuẩn bị.</text:p></text:list-item>
  <text:list-item><text:p>Tổ chức.</text:p></text:list-item></text:list>
 <text:p><draw:frame><draw:text-box><text:p>Ghi trong khung</text:p></draw:text-box></draw:frame>Hết.</text:p>
 <text:p><text:span>Nơi nhận:</text:span></text:p>
 <text:list text:style-name="L1"><text:list-item><text:p>Sở Nội vụ;</text:p></text:list-item>
  <text:list-item><text:p>- Lưu: VT.</text:p></text:list-item></text:list>
</office:text></office:body></office:document-content>"""


def _odt(content: str, mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # first and stored, as ODF asks
        archive.writestr("content.xml", content.encode("utf-8"))
    return buffer.getvalue()


def test_an_odt_reads_as_it_shows():
    """A table's columns one after the other, spaces as ODF writes them, a list's marks; not the deleted text of
    tracked changes, comments or footnotes; a text box's text after its paragraph."""
    read = read_bytes(_odt(_ODT_CONTENT), "ke-hoach")  # no extension: the content tells
    assert read.format == "odt"
    assert read.text.split("\n") == [
        "|", "ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH", "Số: 15/KH-UBND", "|", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Hà Tĩnh, ngày   12 tháng 8 năm 2025", "|",
        "KẾ HOẠCH", "Tổ chức hội nghị tổng kết", "Các bước:", "1. Chuẩn bị.", "2. Tổ chức.", "Hết.",
        "Ghi trong khung", "Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT."]


@pytest.mark.parametrize("data, message", [
    (_odt(_ODT_CONTENT, b"application/vnd.oasis.opendocument.spreadsheet"), "không phải văn bản (.odt)"),
    (_odt(_ODT_CONTENT.replace("</office:body>", "")), "không phải XML hợp lệ"),
    (_odt(_ODT_CONTENT.replace("office:text>", "office:drawing>")), "không có phần văn bản"),
    (_odt(_ODT_CONTENT)[:300], "ODT bị hỏng"),
])
def test_a_bad_odt_fails_with_a_clear_message(data, message):
    with pytest.raises(ReadError) as info:
        read_bytes(data, "hong.odt")
    assert message in str(info.value)


def test_odt_zip_bomb_is_refused():
    content = _ODT_CONTENT.replace("Hết.", "Hết." + " " * (ReadLimits().max_decompressed + 10))
    with pytest.raises(ReadError, match="zip bomb"):
        read_bytes(_odt(content), "bom.odt")


def test_a_docx_reads_in_capitals_what_word_shows_in_capitals():
    """«All caps» and «Small caps» on a run, or on a paragraph's style and the style it is based on: typed in
    small letters, shown (and read) in capitals; a run that sets them off stays as typed."""
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].add_run("Ủy ban nhân dân").font.all_caps = True
    left.add_paragraph().add_run("tỉnh Hà Tĩnh").font.small_caps = True
    left.add_paragraph("Số: 15/QĐ-UBND")
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    right.add_paragraph("Hà Tĩnh, ngày 12 tháng 8 năm 2025")
    title = document.styles.add_style("Tên loại", WD_STYLE_TYPE.PARAGRAPH)
    title.font.all_caps = True
    document.styles.add_style("Tên loại văn bản", WD_STYLE_TYPE.PARAGRAPH).base_style = title
    document.add_paragraph("Quyết định", style="Tên loại văn bản")
    document.add_paragraph("Về việc phê duyệt Kế hoạch năm 2026")
    document.add_paragraph("Căn cứ Luật Tổ chức chính quyền địa phương;")
    kept = document.add_paragraph(style="Tên loại văn bản").add_run("Điều 1. Phê duyệt Kế hoạch.")
    kept.font.all_caps = False
    buffer = io.BytesIO()
    document.save(buffer)
    read = read_bytes(buffer.getvalue(), "quyet-dinh.docx")
    assert read.text.split("\n")[:8] == ["|", "ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH", "Số: 15/QĐ-UBND", "|",
                                         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                         "Hà Tĩnh, ngày 12 tháng 8 năm 2025"]
    assert "QUYẾT ĐỊNH" in read.text and "Điều 1. Phê duyệt Kế hoạch." in read.text
    meta = extract_bytes(buffer.getvalue(), "quyet-dinh.docx").metadata
    assert (meta.issuer, meta.doc_type, meta.subject) == ("Ủy ban nhân dân tỉnh Hà Tĩnh", "Quyết định",
                                                          "Về việc phê duyệt Kế hoạch năm 2026")


def _tcvn3(text: str) -> str:
    """``text`` (small letters where marked) typed in TCVN3, as a .docx holds a .VnTime font's codes."""
    codes = {letter: chr(code) for code, letter in _TCVN3_TABLE.items()}
    return "".join(codes.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def test_a_docx_typed_in_a_tcvn3_capitals_font_reads_in_capitals():
    """An old office's .docx typed in TCVN3: the header, the type and the signer's titles typed in small
    letters in .VnTimeH (set on the run, or on the paragraph's style), which draws them as capitals. They read
    in capitals, and the signature block is found; a run set back in .VnTime stays as typed, and so does a run
    already converted to Unicode that kept the font's name."""
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells

    def typed(paragraph, text, font=".VnTime"):
        paragraph.add_run(_tcvn3(text)).font.name = font

    typed(left.paragraphs[0], "ủy ban nhân dân", ".VnTimeH")
    typed(left.add_paragraph(), "tỉnh hà tĩnh", ".VnTimeH")
    typed(left.add_paragraph(), "Số: 15/QĐ-UBND")
    typed(right.paragraphs[0], "cộng hòa xã hội chủ nghĩa việt nam", ".VnTimeH")
    typed(right.add_paragraph(), "Độc lập - Tự do - Hạnh phúc")
    typed(right.add_paragraph(), "Hà Tĩnh, ngày 12 tháng 8 năm 2025")
    capitals = document.styles.add_style("Tên loại", WD_STYLE_TYPE.PARAGRAPH)
    capitals.font.name = ".VnTimeH"
    document.add_paragraph(_tcvn3("quyết định"), style="Tên loại")
    typed(document.add_paragraph(), "Về việc phê duyệt Kế hoạch năm 2026")
    typed(document.add_paragraph(style="Tên loại"), "Điều 1. Phê duyệt Kế hoạch.")
    document.add_paragraph(style="Tên loại").add_run("Điều 2. Văn bản đã chuyển mã.")
    closing = document.add_table(rows=1, cols=2)
    typed(closing.rows[0].cells[0].paragraphs[0], "Nơi nhận:")
    typed(closing.rows[0].cells[0].add_paragraph(), "- Như Điều 2;")
    typed(closing.rows[0].cells[0].add_paragraph(), "- Lưu: VT.")
    signature = closing.rows[0].cells[1]
    typed(signature.paragraphs[0], "kt. chủ tịch", ".VnTimeH")
    typed(signature.add_paragraph(), "phó chủ tịch", ".VnTimeH")
    typed(signature.add_paragraph(), "Nguyễn Văn An")
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_bytes(buffer.getvalue(), "quyet-dinh.docx").text
    for line in ("ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "QUYẾT ĐỊNH",
                 "Điều 1. Phê duyệt Kế hoạch.", "Điều 2. Văn bản đã chuyển mã.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"):
        assert line in text.split("\n")
    meta = extract_bytes(buffer.getvalue(), "quyet-dinh.docx").metadata
    assert (meta.issuer, meta.doc_type, meta.signer, meta.signer_title) == (
        "Ủy ban nhân dân tỉnh Hà Tĩnh", "Quyết định", "Nguyễn Văn An", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")


def _wrapped(tag: str, *children, **attributes):
    element = OxmlElement(tag, {qn(f"w:{k}"): v for k, v in attributes.items()})
    for child in children:
        element.append(child)
    return element


def _text_run(text: str, deleted: bool = False):
    run, shown = OxmlElement("w:r"), OxmlElement("w:delText" if deleted else "w:t")
    shown.text = text
    run.append(shown)
    return run


def test_a_docx_reads_as_word_shows_it_with_its_tracked_changes_accepted():
    """A draft passed round with «Track changes» on, and a template's content controls: what was inserted or
    moved in is read, what was deleted or moved out (a deleted table row too) is not, and the text in content
    controls (inline and around paragraphs), smart tags and simple fields is read as the rest. Before, the
    number typed in by a tracked insertion and every paragraph in a content control were lost."""
    change = {"id": "1", "author": "Văn thư", "date": "2025-11-20T08:00:00Z"}
    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].add_run("ỦY BAN NHÂN DÂN")
    left.add_paragraph("TỈNH HÀ TĨNH")
    number = left.add_paragraph("Số: ")
    number._p.append(_wrapped("w:ins", _text_run("15/QĐ-UBND"), **change))
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    date = right.add_paragraph("Hà Tĩnh, ngày ")
    date._p.append(_wrapped("w:del", _text_run("11 tháng 8", deleted=True), **change))
    date._p.append(_wrapped("w:moveTo", _text_run("12 tháng 8"), **change))
    date._p.append(_wrapped("w:smartTag", _text_run(" năm 2025"), uri="urn:schemas", element="date"))
    header.rows[1].cells[0].paragraphs[0].add_run("DÒNG ĐÃ XÓA")
    header.rows[1]._tr.get_or_add_trPr().append(_wrapped("w:del", **change))
    document.add_paragraph("QUYẾT ĐỊNH")
    subject = document.add_paragraph()
    subject._p.append(_wrapped("w:sdt", OxmlElement("w:sdtPr"),
                               _wrapped("w:sdtContent", _text_run("Về việc phê duyệt Kế hoạch năm 2026"))))
    body = document.add_paragraph("Điều 1. Phê duyệt Kế hoạch")
    body._p.append(_wrapped("w:moveFrom", _text_run(" đã chuyển đi"), **change))
    body._p.append(_wrapped("w:fldSimple", _text_run(" kèm theo."), instr=" DOCPROPERTY Ghi_chu "))
    closing = document.add_paragraph("Nơi nhận:")
    block = _wrapped("w:sdt", OxmlElement("w:sdtPr"), _wrapped("w:sdtContent"))
    closing._p.addnext(block)
    for text in ("- Như Điều 1;", "- Lưu: VT."):
        paragraph = OxmlElement("w:p")
        paragraph.append(_text_run(text))
        block[1].append(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_bytes(buffer.getvalue(), "du-thao.docx").text
    assert "Số: 15/QĐ-UBND" in text and "Hà Tĩnh, ngày 12 tháng 8 năm 2025" in text
    assert "Về việc phê duyệt Kế hoạch năm 2026" in text
    assert "Điều 1. Phê duyệt Kế hoạch kèm theo." in text
    assert "Nơi nhận:\n- Như Điều 1;\n- Lưu: VT." in text
    assert not any(gone in text for gone in ("11 tháng 8", "DÒNG ĐÃ XÓA", "chuyển đi"))
    meta = extract_bytes(buffer.getvalue(), "du-thao.docx").metadata
    assert (meta.number, meta.issued_on.isoformat(), meta.subject, meta.recipients) == (
        "15/QĐ-UBND", "2025-08-12", "Về việc phê duyệt Kế hoạch năm 2026", ["Như Điều 1", "Lưu: VT"])


def test_a_docx_text_box_is_read_once_after_its_paragraph():
    """A text box (LibreOffice 7.4's .docx of a frame holding the issuer and the number, anchored to the
    motto's paragraph) is read after that paragraph, once: Word files keep a VML copy of it for old versions."""
    data = (CLASSES / "libreoffice-text-box.docx").read_bytes()
    assert read_bytes(data, "cong-van.docx").text.split("\n") == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ỦY BAN NHÂN DÂN", "TỈNH LAI CHÂU", "Số: 12/UBND-VP",
        "Độc lập - Tự do - Hạnh phúc", "Lai Châu, ngày 3 tháng 2 năm 2025"]
    meta = extract_bytes(data, "cong-van.docx").metadata
    assert (meta.number, meta.issuer, meta.place) == ("12/UBND-VP", "Ủy ban nhân dân tỉnh Lai Châu", "Lai Châu")


def test_an_odt_reads_in_capitals_what_its_styles_show_in_capitals():
    styles = """<office:automatic-styles>
 <style:style style:name="Tên loại" style:family="paragraph">
  <style:text-properties fo:text-transform="uppercase"/></style:style>
 <style:style style:name="P1" style:family="paragraph" style:parent-style-name="Tên loại"/>
 <style:style style:name="T1" style:family="text"><style:text-properties fo:font-variant="small-caps"/></style:style>
 <style:style style:name="T2" style:family="text"><style:text-properties fo:text-transform="none"/></style:style>
</office:automatic-styles>"""
    body = ('<text:p><text:span text:style-name="T1">Ủy ban nhân dân</text:span> tỉnh</text:p>'
            '<text:p text:style-name="P1">Quyết định <text:span text:style-name="T2">số</text:span></text:p>')
    content = _ODT_CONTENT.split("<office:automatic-styles>")[0] + styles + (
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    content = content.replace('xmlns:dc=', 'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
                                           ' xmlns:dc=')
    assert read_bytes(_odt(content), "x.odt").text.split("\n") == ["ỦY BAN NHÂN DÂN tỉnh", "QUYẾT ĐỊNH số"]


def test_an_html_page_reads_in_capitals_what_its_styles_show_in_capitals():
    """A class's rule in the page's style sheet (as docmgr's own print layout sets the issuer's name), and Word's
    «Save as HTML» of «All caps»: a style attribute; «text-transform: none» sets them off again."""
    page = """<html><head><style>
    td.left .caps, .type { text-transform: uppercase; } p.body { color: black }
    </style></head><body><table><tr>
    <td class="left"><div class="caps">Ủy ban nhân dân tỉnh Hà Tĩnh</div><div>Số: 15/QĐ-UBND</div></td>
    <td><div>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div><div>Độc lập - Tự do - Hạnh phúc</div>
    <div>Hà Tĩnh, ngày 12 tháng 8 năm 2025</div></td></tr></table>
    <p class="type">Quyết định<br/>về <span style="text-transform: none">việc</span> phê duyệt</p>
    <p class=body><span style='font-variant:small-caps;color:red'>Căn cứ</span> Luật<p>Điều 1.
    <p style="text-transform: uppercase; font-variant: normal">Nơi nhận</body></html>"""
    lines = [line for line in read_bytes(page.encode(), "qd.html").text.split("\n") if line]
    assert lines == ["|", "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "Số: 15/QĐ-UBND", "|", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Hà Tĩnh, ngày 12 tháng 8 năm 2025", "QUYẾT ĐỊNH",
                     "VỀ việc PHÊ DUYỆT", "CĂN CỨ Luật", "Điều 1.", "NƠI NHẬN"]


def test_an_html_page_typed_in_a_tcvn3_capitals_font_reads_in_capitals():
    """An old office's page saved as HTML (Word's «Save as Web Page», LibreOffice's export) with its header, type
    and signer's title typed in small letters in .VnTimeH: named in a <font face>, a style attribute or a class's
    rule. They read in capitals and the signature block is found; a span set back in .VnTime stays as typed, and
    so does text already converted to Unicode that kept the font's name."""
    def t(text):
        return html.escape(_tcvn3(text))

    page = f"""<html><head><meta charset="utf-8"><style>.tenloai {{ font-family: ".VnTimeH", serif }}
    p {{ font-family: ".VnTime" }}</style></head><body><table><tr>
    <td><p><font face=".VnTimeH, serif">{t("ủy ban nhân dân")}</font></p>
    <p><span style='font-size:13.0pt;font-family:".VnTimeH";mso-bidi-font-family:"Times New Roman"'>{t("tỉnh hà tĩnh")}
    </span></p><p>{t("Số: 15/QĐ-UBND")}</p></td>
    <td><p><font face=".VnTimeH">{t("cộng hòa xã hội chủ nghĩa việt nam")}</font></p>
    <p>{t("Độc lập - Tự do - Hạnh phúc")}</p><p>{t("Hà Tĩnh, ngày 12 tháng 8 năm 2025")}</p></td></tr></table>
    <p class="tenloai">{t("quyết định")}</p><p>{t("Về việc phê duyệt Kế hoạch năm 2026")}</p>
    <p class="tenloai">{t("Điều 1. Phê duyệt ")}<span style="font-family: .VnTime">{t("kế hoạch.")}</span></p>
    <p class="tenloai">Điều 2. Văn bản đã chuyển mã.</p>
    <table><tr><td><p>{t("Nơi nhận:")}</p><p>{t("- Như Điều 2;")}</p><p>{t("- Lưu: VT.")}</p></td>
    <td><p class="tenloai">{t("kt. chủ tịch")}</p><p class="tenloai">{t("phó chủ tịch")}</p>
    <p>{t("Nguyễn Văn An")}</p></td></tr></table></body></html>"""
    lines = read_bytes(page.encode(), "quyet-dinh.html").text.split("\n")
    for line in ("ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "QUYẾT ĐỊNH",
                 "ĐIỀU 1. PHÊ DUYỆT kế hoạch.", "Điều 2. Văn bản đã chuyển mã.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"):
        assert line in lines
    meta = extract_bytes(page.encode(), "quyet-dinh.html").metadata
    assert (meta.issuer, meta.doc_type, meta.signer, meta.signer_title) == (
        "Ủy ban nhân dân tỉnh Hà Tĩnh", "Quyết định", "Nguyễn Văn An", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")


def _label(name: str) -> dict:
    labels = json.loads((Path(__file__).parent / "data" / "extraction" / "tune" / "expected.json").read_text())
    return next(label for label in labels if label["file"] == name)


def test_a_libreoffice_pdf_s_tall_capitals_are_no_other_type_size():
    """In LibreOffice's (and Word's) PDFs a capital with a tone mark has a box a fifth taller than «T» in the
    same 12-point font: the subject's first line was parted at every such letter before a space, and its
    pieces read into the header's columns («KẾT LUẬN CỦA PHÓ THỦ» / «TƯỚNG …»)."""
    read = read_bytes((CLASSES / "libreoffice-title.pdf").read_bytes(), "thong-bao.pdf")
    assert "KẾT LUẬN CỦA PHÓ THỦ TƯỚNG CHÍNH PHỦ HỒ QUỐC DŨNG TẠI CUỘC HỌP" in read.text.split("\n")
    meta = extract_bytes((CLASSES / "libreoffice-title.pdf").read_bytes(), "thong-bao.pdf").metadata
    assert meta.subject == _label("405a6cabda393030.md")["subject"]


def test_a_closing_s_cells_part_where_the_page_drew_them_apart_and_they_line_up():
    """LibreOffice's PDF of a Word table: «- Cục Kiểm soát TTHC, VPCP;» and «KT. CHỦ TỊCH» a little over a
    space apart on one row, same size; each cell drawn whole, the signature's lines on one left edge."""
    data = (CLASSES / "libreoffice-closing.pdf").read_bytes()
    lines = read_bytes(data, "quyet-dinh.pdf").text.split("\n")
    assert "- Cục Kiểm soát TTHC, VPCP;" in lines and "KT. CHỦ TỊCH" in lines
    assert lines[-3:] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hồ Huy Thành"]
    meta = extract_bytes(data, "quyet-dinh.pdf").metadata.as_json()
    label = _label("6e205b75bcc588b5.md")
    assert {key: meta[key] for key in ("signer", "signer_title", "recipients", "subject")} == {
        key: label[key] for key in ("signer", "signer_title", "recipients", "subject")}


def test_a_signature_set_half_a_line_off_the_list_beside_it_is_a_column_of_its_own():
    """LibreOffice's PDF of the print layout's closing table: «BỘ TRƯỞNG» sits half a line below «- Các Bộ, cơ
    quan ngang Bộ …;» and half above the next item, overlapping neither by half a line: each was a row of its
    own, and the title and the name were read among the list's items."""
    data = (CLASSES / "libreoffice-half-line-closing.pdf").read_bytes()
    lines = read_bytes(data, "thong-tu.pdf").text.split("\n")
    assert lines[-4:] == ["", "BỘ TRƯỞNG", "Nguyễn Mạnh", "Hùng"]
    meta = extract_bytes(data, "thong-tu.pdf").metadata
    label = _label("bcb420579d35d2e9.md")
    assert (meta.signer, meta.signer_title) == (label["signer"], label["signer_title"]) == (
        "Nguyễn Mạnh Hùng", "BỘ TRƯỞNG")
    assert meta.recipients[-1] == label["recipients"][-1] == "Lưu: VT, CNCNTT (20b)"


def test_a_closing_cut_by_a_page_break_keeps_its_columns_on_the_next_page():
    """The page breaks inside the closing: the titles beside «Nơi nhận:» at the foot of one page, the Nơi nhận
    list going on at the top of the next with the signer's name beside an item, a little over a space from it
    and with nothing above or below to line up with. The name starts where the titles' column did."""
    first = [Line(1, 86, 700, 400, 712, "Điều 3. Các cơ quan chịu trách nhiệm thi hành Quyết định này./."),
             Line(1, 86, 753, 138, 768, "Nơi nhận:"), Line(1, 279.4, 756, 354, 767, "KT. CHỦ TỊCH"),
             Line(1, 86, 770, 147, 780, "- Như Điều 3;"), Line(1, 279.4, 770, 357, 781, "PHÓ CHỦ TỊCH")]
    text, column = compose_page(first, text_layer=True)
    assert text.split("\n")[-2:] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"] and column == 279.4
    second = [Line(2, 87, 60, 236, 71, "- Cục Kiểm soát TTHC-VPCP;"),
              Line(2, 87, 75, 244, 85, "- Chủ tịch, các PCT UBND tỉnh;"),
              Line(2, 87, 89, 272, 100, "- Văn phòng UBND tỉnh: V1, V4, CB;"),
              Line(2, 279.4, 88, 359, 100, "Tống Thanh Hải"),
              Line(2, 87, 102, 202, 113, "- VNPT Lai Châu (p/h);"), Line(2, 87, 116, 164, 126, "- Lưu: VT, Hcc7.")]
    assert compose_page(second, text_layer=True, column=column)[0].split("\n")[-3:] == [
        "- Lưu: VT, Hcc7.", "", "Tống Thanh Hải"]
    assert "Tống Thanh Hải" in compose(second, text_layer=True).split("\n")[2]  # without the page before
    assert compose_page(second, text_layer=True, column=None)[1] is None


def test_letters_make_rows_by_their_baselines_not_their_glyphs_boxes():
    """«TL. CỤC TRƯỞNG» set tight over «KT. TRƯỞNG BAN GIÁM SÁT QUẢN LÝ VỀ HQ»: the boxes of «Ụ», «Ở» reach into
    the line above, and the two lines were read as one row, their letters interleaved."""
    data = (CLASSES / "libreoffice-tight-titles.pdf").read_bytes()
    lines = read_bytes(data, "cong-van.pdf").text.split("\n")
    assert lines[-4:] == ["TL. CỤC TRƯỞNG", "KT. TRƯỞNG BAN GIÁM SÁT QUẢN LÝ VỀ HQ", "PHÓ TRƯỞNG BAN",
                          "Nguyễn Anh Tài"]
    meta = extract_bytes(data, "cong-van.pdf").metadata.as_json()
    label = _label("1894fbabcd1b75f6.md")
    assert (meta["signer"], meta["signer_title"]) == (label["signer"], label["signer_title"])


def test_a_text_layer_s_row_parts_at_a_narrow_gap_only_where_columns_line_up():
    def line(y, x0, x1, text):
        return Line(1, x0, y, x1, y + 12, text)

    closing = [line(500, 85, 140, "Nơi nhận:"), line(514, 85, 240, "- Cục Kiểm soát TTHC, VPCP;"),
               line(514, 249, 330, "KT. CHỦ TỊCH"), line(528, 85, 243, "- Chủ tịch, các PCT UBND tỉnh;"),
               line(528, 249, 335, "PHÓ CHỦ TỊCH"), line(542, 85, 175, "- Lưu: VT, HCC3.")]
    assert compose(closing, text_layer=True).split("\n") == [
        "Nơi nhận:", "", "- Cục Kiểm soát TTHC, VPCP;", "- Chủ tịch, các PCT UBND tỉnh;", "- Lưu: VT, HCC3.", "",
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    centred = [replace(closing[4], x0=252, x1=327)]  # «PHÓ CHỦ TỊCH» centred under «KT. CHỦ TỊCH»
    assert "KT. CHỦ TỊCH" in compose(closing[:4] + centred + closing[5:], text_layer=True).split("\n")
    # the same gap with nothing lined up under it (words a page drew out of order), or OCR's lines: one row
    apart = closing[:4] + [replace(closing[4], x0=262, x1=348)] + closing[5:]
    assert "- Cục Kiểm soát TTHC, VPCP; KT. CHỦ TỊCH" in compose(apart, text_layer=True).split("\n")
    assert "- Cục Kiểm soát TTHC, VPCP; KT. CHỦ TỊCH" in compose(closing).split("\n")
