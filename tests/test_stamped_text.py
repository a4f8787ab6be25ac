"""Text stamped by signing: the number and the date a signing tool draws into signature widgets placed over the
blanks of "Số:      /TB-UBND" and "ngày    tháng    năm 2026" are read where they are drawn."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import weasyprint
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from docmgr.extraction import extract_bytes
from docmgr.pages import pdf_page


BLANK = "&nbsp;" * 9
HEADER = f"""
<html><body style="font-family: 'Liberation Serif'; font-size: 13pt; margin: 0">
<table style="width: 100%; border-collapse: collapse"><tr>
 <td style="width: 40%; text-align: center; vertical-align: top">ỦY BAN NHÂN DÂN<br><b>THÀNH PHỐ HÀ NỘI</b><br>
   <br>Số:{BLANK}/TB-UBND</td>
 <td style="width: 60%; text-align: center; vertical-align: top"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>
   <b>Độc lập - Tự do - Hạnh phúc</b><br><br><i>Hà Nội, ngày{BLANK}tháng{BLANK}năm 2026</i></td>
</tr></table>
<p style="text-align: center; font-weight: bold; margin-top: 20pt">THÔNG BÁO</p>
<p style="text-align: center; font-weight: bold">Kết luận của Chủ tịch UBND Thành phố tại cuộc họp giao ban</p>
<p>Ngày 28/4/2026, Chủ tịch UBND Thành phố chủ trì cuộc họp giao ban với các sở, ngành.</p>
<table style="width: 100%; margin-top: 20pt"><tr><td style="width: 45%; vertical-align: top; font-size: 11pt">
 <b><i>Nơi nhận:</i></b><br>- Các sở, ban, ngành Thành phố;<br>- Lưu: VT.</td>
 <td style="text-align: center; vertical-align: top"><b>TL. CHỦ TỊCH<br>CHÁNH VĂN PHÒNG</b><br><br><br><br>
 <b>Nguyễn Văn A</b></td></tr></table>
</body></html>"""


def _blank_after(pdf: bytes, before: str) -> tuple[float, float, float]:
    """(x where the blank after ``before`` starts, baseline y, font height) in PDF points (bottom-left)."""
    document = pdfium.PdfDocument(pdf)
    text = document[0].get_textpage()
    searcher = text.search(before)
    index, count = searcher.get_next()
    left, bottom, right, top = text.get_charbox(index + count - 1, loose=True)
    document.close()
    return right + 2, bottom, top - bottom


def stamp(pdf: bytes, stamps: list[tuple[str, str, float]]) -> bytes:
    """``pdf`` with a signature widget per (text to follow, text stamped, width): its appearance stream draws
    the stamped text in the blank after the text to follow, as signing tools stamp the number and date."""
    return widgets(pdf, [(_blank_after(pdf, after), text, width) for after, text, width in stamps])


def widgets(pdf: bytes, places: list[tuple[tuple[float, float, float], str, float]]) -> bytes:
    """``pdf`` with a signature widget on page 1 per ((x, baseline y, font height), text, width) drawing the
    text in its appearance stream."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[0]
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Times-Bold"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))
    fields = ArrayObject()
    annotations = ArrayObject()
    for number, ((x, y, size), text, width) in enumerate(places, start=1):
        appearance = DecodedStreamObject()
        appearance.set_data(f"BT /F1 {size * 0.9:.1f} Tf 1 {size * 0.22:.1f} Td ({text}) Tj ET".encode())
        appearance.update({
            NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(size)]),
            NameObject("/Resources"): DictionaryObject({NameObject("/Font"): DictionaryObject({
                NameObject("/F1"): font})})})
        widget = writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Sig"), NameObject("/T"): TextStringObject(f"Chữ ký {number}"),
            NameObject("/F"): NumberObject(4), NameObject("/P"): page.indirect_reference,
            NameObject("/Rect"): ArrayObject([FloatObject(x), FloatObject(y), FloatObject(x + width),
                                              FloatObject(y + size)]),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(appearance)})}))
        fields.append(widget)
        annotations.append(widget)
    page[NameObject("/Annots")] = annotations
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): fields, NameObject("/SigFlags"): NumberObject(3)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_number_and_date_stamped_into_signature_widgets_are_read():
    printed = weasyprint.HTML(string=HEADER).write_pdf()
    before = extract_bytes(printed, "thong-bao.pdf")
    assert before.metadata.number is None and before.metadata.issued_on is None  # the blanks, as signed
    signed = stamp(printed, [("Số:", "453", 22), ("ngày", "29", 16), ("tháng", "4", 10)])
    after = extract_bytes(signed, "thong-bao.pdf")
    assert after.metadata.number == "453/TB-UBND"
    assert after.metadata.issued_on.isoformat() == "2026-04-29"
    # The text keeps the page's geometry: the digits sit in the blank, where the stamp drew them.
    assert re.search(r"Số: 453 ?/TB-UBND", after.read.text) and "ngày 29 tháng 4 năm 2026" in after.read.text
    assert after.read.ocr_pages == []  # a page with a text layer is not sent to OCR
    # What a reader sees is what is read: the stamped digits are drawn on the rendered page too.
    image = pdf_page(signed, 1, dpi=100).image
    plain = pdf_page(printed, 1, dpi=100).image
    assert image.tobytes() != plain.tobytes()
