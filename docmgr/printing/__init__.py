"""Printing: the forms of Nghị định 30 as PDFs (WeasyPrint, the shipped font, nothing fetched).

:func:`print_form` and :func:`print_register` are what the CLI, the web pages and
the API call: they check the permission, render, number a routing slip, and write
the "print" audit entry. The caller commits.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from docmgr import clock
from docmgr.audit import record
from docmgr.documents.models import Document
from docmgr.errors import PermissionDeniedError, UserValueError
from docmgr.printing import layouts
from docmgr.workflow.permissions import allowed, permitted
from docmgr.workflow.transitions import next_number


FORMS = {
    "processing-slip": "Phiếu giải quyết văn bản đến",
    "slip": "Phiếu chuyển",
    "recipients": "Danh sách nơi nhận",
    "envelopes": "Bì văn bản",
    "document": "Văn bản (thể thức Phụ lục I)",
}
REGISTER_FILES = {"outgoing": "so-van-ban-di", "incoming": "so-van-ban-den", "post": "so-gui-van-ban-buu-dien"}


@dataclass
class Printed:
    filename: str
    pdf: bytes
    number: str | None = None  # a routing slip's "Số: 01/PC-VT"


def _check(user, docs) -> None:
    if user is None:
        return  # the system (CLI without --user)
    for doc in docs:
        if not allowed(user, "print", doc):
            raise PermissionDeniedError(f"Bạn không có quyền in văn bản #{doc.id} ở trạng thái «{doc.state_title}».")


def issued_on(db: Session, day: dt.date, user=None) -> list[int]:
    """The ids of the outgoing documents issued (numbered) on ``day``, in number order: a day's dispatch —
    of those ``user`` may print (None: all, the system), so that the answer tells nothing of the others."""
    query = select(Document.id).where(Document.direction == "outgoing", Document.number.is_not(None),
                                      Document.issued_on == day)
    if user is not None:
        query = query.where(permitted(user, "print"))
    return list(db.scalars(query.order_by(Document.sequence, Document.id)))


def _slip_number(db: Session, today: dt.date) -> str:
    notation = current_app.config.get("DOCMGR_ORGANIZATION_NOTATION") or "VT"
    return f"{next_number(db, f'routing-slip|{notation}', today.year):02d}/PC-{notation}"


def print_form(db: Session, form: str, docs: list, user=None, *, to: str = "", purpose: str = "",
               size: str = "DL") -> Printed:
    """Print ``form`` for ``docs`` (one, or several for a routing slip and envelopes)."""
    if form not in FORMS:
        raise UserValueError(f"Không có mẫu in «{form}»: chọn {', '.join(FORMS)}.")
    if not docs:
        raise UserValueError("Chọn ít nhất một văn bản để in.")
    if len(docs) > 1 and form not in ("slip", "envelopes"):
        raise UserValueError(f"Mẫu «{FORMS[form]}» in cho một văn bản mỗi lần.")
    _check(user, docs)
    doc = docs[0]
    number = None
    if form == "processing-slip":
        pdf, name = layouts.processing_slip_pdf(db, doc), f"phieu-giai-quyet-{doc.id}"
    elif form == "slip":
        today = clock.today()
        to = to or (doc.assignment.lead_unit if doc.assignment else "")
        if not to.strip():
            raise UserValueError("Phiếu chuyển cần nơi nhận: nhập đơn vị nhận (Kính gửi).")
        number = _slip_number(db, today)
        signer = getattr(user, "display_name", "") if user is not None else ""
        pdf = layouts.routing_slip_pdf(db, docs, to, purpose, number, signer, today)
        name = "phieu-chuyen-" + re.sub(r"[^0-9A-Za-z]+", "-", number)
    elif form == "recipients":
        pdf, name = layouts.distribution_list_pdf(db, doc), f"danh-sach-noi-nhan-{doc.id}"
    elif form == "envelopes":
        pdf = layouts.envelopes_pdf(db, docs, size)
        name = f"bi-van-ban-{size}-" + "-".join(str(d.id) for d in docs[:10])
    else:
        pdf, name = layouts.document_pdf(db, doc), f"van-ban-{doc.id}"
    for printed in docs:
        record(db, "print", user, printed.id, form=form,
               **({"number": number} if number else {}))
    return Printed(f"{name}.pdf", pdf, number)


def print_register(db: Session, direction: str, start: dt.date | None = None, end: dt.date | None = None,
                   user=None) -> Printed:
    if user is not None and not allowed(user, "print"):
        raise PermissionDeniedError("Bạn không có quyền in sổ.")
    if start and end and start > end:
        raise UserValueError("«Từ ngày» phải trước «Đến ngày».")
    pdf = layouts.register_pdf(db, direction, start, end, user)
    span = "-".join(d.isoformat() for d in (start, end) if d) or "tat-ca"
    record(db, "print", user, None, form=f"register-{direction}", start=str(start or ""), end=str(end or ""))
    return Printed(f"{REGISTER_FILES.get(direction, 'so')}-{span}.pdf", pdf)


def print_big(db: Session, kind: str, params: dict, user) -> Printed:
    """A big print (a print job's work): ``kind`` register, recipients or envelopes, with the parameters the
    request gave, as ``user`` may see it."""
    if kind == "register":
        start, end = (dt.date.fromisoformat(params[key]) if params.get(key) else None for key in ("start", "end"))
        return print_register(db, params["direction"], start, end, user)
    if kind in ("recipients", "envelopes"):
        docs = [db.get(Document, doc_id) for doc_id in params.get("ids") or [params.get("document_id")]]
        if any(doc is None for doc in docs):
            raise UserValueError("Văn bản cần in không còn nữa.")
        return print_form(db, kind, docs, user, size=params.get("size", "DL"))
    raise UserValueError(f"Không có bản in «{kind}».")
