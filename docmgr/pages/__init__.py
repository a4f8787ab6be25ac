"""Pages as images: a PDF page — annotations and the appearances of signature widgets drawn, as a reader
sees it — or one frame of a scanned image, at a given resolution: for OCR, and for the previews the clerk
checks metadata against (kept in a size-limited cache, :mod:`docmgr.pages.cache`).

PDF pages are rendered with PDFium (pypdfium2), the engine of Chromium's PDF viewer; images are opened with
Pillow. Both run on untrusted files: call them in a limited worker (:mod:`docmgr.extraction.sandbox`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, ImageOps

from docmgr.extraction.readers import ReadError, open_image


RENDER_DPI = 300  # what OCR reads: Tesseract's accuracy drops below ~250 dpi


@dataclass
class PageImage:
    """A page as a grayscale image, with the resolution it is drawn at and the page's size in points."""

    image: Image.Image
    dpi: float
    width_pt: float
    height_pt: float


def image_dpi(image: Image.Image) -> float:
    """The scanner's resolution if the file says so, else the one that makes the page A4 wide (a scan
    without it is most often an A4 page)."""
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    if 70 <= value <= 1200:
        return value
    return max(70.0, min(1200.0, min(image.size) / (210 / 25.4)))


def image_page(data: bytes, number: int, grayscale: bool = True) -> PageImage:
    """Frame ``number`` (1-based) of an image file, grayscale (or in colour, for a preview), turned upright as
    its EXIF says."""
    image = open_image(data)
    try:
        image.seek(number - 1)
        dpi = image_dpi(image)
        frame = ImageOps.exif_transpose(image).convert("L" if grayscale else "RGB")
    except (EOFError, OSError, ValueError) as exc:
        raise ReadError(f"Không đọc được trang {number} của tệp ảnh ({type(exc).__name__}).") from exc
    return PageImage(frame, dpi, frame.width * 72 / dpi, frame.height * 72 / dpi)


def _pdf(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ReadError(f"Tệp PDF bị hỏng hoặc không đọc được ({exc}).") from exc


def pdf_page_count(data: bytes) -> int:
    document = _pdf(data)
    try:
        return len(document)
    finally:
        document.close()


def pdf_page(data: bytes, number: int, dpi: float = RENDER_DPI, grayscale: bool = True) -> PageImage:
    """Page ``number`` (1-based) of a PDF rendered at ``dpi``, grayscale (or in colour: the red seal of a
    preview), with its annotations and form fields drawn (the number and date a signing tool stamps are such
    appearances)."""
    document = _pdf(data)
    try:
        document.init_forms()  # form fields are drawn as a viewer draws them
        page = document[number - 1]
        width, height = page.get_size()
        bitmap = page.render(scale=dpi / 72, draw_annots=True, may_draw_forms=True, grayscale=grayscale)
        image = bitmap.to_pil().convert("L" if grayscale else "RGB")
        return PageImage(image, dpi, width, height)
    except pdfium.PdfiumError as exc:
        raise ReadError(f"Không vẽ được trang {number} của tệp PDF ({exc}).") from exc
    finally:
        document.close()


def page_image(data: bytes, fmt: str, number: int, dpi: float = RENDER_DPI) -> PageImage:
    """Page ``number`` of a file of format ``fmt`` ("pdf" or an image format) as an image."""
    return pdf_page(data, number, dpi) if fmt == "pdf" else image_page(data, number)


PREVIEW_WIDTHS = (400, 900, 1400)  # the sizes previews are drawn at (a few, so that the cache serves them)


def preview_png(path: str, fmt: str, number: int, width: int) -> bytes:
    """Page ``number`` of the file at ``path`` as a PNG ``width`` pixels wide, in colour: what the clerk
    checks the metadata against. Run it in a limited worker (the file is untrusted)."""
    with open(path, "rb") as fh:
        data = fh.read()
    if fmt == "pdf":
        document = _pdf(data)
        try:
            if not 1 <= number <= len(document):
                raise ReadError(f"Tệp không có trang {number}.")
            width_pt = document[number - 1].get_width()
        finally:
            document.close()
        page = pdf_page(data, number, dpi=max(20.0, min(300.0, width * 72 / max(width_pt, 1.0))), grayscale=False)
        image = page.image
    else:
        image = image_page(data, number, grayscale=False).image
        if image.width > width:
            image = image.resize((width, max(1, round(image.height * width / image.width))), Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


__all__ = ["PREVIEW_WIDTHS", "RENDER_DPI", "PageImage", "image_dpi", "image_page", "page_image", "pdf_page",
           "pdf_page_count", "preview_png"]
