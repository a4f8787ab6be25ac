"""Where a long table's pages will start, foreseen before it is laid out, so that its pieces can be cut where a
page breaks anyway (:mod:`docmgr.printing.pieces`).

WeasyPrint puts a table's rows down a page until the next row does not fit, then starts a page, the column heads
repeated at its top. Rows are kept whole, except a *tall* one (over a quarter of a page), which goes on over the
next page where its page ends; so the pages are full to within a row. A row's height is its cell of most lines
times a line's height, plus the cells' padding and border; a cell's lines are found here as Pango breaks them: at
the spaces (and after a hyphen before a letter), when the next word would pass the column's width, the words'
widths taken from the shipped font by Pillow (with HarfBuzz's shaping, through raqm, where Pillow has it). A tall
row split at a page's foot is split as WeasyPrint splits it (:func:`_split`): cell by cell, each cell whole or
keeping the lines that fit, two at least and two for the next page, or none; a row none of whose cells shows
anything at the foot starts the next page.

What this cannot know it measures: where the first row of a page stands (under the first page's heading, under
the heads of the others), what a row adds to its lines, where a page's rows end — once per table, from a few of
its rows laid out by WeasyPrint (:func:`measure`). Where a line fits within a hair of a page's foot, both outcomes
are followed until they meet again, and only the pages that start alike in all of them are foreseen.

The foresight can still be wrong (a word whose width is within a hair of the column's, a font fallback): the
pieces are checked where they meet, so a wrong guess costs time, never a wrong page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from PIL import ImageFont, features

from docmgr.printing.pdf import FONT_DIR, FONT_FILES


PX_PER_PT = 96 / 72
PX_PER_MM = 96 / 25.4
MEASURE_SIZE = 1000  # Pillow measures at this size: widths in thousandths of an em
TALL_SHARE = 0.25  # a row over this share of a page's rows' height may go on over the next page
DEFAULT_PAD_PT = 2 + 2 + 0.6  # what a row adds to its lines: its padding and one border (when not measured)
PADDING_PT = 2 + 2  # a row's cells' padding, top and bottom (base.html's table.grid)
SPLIT_PAD_PT = 2  # what each part of a row split over two pages lacks: the padding at the break
NOISE = 0.05  # px: a whole row, measured, fits to within the sums' rounding
DOUBT = 0.3  # px: a split cell's lines, whose padding at the page's foot is not measured, fit to within this
MAX_OUTCOMES = 16  # outcomes followed at most (beyond, the foresight keeps the extremes and may be wrong)
ORPHANS = WIDOWS = 2  # CSS's defaults: a split cell's lines that stay at the foot and go on to the next page
HYPHEN_BREAK = re.compile(r"(?<=-)(?=[^\W\d_])")  # Pango may break after a hyphen before a letter (UAX #14)


@dataclass(frozen=True)
class Geometry:
    """A table's page, in CSS px: where the first row stands on the first page and on the others, where rows
    must end, what a row adds to its lines, and a line's height."""

    first_top: float
    top: float
    bottom: float
    pad: float
    line: float


@dataclass(frozen=True)
class Grid:
    """A table's columns as its template sets them: their shares of the table's width (the last takes the rest),
    the table's width (pt), its font size (pt) and line height (a multiple of the font size)."""

    shares: tuple[float, ...]
    width_pt: float
    font_pt: float
    line_height: float
    cell_pad_pt: float = 6.0 + 0.75  # padding left and right (base.html's table.grid), and the 0.6pt border as laid out

    @property
    def line_px(self) -> float:
        return self.font_pt * self.line_height * PX_PER_PT

    def column_ems(self, whole: bool = False) -> list[float]:
        """Each column's width for text, in ems of the table's font; ``whole``: one cell across them all."""
        rest = max(0.0, 1 - sum(self.shares))
        shares = list(self.shares) + ([rest] if rest > 0.001 else [])
        if whole:
            shares = [sum(shares)]
        return [max(1.0, share * self.width_pt - self.cell_pad_pt) / self.font_pt for share in shares]


@lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(FONT_DIR / FONT_FILES[("normal", "normal")]), size=MEASURE_SIZE, layout_engine=engine)


@lru_cache(maxsize=100_000)
def word_em(word: str) -> float:
    """A word's advance width in the shipped regular face, in ems."""
    return _font().getlength(word) / MEASURE_SIZE


def cell_lines(text: str, width_em: float) -> int:
    """The lines ``text`` takes in a column ``width_em`` wide: greedy, as Pango breaks a paragraph; a word
    longer than the column is broken where it passes it (``overflow-wrap: break-word``)."""
    space = word_em(" ")
    lines = 0
    for paragraph in text.split("\n"):
        tokens = [(part, n == 0) for word in paragraph.split() for n, part in enumerate(HYPHEN_BREAK.split(word))]
        if not tokens:
            continue
        lines += 1
        x = -1.0  # the line's width so far; -1: nothing on it yet
        for word, spaced in tokens:
            width = word_em(word)
            gap = space if spaced else 0.0
            if x < 0:
                x = width
            elif x + gap + width <= width_em + 1e-6:
                x += gap + width
            else:
                lines += 1
                x = width
            if x > width_em + 1e-6:  # a word wider than the column: broken over lines of its own
                extra = math.ceil(x / width_em) - 1
                lines += extra
                x -= extra * width_em
    return lines


def row_lines(cells: list[str], grid: Grid) -> list[int]:
    """The lines of each cell of a table row (a row of one cell spans the table: a group's heading)."""
    ems = grid.column_ems(whole=len(cells) == 1)
    return [cell_lines(text, width) for text, width in zip(cells, ems)]


Unit = list[list[int]]  # a row of the table, or a group's heading kept with its first member: its lines by cell


def tall_units(units: list[Unit], page_lines: float) -> frozenset[int]:
    """The units that may go on over the next page: one table row of over ``TALL_SHARE`` of a page's lines."""
    return frozenset(index for index, rows in enumerate(units)
                     if len(rows) == 1 and max(rows[0], default=0) > TALL_SHARE * page_lines)


def _lines_that_fit(room: float, line: float) -> set[int]:
    """How many lines fit in ``room``: one number, or the two it is between when within ``DOUBT`` of a line."""
    lines = math.floor(room / line)
    if room - lines * line < DOUBT:
        return {lines, lines - 1}
    if (lines + 1) * line - room < DOUBT:
        return {lines, lines + 1}
    return {lines}


def _split(cells: list[int], room: float, geometry: Geometry, top_pad: float) -> set[tuple[bool, tuple[int, ...]]]:
    """A row split at a page's foot, ``room`` px below where it starts: whether any of its cells shows something
    there, and the lines each cell takes on to the next page — every outcome the foresight cannot tell apart.

    As WeasyPrint does it: a cell that fits whole, its padding and border with it, stays whole; another keeps
    the lines that fit under its top padding (``top_pad``), at least ``ORPHANS`` and leaving ``WIDOWS``, or none
    (and shows nothing). An empty cell shows nothing."""
    line = geometry.line
    options: list[set[tuple[bool, int]]] = []
    for lines in cells:
        outcomes: set[tuple[bool, int]] = set()
        if lines == 0:
            outcomes.add((False, 0))
        else:
            whole = room - (geometry.pad + lines * line)
            if whole >= -DOUBT:
                outcomes.add((True, 0))
            if whole < DOUBT:
                for fits in _lines_that_fit(room - top_pad, line):
                    keep = min(max(fits, 0), lines - WIDOWS)
                    keep = keep if keep >= ORPHANS else 0
                    outcomes.add((keep > 0, lines - keep))
        options.append(outcomes)
    results = {(False, ())}
    for outcomes in options:
        results = {(shown or show, left + (rest,)) for shown, left in results for show, rest in outcomes}
        if len(results) > MAX_OUTCOMES:
            results = set(sorted(results)[:MAX_OUTCOMES])
    return results


def _place(index: int, rows: Unit, y: float, geometry: Geometry, tall: frozenset[int]) -> set[tuple[float, bool]]:
    """Where the page's rows stand after unit ``index`` put down at ``y``, and whether it starts a page whole:
    every outcome that the foresight cannot tell apart."""
    top, bottom, line = geometry.top, geometry.bottom, geometry.line
    next_pad = geometry.pad - SPLIT_PAD_PT * PX_PER_PT  # a split row's parts lack the padding at the break
    top_pad = next_pad - (geometry.pad - PADDING_PT * PX_PER_PT) / 2  # above a cell's lines: half the border
    height = sum(geometry.pad + max(cells, default=0) * line for cells in rows)
    at_top = index == 0 or y <= top + 0.01
    room = bottom - y - height
    out: set[tuple[float, bool]] = set()
    if room >= -NOISE or at_top and index not in tall:  # it fits (or could), or overflows a page of its own
        out.add((y + height, False))
    if room >= NOISE or at_top and index not in tall:
        return out
    if index not in tall:  # kept whole: on the next page
        return out | {(top + height, True)}
    pending = {(y, tuple(rows[0]), False)}  # goes on over the next page from where it ends
    for _ in range(1000):
        if not pending:
            break
        at, cells, started = pending.pop()
        for shown, left in _split(list(cells), bottom - at, geometry, top_pad):
            if not shown and at <= top + 0.01:  # not a line fits on a page: WeasyPrint lets it overflow
                out.add((bottom, started))
                continue
            if not shown:  # nothing of it at the foot: it starts the next page
                if top + geometry.pad + max(left, default=0) * line <= bottom:
                    out.add((top + geometry.pad + max(left, default=0) * line, True))
                else:
                    pending.add((top, left, True))
                continue
            rest = next_pad + max(left, default=0) * line
            if top + rest <= bottom:
                out.add((top + rest, started))
            else:
                pending.add((top, left, started))
    return out


def foresee(units: list[Unit], geometry: Geometry, tall: frozenset[int]) -> list[int]:
    """Where pages start, from each unit's lines: the units a page starts with, whole, in every outcome the
    foresight cannot tell apart (a row that fits within a hair of the page's foot may or may not fit: both
    are followed until they meet again). The first page's is not counted."""
    states = {round(geometry.first_top, 2)}
    starts: list[int] = []
    for index, rows in enumerate(units):
        outcomes = {outcome for y in states for outcome in _place(index, rows, y, geometry, tall)}
        if all(started for _, started in outcomes):
            starts.append(index)
        states = {round(y, 2) for y, _ in outcomes}
        if len(states) > MAX_OUTCOMES:  # too many to follow: the lowest and the highest
            states = {min(states), max(states)}
    return starts


def measure(first, rest, units: list[Unit], line: float, bottom_margin: float) -> Geometry:
    """A table's geometry from its first rows laid out twice (WeasyPrint documents whose rows have ids
    ``row-<index>``): ``first`` as the table's first page has them (under its heading), ``rest`` as any other
    page (the column heads only). ``units``: those rows' table rows by their lines."""
    def where(document, name):
        for page in document.pages:
            if name in page.anchors:
                return page, page.anchors[name]
        return None, None

    first_page, first_box = where(first, "row-0")
    page, box = where(rest, "row-0")
    if page is None or first_page is None:
        raise ValueError("the measured rows have no ids")
    pads = []
    for index in range(len(units) - 1):
        here, this = where(rest, f"row-{index}")
        there, that = where(rest, f"row-{index + 1}")
        if here is not None and here is there and units[index]:
            lines = sum(max(cells, default=0) for cells in units[index])
            pads.append((that[1] - this[1] - lines * line) / len(units[index]))
    pads.sort()
    pad = pads[len(pads) // 2] if pads else DEFAULT_PAD_PT * PX_PER_PT
    return Geometry(first_top=first_box[1], top=box[1], bottom=page.height - bottom_margin, pad=pad, line=line)
