"""Print buttons: the PDFs from the document page and the register page, and the same under /api."""

from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, render_template, request, send_file
from flask_login import current_user

from docmgr import clock
from docmgr.auth.guard import requires
from docmgr.db import session
from docmgr.documents.fields import parse_date
from docmgr.documents.views import get_document
from docmgr.errors import NotFoundError, UserValueError
from docmgr.printing import FORMS, Printed, issued_on, print_form, print_register
from docmgr.printing.layouts import ENVELOPE_SIZES, REGISTERS
from docmgr.web import parse_id


bp = Blueprint("printing", __name__)
MAX_SLIP_DOCUMENTS = 50  # documents on one phiếu chuyển (it lists them all on one page or two)
MAX_ENVELOPE_DOCUMENTS = 500


def _send(printed: Printed):
    session().commit()  # the audit entry (and a routing slip's number)
    response = send_file(io.BytesIO(printed.pdf), mimetype="application/pdf", as_attachment=True,
                         download_name=printed.filename)
    response.headers["Cache-Control"] = "no-store"
    return response


def _date(value: str | None, label: str) -> dt.date | None:
    return parse_date(value or "", label)


@bp.get("/documents/<id:doc_id>/print/<form>")
@bp.get("/api/documents/<id:doc_id>/print/<form>")
@requires("print")
def print_view(doc_id: int, form: str):
    """The PDF of ``form`` (processing-slip, recipients, envelopes?size=DL|C5|C4, document) for a document."""
    if form not in FORMS or form == "slip":
        raise NotFoundError(f"Không có mẫu in «{form}»." + (" Phiếu chuyển in bằng POST (cấp số)." if form == "slip" else ""))
    doc = get_document(doc_id, "print")
    return _send(print_form(session(), form, [doc], current_user, size=request.args.get("size", "DL")))


@bp.post("/documents/<id:doc_id>/print/slip")
@bp.post("/api/documents/<id:doc_id>/print/slip")
@requires("print")
def print_slip(doc_id: int):
    """Phiếu chuyển: form or JSON fields ``to`` (đơn vị nhận), ``purpose``, ``also`` (more document ids)."""
    data = request.get_json(silent=True) if request.is_json else request.form
    data = data or {}
    docs = [get_document(doc_id, "print")]
    also = data.get("also") or []
    if isinstance(also, str):
        also = [part for part in also.replace(",", " ").split() if part]
    if not isinstance(also, list):
        raise UserValueError("«also»: danh sách số #id văn bản.")
    wanted: list[int] = []
    for other in also:
        other_id = parse_id(other)
        if other_id is None:
            raise UserValueError(f"«{str(other)[:40]}» không phải số #id văn bản.")
        if other_id != doc_id and other_id not in wanted:
            wanted.append(other_id)
    if len(wanted) >= MAX_SLIP_DOCUMENTS:
        raise UserValueError(f"Một phiếu chuyển ghi tối đa {MAX_SLIP_DOCUMENTS} văn bản.")
    docs += [get_document(other_id, "print") for other_id in wanted]
    return _send(print_form(session(), "slip", docs, current_user, to=str(data.get("to") or ""),
                            purpose=str(data.get("purpose") or "")))


@bp.get("/print/envelopes")
@bp.get("/api/print/envelopes")
@requires("print")
def print_envelopes():
    """Envelopes of several documents in one PDF: ``ids=1,2,3`` or ``date=YYYY-MM-DD`` (a day's outgoing)."""
    db = session()
    ids = [i for i in map(parse_id, request.args.get("ids", "").replace(",", " ").split()) if i]
    day = _date(request.args.get("date"), "Ngày phát hành")
    if day:
        found = issued_on(db, day, current_user)  # only what the user may print: no hint of the rest
        if not found and not ids:
            raise UserValueError(f"Không có văn bản đi nào ban hành ngày {day:%d/%m/%Y} để in bì.")
        ids += found
    if not ids:
        raise UserValueError("Chọn văn bản (ids=…) hoặc ngày phát hành (date=YYYY-MM-DD).")
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_ENVELOPE_DOCUMENTS:
        raise UserValueError(f"In bì tối đa {MAX_ENVELOPE_DOCUMENTS} văn bản mỗi lần.")
    docs = [get_document(i, "print") for i in ids]
    return _send(print_form(db, "envelopes", docs, current_user, size=request.args.get("size", "DL")))


@bp.get("/registers")
@requires("print")
def registers_view():
    """The register page: choose a register and a date range, download the PDF."""
    today = clock.today()
    return render_template("registers.html", registers=REGISTERS, sizes=ENVELOPE_SIZES,
                           year_start=dt.date(today.year, 1, 1), today=today)


@bp.get("/registers/print")
@bp.get("/api/registers/<direction>.pdf")
@requires("print")
def register_pdf(direction: str | None = None):
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD`` (both optional): the register for that range, as the user may see it.

    The page's form sends the register as ``?direction=outgoing|incoming|post``.
    """
    direction = direction or request.args.get("direction", "")
    if direction not in REGISTERS:
        raise NotFoundError(f"Không có sổ «{direction}».")
    start, end = _date(request.args.get("from"), "Từ ngày"), _date(request.args.get("to"), "Đến ngày")
    return _send(print_register(session(), direction, start, end, current_user))
