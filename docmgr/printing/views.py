"""Print buttons: the PDFs from the document page and the register page, and the same under /api.

Small forms come back at once. Big prints — registers, lists of over 100 addressees, more than 50 envelopes —
are background jobs (:mod:`docmgr.printing.jobs`): the request answers at once with the job's page (web) or
``202`` and the job's status (API), and the PDF is downloaded from ``/prints/<id>/pdf`` when it is done."""

from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from docmgr import clock
from docmgr.addressbook.matching import AddressBook, resolve
from docmgr.auth.guard import requires
from docmgr.db import session
from docmgr.documents.fields import parse_date
from docmgr.documents.views import get_document
from docmgr.errors import NotFoundError, PermissionDeniedError, UserValueError
from docmgr.jobs.models import Job
from docmgr.printing import FORMS, Printed, issued_on, print_form
from docmgr.printing.jobs import BIG_ENVELOPES, BIG_LIST, PRINT_JOB, describe, kept_file, queue_print, register_params
from docmgr.printing.layouts import ENVELOPE_SIZES, REGISTERS
from docmgr.web import parse_id
from docmgr.workflow.permissions import allowed


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
    size = request.args.get("size", "DL")
    if form in ("recipients", "envelopes"):
        resolution = resolve(session(), doc)
        if (form == "recipients" and len(resolution.addressees) > BIG_LIST
                or form == "envelopes" and len(resolution.external) > BIG_ENVELOPES):
            params = {"document_id": doc.id} if form == "recipients" else {"ids": [doc.id], "size": size}
            return _as_job(form, params)
    return _send(print_form(session(), form, [doc], current_user, size=size))


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
    size = request.args.get("size", "DL")
    book = AddressBook(db)  # loaded once for every document's addressees
    envelopes = sum(len(resolve(db, doc, book).external) for doc in docs)
    if envelopes > BIG_ENVELOPES:
        return _as_job("envelopes", {"ids": ids, "size": size})
    return _send(print_form(db, "envelopes", docs, current_user, size=size))


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
    form = dict(request.args, direction=direction or request.args.get("direction", ""))
    if not allowed(current_user, "print"):
        raise PermissionDeniedError("Bạn không có quyền in sổ.")
    return _as_job("register", register_params(form))


def _as_job(kind: str, params: dict):
    """A big print: its job (one kept from the same data, or a new one); the job's page, or 202 and its status."""
    job = queue_print(session(), current_user, kind, params)
    if "/api/" in request.path:
        return jsonify(job_status(job)), 202, {"Location": url_for(".print_job_api", job_id=job.id)}
    return redirect(url_for(".print_job_view", job_id=job.id))


def job_status(job: Job) -> dict:
    done = job.state == "done" and kept_file(job) is not None
    return {**job.as_json(), "title": describe(job.payload),
            "url": url_for("docmgr.printing.print_job_view", job_id=job.id),
            "status_url": url_for("docmgr.printing.print_job_api", job_id=job.id),
            "pdf_url": url_for("docmgr.printing.print_job_pdf", job_id=job.id) if done else None,
            "expired": job.state == "done" and not done}


def _print_job(job_id: int) -> Job:
    """The user's own print job: others' answer as missing."""
    job = session().get(Job, job_id) if 0 < job_id < 2**63 else None
    if job is None or job.kind != PRINT_JOB or job.created_by_id != current_user.id:
        raise NotFoundError(f"Không có bản in số {job_id} của bạn.")
    return job


@bp.get("/prints/<id:job_id>")
@requires("print")
def print_job_view(job_id: int):
    """A big print's page: its progress while it is laid out, then its download."""
    job = _print_job(job_id)
    return render_template("print_job.html", job=job, status=job_status(job),
                           keep_hours=current_app.config["DOCMGR_PRINT_KEEP_HOURS"])


@bp.get("/api/prints/<id:job_id>")
@requires("print")
def print_job_api(job_id: int):
    """A big print's state, progress (pages laid out), error, and its PDF's link once it is done."""
    return jsonify(job_status(_print_job(job_id)))


@bp.get("/prints/<id:job_id>/pdf")
@bp.get("/api/prints/<id:job_id>/pdf")
@requires("print")
def print_job_pdf(job_id: int):
    """The PDF a big print made, while it is kept (``DOCMGR_PRINT_KEEP_HOURS``)."""
    job = _print_job(job_id)
    path = kept_file(job) if job.state == "done" else None
    if path is None:
        raise NotFoundError("Bản in này chưa xong, hoặc đã hết thời gian lưu: hãy in lại.")
    response = send_file(io.BytesIO(path.read_bytes()), mimetype="application/pdf", as_attachment=True,
                         download_name=path.name)
    response.headers["Cache-Control"] = "no-store"
    return response
