"""Lines of text with their place on the page, and the plain text the metadata parser reads from them.

A scan's words come from OCR with boxes; the parser reads text. An official document's header and closing
are two columns (issuer | motto; number | place and date; Nơi nhận | signature): :func:`compose` reads such
regions column by column, as the cells of the printed form's table, and the rest row by row.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass


@dataclass
class Line:
    """One line of text on a page: ``page`` is 1-based; the box is in points from the page's top-left."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    confidence: float | None = None  # 0–100 for OCR, None for a text layer
    size: float | None = None  # a text layer's letter: its type size (em), which its box's height is not

    @property
    def height(self) -> float:
        return max(0.1, self.y1 - self.y0)

    def as_json(self) -> dict:
        return {"page": self.page, "box": [round(self.x0, 1), round(self.y0, 1), round(self.x1, 1),
                                           round(self.y1, 1)],
                "text": self.text, "confidence": None if self.confidence is None else round(self.confidence, 1)}

    @classmethod
    def from_json(cls, data: dict) -> Line:
        x0, y0, x1, y1 = data["box"]
        return cls(data["page"], x0, y0, x1, y1, data["text"], data.get("confidence"))


def rows(lines: list[Line]) -> list[list[Line]]:
    """Group lines into rows: a line belongs to a row whose band it overlaps by half its height or more."""
    out: list[list[Line]] = []
    bands: list[tuple[float, float]] = []
    for line in sorted(lines, key=lambda item: (item.y0 + item.y1) / 2):
        for index in range(len(out) - 1, max(-1, len(out) - 4), -1):  # the last few rows are enough
            top, bottom = bands[index]
            overlap = min(bottom, line.y1) - max(top, line.y0)
            if overlap >= 0.5 * min(line.height, bottom - top):
                out[index].append(line)
                bands[index] = (min(top, line.y0), max(bottom, line.y1))
                break
        else:
            out.append([line])
            bands.append((line.y0, line.y1))
    for row in out:
        row.sort(key=lambda item: item.x0)
    return out


def _split(row: list[Line], gap: float) -> int | None:
    """Where the widest gap between the lines of a row is (the index of the first line on its right), if it
    is wide enough to part two columns."""
    best, at = 0.0, None
    for index, (left, right) in enumerate(zip(row, row[1:]), start=1):
        if right.x0 - left.x1 > best:
            best, at = right.x0 - left.x1, index
    return at if best >= gap else None


class _Edges:
    """The left edges and the centres of each row's lines, sorted, made when first asked for: which lines of a
    row start, or are centred, near a place (a bisection, not a walk over the row)."""

    def __init__(self, grouped: list[list[Line]]) -> None:
        self.grouped = grouped
        self.made: dict[int, tuple[list[tuple[float, float]], list[tuple[float, float]]]] = {}

    def of(self, index: int) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
        if index not in self.made:
            row = self.grouped[index]
            self.made[index] = (sorted((line.x0, line.x0) for line in row),
                                sorted(((line.x0 + line.x1) / 2, line.x0) for line in row))
        return self.made[index]

    def lined_up(self, index: int, place: float, by_centre: bool, right_of: float) -> bool:
        """Does a line of row ``index`` starting right of ``right_of`` have its left edge (or centre) at
        ``place``, give or take :data:`_ALIGNED`?"""
        keys = self.of(index)[1 if by_centre else 0]
        start = bisect.bisect_left(keys, (place - _ALIGNED, float("-inf")))
        for at in range(start, min(len(keys), start + _LINED_UP_LOOK)):  # more on one place: no table's row
            if keys[at][0] > place + _ALIGNED:
                return False
            if keys[at][1] > right_of:
                return True
        return False


def _aligned_split(grouped: list[list[Line]], index: int, typical: float, edges: _Edges) -> int | None:
    """Where row ``index`` parts into two columns at a narrower gap (half a line's height or more): when the
    line right of the gap lines up — its left edge or its centre — with a line of a row just above or below
    that also stands right of the gap (a table's right cell: «KT. CHỦ TỊCH» over «PHÓ CHỦ TỊCH» beside the
    Nơi nhận list's long items). For a text layer, whose lines in a row part only at a gap or where the page
    drew them apart."""
    row = grouped[index]
    near = [n for n in (index - 2, index - 1, index + 1, index + 2) if 0 <= n < len(grouped)]
    for at in range(1, len(row)):
        left, right = row[at - 1], row[at]
        if right.x0 - left.x1 < 0.5 * typical:
            continue
        centre = (right.x0 + right.x1) / 2
        if any(edges.lined_up(n, right.x0, False, left.x1) or edges.lined_up(n, centre, True, left.x1)
               for n in near):
            return at
    return None


def _side_by_side(grouped: list[list[Line]], gap: float) -> list[list[Line]]:
    """``grouped`` with a row joined to the one before it when they stand side by side — a ``gap`` or more
    apart, one wholly left of the other — and their lines overlap at all, though by less than half a line (two
    table cells whose lines are set half a line apart: «KT. BỘ TRƯỞNG» between the Nơi nhận list's «- Các Thứ
    trưởng;» and «- Các Bộ: …»), so that the two columns begin there."""
    out: list[list[Line]] = []
    for row in grouped:
        if out and len(out[-1]) == 1 and len(row) == 1:
            before, line = out[-1][0], row[0]
            overlap = min(before.y1, line.y1) - max(before.y0, line.y0)
            if overlap > 0 and (line.x0 - before.x1 >= gap or before.x0 - line.x1 >= gap):
                out[-1] = sorted([before, line], key=lambda item: item.x0)
                continue
        out.append(row)
    return out


_ALIGNED = 2.5  # points: lines this close are set on one edge or one centre
_LINED_UP_LOOK = 64  # lines looked at around one place of a row, at most


_PAGE_NUMBER_RE = re.compile(r"^[-–—\s]*(?:Trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—\s]*$", re.IGNORECASE)


def _is_page_number(row: list[Line]) -> bool:
    """A row that holds only a page's number ("3", "- 3 -", "Trang 3", "3/12"), not "3." of a list."""
    return bool(_PAGE_NUMBER_RE.match(" ".join(line.text for line in row)))


def _emit(out: list[str], lines: list[Line], typical: float) -> None:
    """Lines in order, one text line a row; an empty line where the gap above is wider than a line's."""
    previous_bottom = None
    for row in rows(lines):
        top = min(line.y0 for line in row)
        if previous_bottom is not None and top - previous_bottom > 0.9 * typical and out and out[-1]:
            out.append("")
        out.append(" ".join(line.text for line in row))
        previous_bottom = max(line.y1 for line in row)


def compose(lines: list[Line], text_layer: bool = False) -> str:
    """The text of one page's lines in reading order (:func:`compose_page`)."""
    return compose_page(lines, text_layer)[0]


def compose_page(lines: list[Line], text_layer: bool = False, column: float | None = None
                 ) -> tuple[str, float | None]:
    """The text of one page's lines in reading order, and where the right column of a two-column region that
    runs to the page's foot starts (None when none does).

    Rows whose lines are parted by a wide gap start a two-column region (the header: issuer | motto,
    number | place and date; the closing: Nơi nhận | signature); it goes on while each row's lines keep to
    one side of that gutter. A region is read column by column, left then right, each column's lines in
    order, as a printed form's table cells are: the metadata parser reads the header and the closing so.
    Everything else is read row by row; a wider gap between rows than between the lines of a paragraph
    becomes an empty line (a block). A running page number alone in the first or the last row is left out.
    A ``text_layer``'s rows also part at a narrower gap where columns line up (:func:`_aligned_split`), and
    two rows side by side, half a line apart, are one (:func:`_side_by_side`). ``column``: where the right
    column of the page before started, when its region ran to that page's foot (a closing cut by a page break:
    the Nơi nhận list goes on, the signer's name stands beside it): the page's first rows part there too.
    """
    grouped = rows(lines)
    while grouped and _is_page_number(grouped[0]):  # the running page number at the top or the foot
        grouped = grouped[1:]
    while grouped and _is_page_number(grouped[-1]):
        grouped = grouped[:-1]
    if not grouped:
        return "", None
    lines = [line for row in grouped for line in row]
    heights = sorted(line.height for line in lines)
    typical = heights[len(heights) // 2]
    if text_layer:
        grouped = _side_by_side(grouped, 1.5 * typical)
    out: list[str] = []
    index = 0
    edges = _Edges(grouped)
    open_column = None
    while index < len(grouped):
        row = grouped[index]
        split = _split(row, 1.5 * typical)
        if split is None and text_layer and len(row) > 1:
            split = _aligned_split(grouped, index, typical, edges)
        if split is None and column is not None and len(row) > 1:
            split = _split_at(row, column, typical)
        if split is None:
            _emit(out, row, typical)
            index += 1
            if column is not None and any(line.x1 >= column for line in row):
                column = None  # a row that reaches the column: the region of the page before is over
            continue
        left, right = row[:split], row[split:]
        left_end, right_start = max(line.x1 for line in left), min(line.x0 for line in right)
        index += 1
        while index < len(grouped):
            bottom = max(line.y1 for line in left + right)
            if min(line.y0 for line in grouped[index]) - bottom > 0.6 * typical \
                    and all(line.x1 < right_start for line in grouped[index]):
                break  # a new block at the left margin under both columns: the body («Kính gửi: …») begins
            sides = []
            for line in grouped[index]:
                if line.x1 < right_start:
                    sides.append(left)  # within the left column, however long
                elif line.x0 > left_end:
                    sides.append(right)
                else:
                    break  # a line across both columns: the region is over
            else:
                for line, side in zip(grouped[index], sides):
                    side.append(line)
                left_end = max(line.x1 for line in left)
                right_start = min(line.x0 for line in right)
                index += 1
                continue
            break
        if out and out[-1]:
            out.append("")
        _emit(out, left, typical)
        out.append("")
        _emit(out, right, typical)
        out.append("")
        open_column = right_start if index == len(grouped) else None
    while out and not out[-1]:
        out.pop()
    return "\n".join(out), open_column


def _split_at(row: list[Line], column: float, typical: float) -> int | None:
    """Where ``row`` parts at ``column``, the left edge of the page before's right column: a line of the row
    starts there (give or take :data:`_ALIGNED`) half a line or more right of the line before it."""
    for at in range(1, len(row)):
        if abs(row[at].x0 - column) <= _ALIGNED and row[at].x0 - row[at - 1].x1 >= 0.5 * typical:
            return at
    return None
