"""PDF layouts of the printed forms of Phụ lục I and IV (not web forms), filled from documents, the
address book and the config.

Each ``*_pdf`` function returns the PDF bytes; they need an app context (the
templates are the app's Jinja templates under ``templates/printing/``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import Session

from docmgr import clock
from docmgr.addressbook.matching import AddressBook, Resolution, name_key, resolve
from docmgr.addressbook.models import Organization
from docmgr.casefiles.queries import documents_in
from docmgr.documents.models import Document, WorkflowEvent
from docmgr.errors import UserValueError
from docmgr.extraction.sandbox import submit
from docmgr.office import settings as office_settings
from docmgr.printing import paging, pieces
from docmgr.printing.body import body_paragraphs
from docmgr.printing.pdf import FONT_FAMILY, font_faces, html_to_pdf, render_document
from docmgr.text import is_upper_text
from docmgr.workflow.permissions import visible_to


ENVELOPE_SIZES = {"DL": (220, 110), "C5": (229, 162), "C4": (324, 229)}  # mm, landscape
REGISTERS = {
    "outgoing": "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
    "incoming": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    "post": "SỔ GỬI VĂN BẢN ĐI BƯU ĐIỆN",
}
# Long tables (registers, distribution lists) are laid out in pieces (printing.pieces): WeasyPrint keeps every
# laid-out page in memory, so a 5,000-line register in one piece would take gigabytes, and a long table's pages
# get slower to lay out the further they are from its start; pieces are laid out at the same time, and kept.
PIECE_ROWS = (120, 400)  # rows in a piece: at least, at most
PIECE_EVERY = 250  # rows a piece holds on average: a cut is made where a row's content hash says so
JOIN_PAGES = 2  # a piece runs on this many foreseen pages into the next, where the two must meet
MEASURE_ROWS = 8  # a long table's first rows, laid out to measure where its rows stand on a page
REGISTER_NUMBERING = pieces.Numbering("A4 landscape", 20, 15, 15, 25)  # as register.html's @page
PORTRAIT_NUMBERING = pieces.Numbering("A4", 20, 15, 20, 30)  # as base.html's @page
# The long tables' columns (their shares of the width; the last column takes the rest), font size (pt) and line
# height: the templates set them from here, and printing.paging foresees their pages from the same.
REGISTER_COLUMNS = {"outgoing": (.12, .08, .26, .09, .15, .08, .05, .08, .05),
                    "incoming": (.08, .05, .13, .11, .08, .24, .11, .08, .06),
                    "post": (.09, .14, .40, .08, .17)}
REGISTER_TYPE = (11, 1.2)
RECIPIENTS_COLUMNS, RECIPIENTS_TYPE = (.07, .31, .25, .08, .12), (12, 1.3)
CONTENTS_COLUMNS, CONTENTS_TYPE = (.07, .17, .14, .29, .15, .09), (11, 1.3)


def two_digits(value: int) -> str:
    return f"{value:02d}"


def long_date(value: dt.date | None) -> str:
    """"ngày 05 tháng 3 năm 2020": day < 10 and months 1–2 with a leading zero (Phụ lục I)."""
    if value is None:
        return "ngày … tháng … năm …"
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def short_date(value: dt.date | dt.datetime | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def describe(doc: Document, with_subject: bool = True) -> str:
    """"Kế hoạch số 65/KH-UBND ngày 20/03/2024 của Ủy ban nhân dân tỉnh Quảng Ngãi về …"."""
    parts = [doc.doc_type or "Văn bản"]
    if doc.number or doc.notation:
        parts.append(f"số {doc.number or '…/' + doc.notation}")
    if doc.issued_on:
        parts.append(f"ngày {short_date(doc.issued_on)}")
    if doc.issuer:
        parts.append(f"của {doc.issuer}")
    if with_subject and doc.subject:
        if doc.doc_type == "Công văn":  # "V/v …" is usually dropped from the subject; when it was typed, once
            about = ABOUT.match(doc.subject)
            parts.append(("về việc " + doc.subject[about.end():]).rstrip() if about else "về " + doc.subject)
        else:
            parts.append("— " + doc.subject)
    return " ".join(parts)


ABOUT = re.compile(r"(?:v/v|về việc)\b[\s:.]*", re.IGNORECASE)


@dataclass
class Office:
    """Who prints: the office in the config, with its address from the address book when it is there."""

    name: str
    parent: str = ""
    place: str = ""
    notation: str = ""
    entry: Organization | None = None
    extra: dict = field(default_factory=dict)

    @property
    def address(self) -> str:
        return self.entry.address if self.entry else ""

    @property
    def phone(self) -> str:
        return self.entry.phone if self.entry else ""

    @property
    def email(self) -> str:
        return self.entry.email if self.entry else ""


def _entry(book: AddressBook, name: str | None) -> Organization | None:
    found = book.exact.get(name_key(name)) if name else None
    return found if isinstance(found, Organization) else None


def _find_entry(db: Session, name: str) -> Organization | None:
    """The address-book entry named ``name`` (its name, short name or an alias), without loading the book."""
    key = name_key(name) if name else ""
    if not key:
        return None
    found = db.scalar(select(Organization).where(Organization.key == key))
    if found is not None:
        return found
    others = select(Organization).where((Organization.short_name != "") | (Organization.aliases != ""))
    return next((entry for entry in db.scalars(others)
                 if key in {name_key(n) for n in (entry.short_name, *entry.alias_list) if n}), None)


def office(db: Session, book: AddressBook | None = None) -> Office:
    """The office printing: its name, parent body, place and routing-slip notation as set (docmgr.office)."""
    found = office_settings(db)
    name = found["organization"]
    return Office(name=name, parent=found["parent_organization"], place=found["place"],
                  notation=found["organization_notation"] or "VT",
                  entry=_entry(book, name) if book is not None else _find_entry(db, name))


def sender_of(db: Session, doc: Document, book: AddressBook) -> Office:
    """The sender block of an envelope: the issuing body of an outgoing document, else the office."""
    own = office(db, book)
    if doc.issuer and name_key(doc.issuer) != name_key(own.name):
        return Office(name=doc.issuer, parent=doc.parent_issuer or "", place=doc.place or own.place,
                      entry=_entry(book, doc.issuer))
    return own


def _render(template: str, **context) -> str:
    return render_template(f"printing/{template}", font_faces=font_faces(), font_family=FONT_FAMILY,
                           long_date=long_date, short_date=short_date, describe=describe, **context)


def processing_slip_pdf(db: Session, doc: Document, today: dt.date | None = None) -> bytes:
    """Phiếu giải quyết văn bản đến (Phụ lục IV.VII), filled from the assignment when there is one."""
    if doc.direction != "incoming":
        raise UserValueError("Phiếu giải quyết chỉ in cho văn bản đến.")
    return html_to_pdf(_render("processing_slip.html", doc=doc, office=office(db), assignment=doc.assignment,
                               today=today or clock.today()))


def routing_slip_pdf(db: Session, docs: list[Document], to: str, purpose: str, number: str,
                     signer: str = "", today: dt.date | None = None) -> bytes:
    """Phiếu chuyển: forwards ``docs`` to the unit ``to``."""
    if not to.strip():
        raise UserValueError("Phiếu chuyển cần nơi nhận (Kính gửi).")
    return html_to_pdf(_render("routing_slip.html", docs=docs, to=to.strip(), purpose=purpose.strip(),
                               number=number, office=office(db), signer=signer, today=today or clock.today()))


def distribution_list_table(db: Session, doc: Document, resolution: Resolution | None = None,
                            today: dt.date | None = None) -> Table:
    """Danh sách nơi nhận: the recipients after group expansion, numbered; internal filing lines apart.

    ``today`` is the date printed under the header (the day of printing by default)."""
    resolution = resolution or resolve(db, doc)
    addressees = resolution.addressees
    group_sizes = Counter(a.group for a in addressees if a.group)
    return Table("recipients.html", addressees, {
        "doc": doc, "office": office(db), "resolution": resolution, "addressees": addressees,
        "group_sizes": group_sizes, "today": today or clock.today()}, PORTRAIT_NUMBERING,
        grid(PORTRAIT_NUMBERING, RECIPIENTS_COLUMNS, RECIPIENTS_TYPE), repr,
        lambda rows, index: _printed_addressee(rows, index, group_sizes))


def _printed_addressee(addressees: list, index: int, group_sizes: Counter) -> list[list[str]]:
    """What recipients.html prints for an addressee: its group's heading before the group's first, then its row."""
    a = addressees[index]
    rows = []
    if a.group and (index == 0 or addressees[index - 1].group != a.group):
        rows.append([f"Nhóm «{a.group}»: {group_sizes[a.group]} nơi nhận"])
    name = a.name + (f" ({a.note})" if a.note else "") + ("\n* chưa có trong danh bạ" if a.organization is None else "")
    rows.append([str(index + 1), name, (a.address or "") + ("Nội bộ (chuyển tay)" if a.is_internal else ""),
                 str(a.copies), "", ""])
    return rows


def grid(numbering: pieces.Numbering, columns: tuple[float, ...], type_: tuple[float, float]) -> paging.Grid:
    """A long table's columns on its page: the width between the margins."""
    width_mm = numbering.page_mm()[0] - numbering.left_mm - numbering.right_mm
    return paging.Grid(columns, width_mm * 72 / 25.4, *type_)


def distribution_list_pdf(db: Session, doc: Document, resolution: Resolution | None = None,
                          today: dt.date | None = None) -> bytes:
    return table_pdf(distribution_list_table(db, doc, resolution, today))


def envelopes_pdf(db: Session, docs: list[Document], size: str = "DL") -> bytes:
    """Bì văn bản (Phụ lục IV.II): one page per external addressee of each document, in one PDF."""
    if size not in ENVELOPE_SIZES:
        raise UserValueError(f"Khổ phong bì «{size}» không có: chọn {', '.join(ENVELOPE_SIZES)}.")
    book = AddressBook(db)
    envelopes = []
    for doc in docs:
        sender = sender_of(db, doc, book)
        for addressee in resolve(db, doc, book).external:
            envelopes.append({"doc": doc, "sender": sender, "to": addressee})
    if not envelopes:
        raise UserValueError("Không có nơi nhận bên ngoài nào để in phong bì.")
    width, height = ENVELOPE_SIZES[size]
    return html_to_pdf(_render("envelopes.html", envelopes=envelopes, width=width, height=height, size=size))


def title_lines(subject: str | None) -> list[str]:
    """A title's lines: a note in sentence case after a capitalised title, «(Thực hiện … Luật Thủ đô)», is set
    on a line of its own, as the form sets it."""
    head, parenthesis, note = (subject or "").partition(" (")
    if parenthesis and is_upper_text(head) and not is_upper_text(note):
        return [head, parenthesis.strip() + note]
    return [subject] if subject else []


def document_pdf(db: Session, doc: Document, paragraphs: int | None = None) -> bytes:
    """The document itself laid out per Phụ lục I (only its body's first ``paragraphs`` if given)."""
    return html_to_pdf(_render("document.html", doc=doc, body=body_paragraphs(doc)[:paragraphs],
                               title_lines=title_lines(doc.subject),
                               recipients=[r.text for r in doc.recipients],
                               signer_titles=[t for t in (doc.signer_title or "").split(" / ") if t]))


def plain_text_pdf(text: str) -> bytes:
    """``text`` printed line for line (long lines wrap), as a browser prints a page of text."""
    return html_to_pdf(_render("plain_text.html", lines=text.splitlines()))


# --- registers ------------------------------------------------------------------------------

def _dispatch_dates(db: Session, ids: list[int]) -> dict[int, dt.datetime]:
    out: dict[int, dt.datetime] = {}
    for start in range(0, len(ids), 900):
        rows = db.execute(select(WorkflowEvent.document_id, WorkflowEvent.at)
                          .where(WorkflowEvent.document_id.in_(ids[start:start + 900]),
                                 WorkflowEvent.transition == "dispatch").order_by(WorkflowEvent.at))
        for doc_id, at in rows:
            out[doc_id] = at
    return out


def register_rows(db: Session, direction: str, start: dt.date | None, end: dt.date | None, user=None) -> list[dict]:
    """The lines of a register, in order, as plain values (cells)."""
    if direction not in REGISTERS:
        raise UserValueError(f"Sổ «{direction}» không có: chọn {', '.join(REGISTERS)}.")
    query = select(Document)
    condition = visible_to(user)
    if condition is not None:
        query = query.where(condition)
    if direction == "incoming":
        date_column = Document.arrival_date
        query = query.where(Document.direction == "incoming", Document.arrival_number.is_not(None))
        order = (Document.arrival_date, Document.arrival_number, Document.id)
    else:
        date_column = Document.issued_on
        query = query.where(Document.direction == "outgoing", Document.number.is_not(None))
        order = (Document.issued_on, Document.sequence, Document.id)
    if start:
        query = query.where(date_column >= start)
    if end:
        query = query.where(date_column <= end)
    docs = list(db.scalars(query.order_by(*order)))
    dispatched = _dispatch_dates(db, [d.id for d in docs]) if direction != "incoming" else {}
    book = AddressBook(db)
    rows = []
    for doc in docs:
        note = "Đã thu hồi" if doc.state == "recalled" else ""
        kind = f"{doc.doc_type or 'Văn bản'}: " if doc.doc_type else ""
        if direction == "incoming":
            assignment = doc.assignment
            rows.append({"id": doc.id, "cells": [
                short_date(doc.arrival_date), str(doc.arrival_number or ""), doc.issuer or "",
                doc.number or "", short_date(doc.issued_on), kind + (doc.subject or ""),
                assignment.lead_unit if assignment else "",
                short_date(assignment.assigned_at) if assignment else "", "", note]})
            continue
        resolution = resolve(db, doc, book)
        if direction == "post":
            if doc.id not in dispatched:
                continue
            external = resolution.external
            rows.append({"id": doc.id, "cells": [
                short_date(dispatched[doc.id]), doc.number or "", "; ".join(a.name for a in external),
                str(len(external)), "", note]})
            continue
        filing = "; ".join(line.name.split(":", 1)[-1].strip() for line in resolution.internal_lines)
        outside = [line.name for line in resolution.lines if line.kind != "internal"]
        rows.append({"id": doc.id, "cells": [
            doc.number or "", short_date(doc.issued_on), kind + (doc.subject or ""),
            doc.signer or "", "; ".join(outside), filing, str(len(resolution.addressees) or ""),
            short_date(dispatched.get(doc.id)), "", note]})
    return rows


def register_table(db: Session, direction: str, start: dt.date | None = None, end: dt.date | None = None,
                   user=None, volume: int = 1, rows: list[dict] | None = None) -> Table:
    """A register for a date range: the cover page of Phụ lục IV, then the table, A4 landscape."""
    rows = register_rows(db, direction, start, end, user) if rows is None else rows
    column = 0 if direction == "outgoing" else 1  # số, ký hiệu (đi) or số đến
    numbers = [r["cells"][column] for r in rows]
    context = {"title": REGISTERS[direction], "direction": direction, "office": office(db), "start": start,
               "end": end, "volume": volume, "first_number": numbers[0] if numbers else "",
               "last_number": numbers[-1] if numbers else "",
               "year": (start or end or clock.today()).year}
    return Table("register.html", rows, context, REGISTER_NUMBERING,
                 grid(REGISTER_NUMBERING, REGISTER_COLUMNS[direction], REGISTER_TYPE), _cells)


def register_pdf(db: Session, direction: str, start: dt.date | None = None, end: dt.date | None = None,
                 user=None, volume: int = 1, rows: list[dict] | None = None) -> bytes:
    return table_pdf(register_table(db, direction, start, end, user, volume, rows))


def piece_starts(rows: list, content: Callable[[object], str], page_starts: list[int] | None = None) -> list[int]:
    """Where a long table's pieces start (row indexes, 0 first): at rows a page starts with (``page_starts``, as
    foreseen; any row when it is None). A cut is decided by the content of the row it falls before (its hash),
    not by its place: rows added or changed early in the year move no cut after them (once the pages after
    the change start where they did), so the pieces after are the same and come from the cache."""
    low, high = PIECE_ROWS
    can = set(page_starts) if page_starts is not None else None
    starts, last = [0], 0
    for index in range(low, len(rows) - low // 2 + 1):
        if can is not None and index not in can:
            continue
        digest = hashlib.blake2b(content(rows[index]).encode(), digest_size=8).digest()
        if (index - last >= low and int.from_bytes(digest, "big") % (PIECE_EVERY - low) == 0) or index - last >= high:
            starts.append(index)
            last = index
    return starts


def _cells(row: dict) -> str:
    return "\x1f".join(row["cells"])


def _printed_cells(rows: list, index: int) -> list[list[str]]:
    return [rows[index]["cells"]]


@dataclass
class Plan:
    """Where a long table's pieces start, which of its rows may go on over the next page, and where each
    piece's HTML ends (a few pages into the next piece, to check that they meet)."""

    starts: list[int]
    tall: frozenset[int] = frozenset()
    ends: list[int] = field(default_factory=list)


@dataclass
class Table:
    """A long table to print: its template, its rows, the rest of what the template shows, its pages and its
    columns."""

    template: str
    rows: list
    context: dict
    numbering: pieces.Numbering
    grid: paging.Grid
    content: Callable[[object], str] = str  # a row's content, for where pieces are cut
    printed: Callable[[list, int], list[list[str]]] = _printed_cells  # the table rows a row prints, their cells

    def html(self, at: int, end: int, *, cover: bool, final: bool, tall: frozenset[int] = frozenset(),
             ids: bool = False) -> str:
        """The HTML of rows ``at`` to ``end``: with the cover (or heading) and the closing lines when asked;
        ``ids``: each row has an id (``row-<index>``), for measuring where it stands."""
        return _render(self.template, rows=self.rows[at:end], first_row=at, cover=cover, final=final,
                       numbered_after=True, grid=self.grid, tall_rows=tall, row_ids=ids, **self.context)

    def one_go_html(self) -> str:
        """The whole table in one HTML, as it would be laid out in one go: what its pieces stitched must equal."""
        return self.html(0, len(self.rows), cover=True, final=True, tall=self.tall())

    def units(self) -> list[paging.Unit]:
        """Each row's table rows (a group's heading, then the row), by their lines."""
        return [[paging.row_lines(cells, self.grid) for cells in self.printed(self.rows, index)]
                for index in range(len(self.rows))]

    def tall(self, units: list[paging.Unit] | None = None) -> frozenset[int]:
        """The rows that may go on over the next page."""
        return paging.tall_units(self.units() if units is None else units,
                                 self.numbering.room_mm() * paging.PX_PER_MM / self.grid.line_px)

    def plan(self, cache=None) -> Plan:
        """Where to cut: at rows foreseen to start a page (:mod:`docmgr.printing.paging`), measured once on the
        table's first rows; none for a table shorter than two pieces."""
        low = PIECE_ROWS[0]
        if len(self.rows) < low + low // 2:
            return Plan([0], self.tall(), [len(self.rows)])
        units = self.units()
        tall = self.tall(units)
        page_starts = paging.foresee(units, self.geometry(units, cache), tall)
        starts = piece_starts(self.rows, self.content, page_starts)
        ends = []
        for end in starts[1:]:  # each piece runs on a few foreseen pages into the next
            after = [at for at in page_starts if at > end][:JOIN_PAGES]
            ends.append(min(len(self.rows), max(after[-1] if after else len(self.rows), end + 3)))
        return Plan(starts, tall, ends + [len(self.rows)])

    def geometry(self, units: list[paging.Unit], cache=None) -> paging.Geometry:
        """Where rows stand on this table's pages: measured on its first rows laid out (kept in ``cache``)."""
        sample = min(len(self.rows), MEASURE_ROWS)
        first = self.html(0, sample, cover=True, final=False, ids=True)
        rest = self.html(0, sample, cover=False, final=False, ids=True)
        key = pieces.piece_key(f"geometry\n{first}\n{rest}")
        known = cache.get(key) if cache is not None else None
        if known is not None:
            return paging.Geometry(**json.loads(known))
        geometry = paging.measure(render_document(first), render_document(rest), units[:sample],
                                  self.grid.line_px, self.numbering.bottom_mm * paging.PX_PER_MM)
        if cache is not None:
            cache.put(key, json.dumps(asdict(geometry)).encode())
        return geometry

    def htmls(self, plan: Plan) -> list[str]:
        """Each piece's HTML: its rows and the next piece's first pages; the first piece has the cover (or
        heading), the last the closing lines."""
        return [self.html(at, end, cover=(number == 0), final=(number == len(plan.starts) - 1), tall=plan.tall)
                for number, (at, end) in enumerate(zip(plan.starts, plan.ends))]


def table_pdf(table: Table) -> bytes:
    """A long table: laid out in pieces, at the same time in the limited workers, from the cache when a piece's
    rows are unchanged; the pieces joined where their pages meet, and numbered (:mod:`docmgr.printing.pieces`).
    Where two pieces' pages do not meet (the pages were foreseen wrong), the two are laid out as one."""
    state = current_app.extensions["docmgr"]
    limits = state.read_limits
    run = pieces.RUN.get()
    run = run if run is not None else pieces.PieceRun()
    plan = table.plan(state.print_pieces)
    while True:
        parts = pieces.lay_out(table.htmls(plan), cache=state.print_pieces,
                               submit=lambda function, *args: submit(function, *args, limits=limits),
                               progress=pieces.PROGRESS.get(), run=run)
        joins = pieces.join(parts)
        missed = {number for number, meet in enumerate(joins, start=1) if meet is None}
        if not missed:
            return pieces.stitch(parts, joins, table.numbering, cache=state.print_pieces)
        run.missed += len(missed)
        kept = [number for number in range(len(plan.starts)) if number not in missed]
        plan = Plan([plan.starts[n] for n in kept], plan.tall,
                    [plan.ends[next_kept - 1] for next_kept in kept[1:] + [len(plan.starts)]])


def case_file_contents_rows(db: Session, case_file) -> list[dict]:
    """The rows of a Mục lục văn bản (Phụ lục V.IV): STT, số/ký hiệu, date, type and subject, author, sheet."""
    rows, sheet = [], 1
    for index, doc in enumerate(documents_in(db, case_file)):
        pages = doc.page_count or 0
        sheets = ("" if not pages else str(sheet) if pages == 1 else f"{sheet}–{sheet + pages - 1}")
        sheet += pages
        subject = doc.subject or ""
        kind = f"{doc.doc_type} " if doc.doc_type and not subject.lower().startswith(doc.doc_type.lower()) else ""
        rows.append({"id": doc.id, "pages": pages, "cells": [
            str(index + 1), doc.number or "", short_date(doc.issued_on), kind + subject,
            doc.issuer or "", sheets, doc.confidentiality or ""]})
    return rows


def case_file_contents_pdf(db: Session, case_file, today: dt.date | None = None) -> bytes:
    """Mục lục văn bản, tài liệu trong hồ sơ: the file's documents in order, with the sheets they take."""
    rows = case_file_contents_rows(db, case_file)
    context = {"case_file": case_file, "office": office(db), "count": len(rows),
               "sheets": sum(r["pages"] for r in rows), "unknown_pages": sum(1 for r in rows if not r["pages"]),
               "today": today or case_file.closed_on or clock.today()}
    return table_pdf(Table("case_file_contents.html", rows, context, PORTRAIT_NUMBERING,
                           grid(PORTRAIT_NUMBERING, CONTENTS_COLUMNS, CONTENTS_TYPE), _cells))
