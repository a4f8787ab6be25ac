"""Long tables (registers, distribution lists, case-file contents) laid out in pieces: in parallel, never twice.

A long table is cut into pieces of rows, each laid out by WeasyPrint on its own in the limited worker processes
(:mod:`docmgr.extraction.sandbox`, under the machine's CPU policy), and the pieces' PDFs are stitched into one that
has, page for page, the lines the table laid out in one go has.

- **Where a piece starts.** At a row a page starts with anyway, as :mod:`docmgr.printing.paging` foresees the
  pages. Each piece runs on a few pages into the next (``Plan.ends`` in :mod:`docmgr.printing.layouts`), and
  :func:`join` finds where the two meet: a page drawn alike in both. From a page that starts where another starts,
  a table is laid out alike, so the piece before's pages up to there and the next one's from there are the table's
  pages in one go. Where two pieces do not meet (the pages were foreseen wrong), the two are laid out as one: a
  wrong foresight costs time, never a wrong page.
- **Page numbers** are not laid out with the pieces: they are laid over the stitched pages (:func:`stitch`), top
  centre in the shipped serif, from page 2 as Phụ lục I has them. A piece's layout therefore does not depend on
  how many pages come before it.
- **Never twice.** A piece's PDF is kept in a size-limited cache in the instance folder under the SHA-256 of its
  HTML (its rows, the template, the office's settings) and of WeasyPrint's version. Printing the year's register
  again after one document of December changed lays out only the pieces that hold it. The cache may be dropped at
  any time.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter

from docmgr.printing.pdf import FONT_FAMILY, font_faces, html_to_pdf, layout_version


# Set by a print job around its work: told each piece's pages as they are laid out, and what the run did.
PROGRESS: ContextVar[Callable[[int, int, int], None] | None] = ContextVar("docmgr_print_progress", default=None)
RUN: ContextVar[PieceRun | None] = ContextVar("docmgr_print_run", default=None)


PAGE_SIZES = {"A4": (210, 297), "A5": (148, 210)}  # mm, portrait


@dataclass(frozen=True)
class Numbering:
    """The pages' size and margins (mm), as the table's @page has them: the numbers go in the top-centre box,
    from page 2."""

    size: str
    top_mm: float
    right_mm: float
    bottom_mm: float
    left_mm: float

    def page_mm(self) -> tuple[float, float]:
        """The page's width and height."""
        width, height = PAGE_SIZES[self.size.split()[0]]
        return (height, width) if self.size.endswith("landscape") else (width, height)

    def room_mm(self) -> float:
        """The height between the top and bottom margins."""
        return self.page_mm()[1] - self.top_mm - self.bottom_mm


@dataclass
class PieceRun:
    """What laying out a table's pieces did: how many were laid out and how many came from the cache."""

    pieces: int = 0
    laid_out: int = 0
    cached: int = 0
    missed: int = 0  # cuts where the pieces' pages did not meet (foreseen wrong): the two laid out as one


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
        pages_done += page_count(parts[index])
        if progress is not None:
            progress(pages_done, index + 1, len(htmls))
    return parts  # type: ignore[return-value]


def page_prints(reader: PdfReader) -> list[bytes]:
    """Each page's drawing (the SHA-256 of its content stream): two pages drawn alike from the same font show
    the same thing."""
    return [hashlib.sha256(page.get_contents().get_data()).digest() if page.get_contents() is not None else b""
            for page in reader.pages]


def join(parts: list[bytes]) -> list[tuple[int, int] | None]:
    """Where each piece meets the one before: ``(i, j)`` when page ``i`` of the piece before (which runs on into
    this one's rows) is page ``j`` of this one — the same rows, the same lines — or None. From a page that starts
    where the other's starts, the two are laid out alike, so the piece before's pages up to ``i`` and this one's
    from ``j`` are the table's pages in one go. A piece's pages before the page its predecessor met it at are
    not the table's, so the next meeting must come at or after it."""
    readers = [PdfReader(io.BytesIO(part)) for part in parts]
    prints = [page_prints(reader) for reader in readers]

    def text(number: int, page: int) -> str:
        return readers[number].pages[page].extract_text()

    joins: list[tuple[int, int] | None] = []
    valid_from = 0  # the first page of the piece before that is the table's
    for number in range(1, len(parts)):
        before, here = prints[number - 1], prints[number]
        at = {page: index for index, page in reversed(list(enumerate(before))) if index >= valid_from}
        meet = None
        for j, page in enumerate(here):
            i = at.get(page)
            if i is not None and text(number - 1, i) == text(number, j):
                meet = (i, j)
                break
        joins.append(meet)
        if meet is None:
            valid_from = 0
            continue
        valid_from = meet[1]
    return joins


def stitch(parts: list[bytes], joins: list[tuple[int, int] | None] | None = None, numbering: Numbering | None = None,
           cache=None) -> bytes:
    """The pieces as one PDF, each piece's pages from where the one before met it (``joins``, of
    :func:`join`; all its pages when None) to where the next meets it; numbered (``numbering``) as if it had
    been laid out in one go."""
    joins = joins if joins is not None else [None] * (len(parts) - 1)
    firsts = [0] + [meet[1] if meet else 0 for meet in joins]
    lasts = [meet[0] if meet else None for meet in joins] + [None]
    writer = PdfWriter()
    for part, first, last in zip(parts, firsts, lasts):
        reader = PdfReader(io.BytesIO(part))
        stop = len(reader.pages) if last is None else last
        if stop > first:
            writer.append(reader, pages=(first, stop))
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
