"""Pages as images: a PDF page — annotations and the appearances of signature widgets drawn, as a reader
sees it — or one frame of a scanned image, at a given resolution. OCR reads these images; previews show them.

PDF pages are rendered with PDFium (pypdfium2), the engine of Chromium's PDF viewer; images are opened with
Pillow. Both run on untrusted files: call them in a limited worker (:mod:`docmgr.extraction.sandbox`).
:class:`PageCache` keeps rendered pages in the instance folder within a size limit.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageOps, UnidentifiedImageError

from docmgr.extraction.lines import Line
from docmgr.extraction.readers import MAX_IMAGE_PIXELS, ReadError


RENDER_DPI = 300  # what OCR reads: Tesseract's accuracy drops below ~250 dpi


@dataclass
class PageImage:
    """A page as a grayscale image, with the resolution it is drawn at and the page's size in points."""

    image: Image.Image
    dpi: float
    width_pt: float
    height_pt: float


def _open_image(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        image.size  # noqa: B018 — the header is read: a bomb is refused here
        return image
    except Image.DecompressionBombError as exc:
        raise ReadError(f"Ảnh quá lớn (hơn {MAX_IMAGE_PIXELS // 1_000_000} triệu điểm ảnh): không xử lý.") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ReadError(f"Tệp ảnh bị hỏng hoặc không đọc được ({type(exc).__name__}).") from exc


def image_page_count(data: bytes) -> int:
    """Frames of an image file (a multi-page TIFF has several)."""
    return max(1, getattr(_open_image(data), "n_frames", 1))


def _image_dpi(image: Image.Image) -> float:
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


def image_page(data: bytes, number: int) -> PageImage:
    """Frame ``number`` (1-based) of an image file, grayscale, turned upright as its EXIF says."""
    image = _open_image(data)
    try:
        image.seek(number - 1)
        dpi = _image_dpi(image)
        frame = ImageOps.exif_transpose(image).convert("L")
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


def pdf_page(data: bytes, number: int, dpi: float = RENDER_DPI) -> PageImage:
    """Page ``number`` (1-based) of a PDF rendered at ``dpi``, grayscale, with its annotations and form
    fields drawn (the number and date a signing tool stamps are such appearances)."""
    document = _pdf(data)
    try:
        document.init_forms()  # form fields are drawn as a viewer draws them
        page = document[number - 1]
        width, height = page.get_size()
        bitmap = page.render(scale=dpi / 72, draw_annots=True, may_draw_forms=True, grayscale=True)
        image = bitmap.to_pil().convert("L")
        return PageImage(image, dpi, width, height)
    except pdfium.PdfiumError as exc:
        raise ReadError(f"Không vẽ được trang {number} của tệp PDF ({exc}).") from exc
    finally:
        document.close()


def pdf_lines(data: bytes, number: int | None = None) -> list[Line]:
    """The text of a PDF's pages (``number``: one page) as lines with their boxes, in points from the
    page's top-left corner. Annotations and form fields are flattened into the page first (in memory), so
    the text a signing tool stamps into a signature widget's appearance — the number and the date — is
    read where it is drawn."""
    document = _pdf(data)
    out: list[Line] = []
    try:
        document.init_forms()
        numbers = [number] if number else range(1, len(document) + 1)
        for n in numbers:
            page = document[n - 1]
            if pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY) == pdfium_c.FLATTEN_SUCCESS:
                page.close()
                page = document[n - 1]  # flattening invalidates the page's handles
            height = page.get_height()
            text = page.get_textpage()
            for index in range(text.count_rects()):
                left, bottom, right, top = text.get_rect(index)
                piece = text.get_text_bounded(left, bottom, right, top).strip()
                if piece:
                    out.append(Line(n, left, height - top, right, height - bottom, " ".join(piece.split())))
            text.close()
            page.close()
    except pdfium.PdfiumError as exc:
        raise ReadError(f"Không đọc được chữ của tệp PDF ({exc}).") from exc
    finally:
        document.close()
    return out


def page_image(data: bytes, fmt: str, number: int, dpi: float = RENDER_DPI) -> PageImage:
    """Page ``number`` of a file of format ``fmt`` ("pdf" or an image format) as an image."""
    return pdf_page(data, number, dpi) if fmt == "pdf" else image_page(data, number)


class PageCache:
    """Rendered pages as PNG files under ``folder``, at most ``max_bytes`` in all: the least recently used
    go first. Keys are the file's SHA-256, the page and the resolution, so a page is rendered once."""

    def __init__(self, folder: str | Path, max_bytes: int):
        self.folder = Path(folder)
        self.max_bytes = max_bytes

    def path(self, sha256: str, number: int, dpi: int) -> Path:
        key = hashlib.sha256(f"{sha256}:{number}:{dpi}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.png"

    def get(self, sha256: str, number: int, dpi: int) -> bytes | None:
        path = self.path(sha256, number, dpi)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        os.utime(path)  # recently used
        return data

    def put(self, sha256: str, number: int, dpi: int, png: bytes) -> Path:
        path = self.path(sha256, number, dpi)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(png)
        os.replace(tmp, path)
        self.trim()
        return path

    def trim(self) -> int:
        """Remove the least recently used pages until the cache fits; returns how many were removed."""
        files = []
        total = 0
        for path in self.folder.glob("*/*.png"):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            files.append((stat.st_mtime, stat.st_size, path))
            total += stat.st_size
        removed = 0
        for _mtime, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed


def to_png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=3)
    return out.getvalue()


__all__ = ["RENDER_DPI", "PageCache", "PageImage", "image_page", "image_page_count", "page_image",
           "pdf_lines", "pdf_page", "pdf_page_count", "to_png"]
