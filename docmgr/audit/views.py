"""The audit log page and API: who viewed, downloaded, changed or moved which document, and when."""

from __future__ import annotations

import datetime as dt
import math

from flask import Blueprint, jsonify, render_template, request
from sqlalchemy import func, select

from docmgr import clock
from docmgr.audit.models import ACTIONS, AuditEntry
from docmgr.auth.guard import requires
from docmgr.auth.models import User
from docmgr.db import session
from docmgr.documents.fields import parse_date
from docmgr.errors import UserValueError
from docmgr.web import page_number, parse_id


bp = Blueprint("audit", __name__)
PER_PAGE = 50


def _filters(args) -> dict:
    out: dict = {"user": (args.get("user") or "").strip(), "action": args.get("action") or "",
                 "document": (args.get("document") or "").strip().lstrip("#")}
    if out["action"] and out["action"] not in ACTIONS:
        raise UserValueError(f"Không có thao tác «{out['action']}».")
    if out["document"] and parse_id(out["document"]) is None:
        raise UserValueError("Văn bản: nhập số #id của văn bản.")
    out["from"] = parse_date(args.get("from") or "", "Từ ngày")
    out["to"] = parse_date(args.get("to") or "", "Đến ngày")
    out["page"] = page_number(args.get("page"))
    return out


def _query(filters: dict):
    query = select(AuditEntry)
    if filters["user"]:
        query = query.join(User, AuditEntry.user_id == User.id).where(User.username == filters["user"])
    if filters["action"]:
        query = query.where(AuditEntry.action == filters["action"])
    if filters["document"]:
        query = query.where(AuditEntry.document_id == int(filters["document"]))
    if filters["from"]:
        query = query.where(AuditEntry.at >= clock.day_start(filters["from"]))  # the office's day, not UTC's
    if filters["to"]:
        end = clock.day_start(filters["to"] + dt.timedelta(days=1))
        query = query.where(AuditEntry.at < end)
    return query


def entries(filters: dict, per_page: int = PER_PAGE) -> tuple[list[AuditEntry], int]:
    db = session()
    query = _query(filters)
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                      .limit(per_page).offset((filters["page"] - 1) * per_page)).all()
    return list(rows), total


@bp.route("/audit")
@requires("manage")
def audit_view():
    """Nhật ký: lọc theo người dùng, thao tác, văn bản, khoảng ngày (ngày giờ theo UTC)."""
    try:
        filters = _filters(request.args)
    except UserValueError as exc:
        return render_template("audit.html", rows=[], total=0, pages=1, filters=dict(request.args), actions=ACTIONS,
                               error=str(exc)), 400
    rows, total = entries(filters)
    return render_template("audit.html", rows=rows, total=total, pages=max(1, math.ceil(total / PER_PAGE)),
                           filters=filters, actions=ACTIONS, error=None)


@bp.get("/api/audit")
@requires("manage")
def audit_api():
    """``GET /api/audit?user=&action=&document=&from=&to=&page=`` → {total, page, entries: [...]}."""
    filters = _filters(request.args)
    rows, total = entries(filters)
    return jsonify({"total": total, "page": filters["page"], "per_page": PER_PAGE, "entries": [
        {"at": e.at.isoformat(), "user": e.user.username if e.user else None, "action": e.action,
         "document_id": e.document_id, "detail": e.detail} for e in rows]})
