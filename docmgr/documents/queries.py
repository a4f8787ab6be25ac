"""Read-side queries for document lists: the registers' columns, filters in the column headers, sorting,
page sizes, and what a list loads (the columns it shows, never the text)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from sqlalchemy import exists, extract, false, func, nulls_last, select, true
from sqlalchemy.orm import Session

from docmgr.documents.fields import parse_date
from docmgr.documents.loading import PerUserCache, fetch_in_order
from docmgr.documents.models import DIRECTIONS, Assignment, Document, Recipient
from docmgr.errors import UserValueError
from docmgr.web import page_number
from docmgr.workflow import queues
from docmgr.workflow.definitions import WORKFLOWS
from docmgr.workflow.permissions import visible_to  # the SQL form of the permission rules


PAGE_SIZES = (25, 50, 100, 200)
EXPORT_LIMIT = 10_000

_LEAD_UNIT = select(Assignment.lead_unit).where(Assignment.document_id == Document.id).scalar_subquery()
_FIRST_RECIPIENT = (select(Recipient.text).where(Recipient.document_id == Document.id)
                    .order_by(Recipient.position).limit(1).scalar_subquery())


@dataclass(frozen=True)
class Column:
    """A column of a list: its heading, what it sorts by, and the filter in its header (``text``: contains;
    ``date``: a range; ``select``: one of the values present; None: none)."""

    key: str
    title: str
    sort: tuple = ()
    filter: str | None = None
    expression: object = None  # what a text or select filter matches


COLUMNS: dict[str, Column] = {c.key: c for c in (
    Column("arrival", "Số đến", (Document.arrival_date, Document.arrival_number), "text", Document.arrival_number),
    Column("arrival_date", "Ngày đến", (Document.arrival_date, Document.arrival_number), "date",
           Document.arrival_date),
    Column("number", "Số, ký hiệu", (Document.sequence, Document.number), "text", Document.number),
    Column("issued_on", "Ngày văn bản", (Document.issued_on,), "date", Document.issued_on),
    Column("issuer", "Nơi gửi", (Document.issuer,), "text", Document.issuer),
    Column("subject", "Trích yếu", (Document.subject,), "text", Document.subject),
    Column("doc_type", "Tên loại", (Document.doc_type,), "select", Document.doc_type),
    Column("signer", "Người ký", (Document.signer,), "text", Document.signer),
    Column("recipients", "Nơi nhận", (_FIRST_RECIPIENT,), "text", Recipient.text),
    Column("lead_unit", "Đơn vị xử lý", (_LEAD_UNIT,), "select", Assignment.lead_unit),
    Column("due_date", "Hạn xử lý", (Document.due_date,), "date", Document.due_date),
    Column("state", "Trạng thái", (Document.state,), "select", Document.state),
    Column("created", "Ngày nhập", (Document.created_at,), None),
)}

# The columns of each list, as the registers have them (Phụ lục IV): incoming by số đến, outgoing by number.
LAYOUTS = {
    "incoming": ("arrival", "arrival_date", "number", "issued_on", "issuer", "subject", "lead_unit", "due_date",
                 "state"),
    "outgoing": ("number", "issued_on", "subject", "signer", "recipients", "state"),
    "internal": ("number", "issued_on", "subject", "signer", "recipients", "state"),
    None: ("number", "issued_on", "subject", "issuer", "signer", "state"),
}
DEFAULT_SORT = {"incoming": "-arrival", "outgoing": "-issued_on", "internal": "-issued_on", None: "-issued_on"}
# The sort names of earlier versions (links and API clients keep working).
OLD_SORTS = {"date_desc": "-issued_on", "date_asc": "issued_on", "number_asc": "number", "number_desc": "-number",
             "created_desc": "-created"}
COLUMN_TITLES_BY_DIRECTION = {("number", "outgoing"): "Số, ký hiệu", ("issued_on", "outgoing"): "Ngày",
                              ("issuer", None): "Cơ quan ban hành", ("issued_on", None): "Ngày"}


def column_title(key: str, direction: str | None) -> str:
    return COLUMN_TITLES_BY_DIRECTION.get((key, direction if direction != "internal" else "outgoing"),
                                          COLUMNS[key].title)


@dataclass
class Filters:
    """What a list shows: a direction, a named queue (:mod:`docmgr.workflow.queues`), column filters, the sort
    and the page. Read from the query string and written back to it for links."""

    direction: str | None = None
    queue: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # column key → text or select value
    ranges: dict[str, tuple[dt.date | None, dt.date | None]] = field(default_factory=dict)
    year: int | None = None
    sort: str = "-issued_on"
    page: int = 1
    per_page: int = 20
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args, per_page: int = 20) -> Filters:
        direction = args.get("direction") if args.get("direction") in DIRECTIONS else None
        queue = args.get("queue") if args.get("queue") in (*queues.QUEUES, *queues.EXTRA_TITLES) else None
        if queue in queues.QUEUES and direction is None:
            direction = queues.QUEUES[queue].direction
        values, ranges, errors = {}, {}, {}
        for key, column in COLUMNS.items():
            if column.filter in ("text", "select"):
                value = " ".join((args.get(key) or "").split())[:200]
                if value:
                    values[key] = value
            elif column.filter == "date":
                bounds = []
                for end in ("from", "to"):
                    raw = (args.get(f"{key}_{end}") or "").strip()
                    try:
                        bounds.append(_date_arg(raw, column.title))
                    except UserValueError as exc:
                        errors[f"{key}_{end}"] = str(exc)
                        bounds.append(None)
                if any(bounds):
                    ranges[key] = (bounds[0], bounds[1])
        year = (args.get("year") or "").strip()
        sort = args.get("sort") or ""
        sort = OLD_SORTS.get(sort, sort)
        if sort.lstrip("-") not in COLUMNS:
            sort = DEFAULT_SORT[direction]
        size = args.get("per_page", "")
        size = int(size) if size.isdigit() and int(size) in PAGE_SIZES else per_page
        return cls(direction=direction, queue=queue, values=values, ranges=ranges,
                   year=int(year) if year.isdigit() and len(year) == 4 else None, sort=sort,
                   page=page_number(args.get("page")), per_page=size, errors=errors)

    @property
    def columns(self) -> tuple[str, ...]:
        return LAYOUTS[self.direction]

    @property
    def filtered(self) -> bool:
        return bool(self.values or self.ranges or self.year)

    def as_args(self, **override) -> dict:
        data: dict = {"direction": self.direction, "queue": self.queue, **self.values, "year": self.year,
                      "sort": self.sort, "page": self.page, "per_page": self.per_page}
        for key, (start, end) in self.ranges.items():
            data[f"{key}_from"] = start.isoformat() if start else None
            data[f"{key}_to"] = end.isoformat() if end else None
        data.update(override)
        return {k: v for k, v in data.items() if v not in (None, "")}

    def cleared_args(self) -> dict:
        """The same list without its column filters."""
        return {k: v for k, v in (("direction", self.direction), ("queue", self.queue), ("sort", self.sort),
                                  ("per_page", self.per_page)) if v}

    def sort_link(self, key: str) -> dict:
        """Arguments of the link in a column's heading: sort by it, or the other way when it already is."""
        return self.as_args(sort=key if self.sort == f"-{key}" else f"-{key}", page=None)

    def sorted_by(self, key: str) -> str | None:
        return "desc" if self.sort == f"-{key}" else "asc" if self.sort == key else None

    def range_value(self, key: str, end: int) -> str:
        value = self.ranges.get(key, (None, None))[end]
        return value.strftime("%d/%m/%Y") if value else ""


def _date_arg(raw: str, title: str) -> dt.date | None:
    """A date from a filter: ISO (a date picker's value) or dd/mm/yyyy typed."""
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return parse_date(raw, title)


@dataclass
class Page:
    items: list[Document]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _contains(expression, value: str):
    """Case-insensitive containment, Vietnamese letters included (lower() is Unicode-aware on PostgreSQL and,
    with docmgr's function, on SQLite: :func:`docmgr.db.make_engine`)."""
    return func.lower(expression).contains(value.lower(), autoescape=True)


def _conditions(filters: Filters, user) -> list:
    out = []
    condition = visible_to(user)
    if condition is not None:
        out.append(condition)
    if filters.direction:
        out.append(Document.direction == filters.direction)
    if filters.queue:
        named = queues.condition_for(user, filters.queue)
        out.append(named if named is not None else false())
    for key, value in filters.values.items():
        column = COLUMNS[key]
        if key == "arrival":
            out.append(Document.arrival_number == int(value) if value.isdigit() else Document.id.is_(None))
        elif key == "recipients":
            out.append(exists().where(Recipient.document_id == Document.id, _contains(Recipient.text, value)))
        elif key == "lead_unit":
            out.append(Document.id.in_(select(Assignment.document_id).where(Assignment.lead_unit == value)))
        elif column.filter == "select":
            out.append(column.expression == value)
        else:
            out.append(_contains(column.expression, value))
    for key, (start, end) in filters.ranges.items():
        expression = COLUMNS[key].expression
        if start:
            out.append(expression >= start)
        if end:
            out.append(expression <= end)
    if filters.year:
        out.append(extract("year", Document.issued_on) == filters.year)
    return out


def _order(filters: Filters) -> list:
    descending = filters.sort.startswith("-")
    column = COLUMNS[filters.sort.lstrip("-")]
    order = [nulls_last(e.desc() if descending else e.asc()) for e in column.sort]
    return [*order, Document.id.desc() if descending else Document.id.asc()]


def list_documents(db: Session, filters: Filters, per_page: int | None = None, user=None) -> Page:
    """One page of the list, in two steps: the page's ids (filters, order, OFFSET — all read from the list's
    covering index, ix_documents_list, never from the rows, whose text would be read with them), then those
    rows."""
    per_page = per_page or filters.per_page
    conditions = _conditions(filters, user)
    page = select(Document.id).where(*conditions).order_by(*_order(filters)).limit(per_page) \
        .offset((filters.page - 1) * per_page)
    if _matches_text(filters):
        # Every row is tested against the words typed (no index can say which contain them): count them in
        # the same pass as the page's ids are picked (one scan, not two). A page past the end has no row to
        # carry the count, which is then read again.
        rows = db.execute(page.add_columns(func.count().over())).all()
        ids = [row[0] for row in rows]
        total = rows[0][1] if rows else db.scalar(select(func.count(Document.id)).where(*conditions))
    else:  # the count and the page each read the list's index (the page stops after its rows)
        total = db.scalar(select(func.count(Document.id)).where(*conditions))
        ids = db.scalars(page).all()
    return Page(fetch_in_order(db, ids, filters.direction), total or 0, filters.page, per_page)


def _matches_text(filters: Filters) -> bool:
    """Whether the list is filtered by words contained in a column (a scan of every row)."""
    return any(COLUMNS[key].filter == "text" and key != "arrival" for key in filters.values)


def export_rows(db: Session, filters: Filters, user, limit: int | None = None) -> tuple[list[Document], int]:
    """The filtered list in its order, at most ``limit`` documents (:data:`EXPORT_LIMIT`), and how many there
    are in all."""
    limit = limit or EXPORT_LIMIT
    conditions = _conditions(filters, user)
    total = db.scalar(select(func.count(Document.id)).where(*conditions)) or 0
    ids = db.scalars(select(Document.id).where(*conditions).order_by(*_order(filters)).limit(limit)).all()
    return fetch_in_order(db, ids, filters.direction, recipients=True), total


_choices = PerUserCache(seconds=60.0)  # a new type or unit shows in other processes' menus within a minute


def filter_choices(db: Session, user, direction: str | None = None) -> dict[str, list]:
    """Values present among the documents ``user`` may view (None: all), for the select filters: a menu must
    not tell of a hidden document's type, unit or year. Read from the list index in two scans, and kept for
    a minute per user and list (every list page shows them)."""
    return _choices.get(PerUserCache.key(db, user, direction), lambda: _read_choices(db, user, direction))


def _read_choices(db: Session, user, direction: str | None) -> dict[str, list]:
    seen = visible_to(user) if user is not None else true()
    if seen is None:
        seen = true()
    where = [seen] + ([Document.direction == direction] if direction else [])
    pairs = db.execute(select(Document.doc_type, extract("year", Document.issued_on)).where(*where).distinct()).all()
    units = db.scalars(select(Assignment.lead_unit).distinct().where(
        Assignment.document_id.in_(select(Document.id).where(*where)))) if direction in ("incoming", None) else []
    workflow = WORKFLOWS.get(direction or "", None)
    states = ([(name, s.title) for name, s in workflow.states.items()] if workflow else
              sorted({(name, s.title) for w in WORKFLOWS.values() for name, s in w.states.items()}, key=lambda x: x[1]))
    return {
        "doc_types": sorted({t for t, _y in pairs if t}),
        "lead_units": sorted(u for u in units if u),
        "years": sorted({int(y) for _t, y in pairs if y}, reverse=True),
        "states": states,
    }
