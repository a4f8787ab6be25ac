"""A PDF's text as lines with their place on the page, read with PDFium (pypdfium2), the engine of
Chromium's PDF viewer.

Before a page's text is read its annotations and form fields are flattened into it, in memory: the number
and the date that a signing tool stamps into a signature widget's appearance ("Số: 453/TB-UBND" over the
blank "Số:      /TB-UBND"), and any other text drawn by an annotation, are read where they are drawn, as a
reader of the page sees them. The file itself is never changed.
"""

from __future__ import annotations

import ctypes
import unicodedata

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from docmgr.extraction.errors import ReadError
from docmgr.extraction.lines import Line


class PdfText:
    """An open PDF whose pages' lines are read one page at a time (:meth:`lines`); close it after."""

    def __init__(self, data: bytes):
        try:
            self.document = pdfium.PdfDocument(data)
            self.document.init_forms()  # before any page is loaded: form fields are then drawn and flattened
        except pdfium.PdfiumError as exc:
            raise ReadError(f"Tệp PDF bị hỏng hoặc không đọc được ({exc}).") from exc

    def __len__(self) -> int:
        return len(self.document)

    def lines(self, number: int) -> list[Line]:
        """Page ``number`` (1-based): its lines, boxes in points from the page's top-left corner.

        Built from the characters' boxes, not the order the content draws them in: text a stamp draws
        over a blank ("453" between "Số:" and "/TB-UBND") lands where it is seen. A gap wider than 1.5 line
        heights parts two columns (two lines), and so does a space between letters of different sizes; a smaller
        gap wider than a letter's spacing is a space."""
        try:
            page = self.document[number - 1]
            if pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY) == pdfium_c.FLATTEN_SUCCESS:
                page.close()
                page = self.document[number - 1]  # flattening invalidates the page's handles
            height = page.get_height()
            text = page.get_textpage()
            chars: list[Line] = []
            feet: list[float] = []  # each letter's baseline (its box's foot when the page does not say)
            x, y = ctypes.c_double(), ctypes.c_double()
            at_x, at_y = ctypes.byref(x), ctypes.byref(y)
            for index in range(text.count_chars()):
                code = pdfium_c.FPDFText_GetUnicode(text.raw, index)
                char = chr(code) if 0 < code < 0x110000 else ""
                if not char or char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co"):
                    continue
                if unicodedata.category(char) == "Mn" and chars:  # a combining mark: it belongs to the letter before
                    chars[-1].text += char
                    continue
                left, bottom, right, top = text.get_charbox(index, loose=True)
                if right <= left or top <= bottom:
                    continue
                chars.append(Line(number, left, height - top, right, height - bottom, char,
                                  size=pdfium_c.FPDFText_GetFontSize(text.raw, index)))
                feet.append(height - y.value if pdfium_c.FPDFText_GetCharOrigin(text.raw, index, at_x, at_y)
                            else height - bottom)
            text.close()
            page.close()
        except pdfium.PdfiumError as exc:
            raise ReadError(f"Không đọc được chữ trang {number} của tệp PDF ({exc}).") from exc
        return _join(chars, feet)

    def scan_layers(self, number: int) -> tuple[float, float]:
        """Page ``number``'s share of area that its largest image covers (nearly all of it on a scanned page,
        whatever text a signing tool or a portal then stamped over it), and the share of its text objects drawn
        invisible (PDF text render mode 3: the layer an OCR program lays under a scan's image so that it can be
        selected and searched, as docmgr does itself; a page's own text and a signing tool's stamp are drawn to
        be seen). One pass over the page's objects."""
        largest = 0.0
        texts = invisible = 0
        try:
            page = self.document[number - 1]
            try:
                width, height = page.get_size()
                for item in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_TEXT),
                                             max_depth=4):
                    if item.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
                        texts += 1
                        invisible += (pdfium_c.FPDFTextObj_GetTextRenderMode(item.raw)
                                      == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
                        continue
                    left, bottom, right, top = item.get_bounds()
                    left, bottom, right, top = max(left, 0), max(bottom, 0), min(right, width), min(top, height)
                    if right > left and top > bottom:
                        largest = max(largest, (right - left) * (top - bottom) / (width * height))
            finally:
                page.close()
        except pdfium.PdfiumError as exc:
            raise ReadError(f"Không đọc được trang {number} của tệp PDF ({exc}).") from exc
        return largest, (invisible / texts if texts else 0.0)

    def close(self) -> None:
        self.document.close()

    def __enter__(self) -> PdfText:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def pdf_lines(data: bytes, number: int | None = None) -> list[Line]:
    """The lines of one page (``number``) or of every page."""
    with PdfText(data) as pdf:
        numbers = [number] if number else range(1, len(pdf) + 1)
        return [line for n in numbers for line in pdf.lines(n)]


def _join(chars: list[Line], feet: list[float]) -> list[Line]:
    """Characters (in the order the page draws them) into lines: rows by baseline, then left to right, parted at
    column gaps, and at a space where the next letter was drawn apart from the one before it (a table's cell
    beside another: Word and LibreOffice draw a cell's text whole, then the next cell's)."""
    drawn = {id(char): n for n, char in enumerate(chars)}
    out: list[Line] = []
    for row in _char_rows(chars, feet):
        piece: list[Line] = []
        for char in row:
            if piece:
                gap = char.x0 - piece[-1].x1
                size = max(piece[-1].height, char.height)
                if gap > 1.5 * size or (gap > 0.12 * size and (_other_size(piece[-1], char)
                                                               or drawn[id(char)] != drawn[id(piece[-1])] + 1)):
                    out.append(_line(piece))
                    piece = []
                elif gap > 0.12 * size:
                    spaced = Line(char.page, char.x0, char.y0, char.x1, char.y1, " " + char.text, size=char.size)
                    drawn[id(spaced)], char = drawn[id(char)], spaced
            piece.append(char)
        if piece:
            out.append(_line(piece))
    return out


def _char_rows(chars: list[Line], feet: list[float]) -> list[list[Line]]:
    """Letters into rows by their baselines (``feet``: where the page sets each letter), not by how their boxes
    overlap: in some PDFs (LibreOffice's, Word's) a letter's box is its glyph's, and a capital's with its tone
    marks reaches up into the line above: «TL. CỤC TRƯỞNG» set tight over «KT. TRƯỞNG BAN …» read as one row,
    their letters interleaved («TKLT.. CTỤRCƯỞTNRƯGỞBNAGN»)."""
    out: list[list[Line]] = []
    foot = reach = 0.0  # the row's baseline, and its first letter's height (how far off a letter may stand)
    for base, char in sorted(zip(feet, chars), key=lambda item: item[0]):
        tall = char.y1 - char.y0
        if not out or base - foot > 0.3 * min(tall, reach):
            out.append([char])
            foot, reach = base, tall
        else:
            out[-1].append(char)
    for row in out:
        row.sort(key=lambda item: item.x0)
    return out


def _other_size(left: Line, right: Line) -> bool:
    """Letters of another type size after a space: two table cells side by side (the Nơi nhận list in 11 pt
    and the signer's title in 13 pt), however narrow the gap between them. The type size is the font's, where
    the PDF gives one: a letter's box is as tall as its glyph in some PDFs (LibreOffice's, Word's: «Ó» a
    fifth taller than «T» in one 12-point font), which is no other size."""
    if left.size and right.size and left.size > 1 and right.size > 1:
        return max(left.size, right.size) > 1.1 * min(left.size, right.size)
    return max(left.height, right.height) > 1.1 * min(left.height, right.height)


def _line(chars: list[Line]) -> Line:
    text = unicodedata.normalize("NFC", "".join(c.text for c in chars)).strip()
    return Line(chars[0].page, min(c.x0 for c in chars), min(c.y0 for c in chars), max(c.x1 for c in chars),
                max(c.y1 for c in chars), text)
