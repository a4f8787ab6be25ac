"""«Xuất Excel»: a list of documents as a real .xlsx workbook (openpyxl, write-only: rows streamed, not held
twice), with the list's columns, dates as dates, and a line saying so when the list was cut."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from docmgr import clock
from docmgr.documents.models import Document
from docmgr.documents.queries import column_title
from docmgr.web import format_datetime


WIDTHS = {"arrival": 8, "arrival_date": 12, "number": 18, "issued_on": 12, "issuer": 32, "subject": 60,
          "doc_type": 16, "signer": 22, "recipients": 40, "lead_unit": 24, "due_date": 12, "state": 14,
          "created": 16}


def cell_value(doc: Document, key: str, direction: str | None = None):
    """A document's value in a column, as a spreadsheet holds it (dates as dates)."""
    if key == "arrival":
        return doc.arrival_number
    if key == "arrival_date":
        return doc.arrival_date
    if key == "number":
        return doc.number or (f"…/{doc.notation}" if doc.notation else "")
    if key == "subject":  # the list of all documents names the type before the subject
        return " ".join(p for p in (doc.doc_type if direction is None else None, doc.subject) if p)
    if key == "recipients":
        return "; ".join(r.text for r in doc.recipients)
    if key == "lead_unit":
        return doc.assignment.lead_unit if doc.assignment else ""
    if key == "state":
        return doc.state_title
    if key == "created":
        return format_datetime(doc.created_at)
    return getattr(doc, key)


def workbook(title: str, columns: tuple[str, ...], docs: list[Document], total: int,
             direction: str | None) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    for index, key in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = WIDTHS.get(key, 16)
    sheet.freeze_panes = "A4"
    heading = WriteOnlyCell(sheet, title)
    heading.font = Font(bold=True, size=13)
    sheet.append([heading])
    note = f"Xuất ngày {format_datetime(clock.now())}: {len(docs)} văn bản"
    if len(docs) < total:
        note += f" — danh sách đã bị cắt: chỉ xuất {len(docs):,} trên {total:,} văn bản; hãy lọc bớt."
    note = note.replace(",", ".")
    sheet.append([note])
    header = []
    for key in columns:
        cell = WriteOnlyCell(sheet, column_title(key, direction))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for doc in docs:
        row = []
        for key in columns:
            cell = WriteOnlyCell(sheet, cell_value(doc, key, direction))
            if key in ("arrival_date", "issued_on", "due_date") and cell.value is not None:
                cell.number_format = "DD/MM/YYYY"
            cell.alignment = wrap
            row.append(cell)
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
