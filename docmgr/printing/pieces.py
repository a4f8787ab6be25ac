"""Long tables (registers, distribution lists, case-file contents) laid out in pieces: in parallel, never twice.

A long table is cut into pieces of rows, each laid out by WeasyPrint on its own in the limited worker processes
(:mod:`docmgr.extraction.sandbox`, under the machine's CPU policy), and the pieces' PDFs are stitched into one.

- **Where a piece starts.** Each piece starts on a new page, so a piece's pages depend on its rows alone: pieces
  are laid out at the same time, and the result is, page for page, the table laid out in one go with a page
  break before each piece's first row (``Table.one_go_html`` in :mod:`docmgr.printing.layouts`). The cuts are
  not yet put where a page would break anyway: a piece's last page may end a few rows short of its foot.
- **Page numbers** are not laid out with the pieces: they are laid over the stitched pages (:func:`stitch`), top
  centre in the shipped serif, from page 2 as Phụ lục I has them. A piece's layout therefore does not depend on
  how many pages come before it.
- **Never twice.** A piece's PDF is kept in a size-limited cache in the instance folder under the SHA-256 of its
  HTML (its rows, the template, the office's settings) and of WeasyPrint's version. Printing the year's register
  again after one document of December changed lays out only the piece that holds it. The cache may be dropped at
  any time.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter

from docmgr.printing.pdf import FONT_FAMILY, font_faces, html_to_pdf, layout_version


# Set by a print job around its work: told each piece's pages as they are laid out, and what the run did.
PROGRESS: ContextVar[Callable[[int, int, int], None] | None] = ContextVar("docmgr_print_progress", default=None)
RUN: ContextVar[PieceRun | None] = ContextVar("docmgr_print_run", default=None)


@dataclass(frozen=True)
class Numbering:
    """The pages' size and margins (mm), as the table's @page has them: the numbers go in the top-centre box,
    from page 2."""

    size: str
    top_mm: float
    right_mm: float
    bottom_mm: float
    left_mm: float


@dataclass
class PieceRun:
    """What laying out a table's pieces did: how many were laid out and how many came from the cache."""

    pieces: int = 0
    laid_out: int = 0
    cached: int = 0
    pages: list[int] = field(default_factory=list)  # each piece's page count


def piece_key(html: str) -> str:
    return "piece-" + hashlib.sha256(f"{layout_version()}\n{html}".encode()).hexdigest()


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def lay_out(htmls: list[str], *, cache=None, submit=None,
            progress: Callable[[int, int, int], None] | None = None, run: PieceRun | None = None) -> list[bytes]:
    """The PDF of each piece's HTML, in order: from ``cache`` (a :class:`docmgr.pages.cache.PageCache`) when it
    holds it, else laid out by ``submit(function, *args)`` (a limited worker's pending result, which has
    ``result()``) — all pieces at once, as many at a time as the pool has workers — or here, one by one.
    ``progress(pages_done, pieces_done, pieces)`` is told after each piece."""
    run = run if run is not None else PieceRun()
    run.pieces = len(htmls)
    keys = [piece_key(html) for html in htmls]
    parts: list[bytes | None] = [cache.get(key) if cache is not None else None for key in keys]
    run.cached = sum(part is not None for part in parts)
    pending = {}
    if submit is not None:
        pending = {index: submit(html_to_pdf, html) for index, html in enumerate(htmls) if parts[index] is None}
    pages_done = 0
    for index, html in enumerate(htmls):
        if parts[index] is None:
            parts[index] = pending[index].result() if index in pending else html_to_pdf(html)
            run.laid_out += 1
            if cache is not None:
                cache.put(keys[index], parts[index])
        pages = page_count(parts[index])
        run.pages.append(pages)
        pages_done += pages
        if progress is not None:
            progress(pages_done, index + 1, len(htmls))
    return parts  # type: ignore[return-value]


def stitch(parts: list[bytes], numbering: Numbering | None = None, cache=None) -> bytes:
    """The pieces as one PDF, its pages numbered (``numbering``) as if it had been laid out in one go."""
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    if numbering is not None:
        html = numbers_html(len(writer.pages), numbering)
        key = piece_key(html)
        numbers = cache.get(key) if cache is not None else None
        if numbers is None:
            numbers = html_to_pdf(html)
            if cache is not None:
                cache.put(key, numbers)
        for page, overlay in zip(writer.pages, PdfReader(io.BytesIO(numbers)).pages):
            page.merge_page(overlay)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def numbers_html(count: int, numbering: Numbering) -> str:
    """``count`` empty pages that show their numbers where @page's top-centre box has them, in the shipped
    font: laid over the stitched pages (WeasyPrint lays out an empty page in a few milliseconds)."""
    margins = f"{numbering.top_mm}mm {numbering.right_mm}mm {numbering.bottom_mm}mm {numbering.left_mm}mm"
    return (f"<!doctype html><html><head><meta charset='utf-8'><style>{font_faces()}"
            f"@page {{ size: {numbering.size}; margin: {margins}; "
            f"@top-center {{ content: counter(page); font-family: '{FONT_FAMILY}'; font-size: 13pt; }} }}"
            f"@page :first {{ @top-center {{ content: none; }} }}"
            f"div {{ break-after: page; }}</style></head><body>{'<div></div>' * count}</body></html>")
