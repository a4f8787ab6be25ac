"""A page of a stored file as a preview image: drawn in a limited worker (the file is untrusted), kept in the
page cache (:mod:`docmgr.pages.cache`), served to the pages that show it."""

from __future__ import annotations

from flask import Response, request

from docmgr.errors import NotFoundError
from docmgr.extraction.readers import ReadError
from docmgr.extraction.sandbox import run_limited
from docmgr.pages import PREVIEW_WIDTHS, preview_png


FORMATS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpeg", "image/tiff": "tiff"}
MAX_PREVIEW_PAGES = 20  # pages shown beside a form; the rest are in the file


def previewable(mime_type: str | None) -> bool:
    return (mime_type or "") in FORMATS


def preview_pages(mime_type: str | None, page_count, url, width: int) -> list[dict]:
    """The pages of a file shown beside its metadata — ``url(number, width)`` their images, small (``width``)
    and large — or none when the file is not a PDF or an image."""
    if not previewable(mime_type):
        return []
    count = min(int(page_count or 1), MAX_PREVIEW_PAGES)
    return [{"number": n, "src": url(n, width), "large": url(n, PREVIEW_WIDTHS[-1])} for n in range(1, count + 1)]


def preview_width(asked) -> int:
    """The preview width nearest to what was asked (a few sizes only, so that the cache serves them)."""
    try:
        wanted = int(asked)
    except (TypeError, ValueError):
        wanted = PREVIEW_WIDTHS[1]
    return min(PREVIEW_WIDTHS, key=lambda w: abs(w - wanted))


def page_preview(state, sha256: str, mime_type: str, number: int, width: int) -> bytes:
    """PNG of page ``number`` of the stored file ``sha256``; ReadError when it cannot be drawn."""
    fmt = FORMATS.get(mime_type or "")
    if fmt is None:
        raise ReadError("Tệp này không xem trước được dưới dạng trang (chỉ PDF và ảnh).")
    width = preview_width(width)
    path = str(state.files.path(sha256))
    return state.pages.get_or_make(f"{sha256}-{number}-{width}.png",
                                   lambda: run_limited(preview_png, path, fmt, number, width, limits=state.read_limits))


def page_response(state, sha256: str, mime_type: str, number: int) -> Response:
    """A page of a stored file as a PNG response (``?w=`` its width), drawn in a limited worker and cached;
    404 when the file has no such page or is not a PDF or an image."""
    try:
        data = page_preview(state, sha256, mime_type, number, request.args.get("w"))
    except ReadError as exc:
        raise NotFoundError(f"Không xem trước được trang {number}: {exc}") from exc
    response = Response(data, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
