"""The audit log page and API: who viewed, downloaded, changed or moved which document, and when."""

from __future__ import annotations

import datetime as dt
import math

from flask import Blueprint, jsonify, render_template, request
from sqlalchemy import func, select

from docmgr import clock
from docmgr.audit.models import ACTIONS, AuditEntry
from docmgr.auth.guard import requires
from docmgr.auth.models import Group, User
from docmgr.db import session
from docmgr.documents.fields import FIELDS, display_value, parse_date
from docmgr.errors import UserValueError
from docmgr.office import SETTINGS
from docmgr.printing import FORMS
from docmgr.web import page_number, parse_id
from docmgr.workflow.definitions import ROLES, state_title, transition_title


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


DETAIL_LABELS = {
    "transition": "Thao tác", "to": "Sang trạng thái", "file": "Tệp", "files": "Tệp", "form": "Mẫu in",
    "via": "Qua", "case_file": "Hồ sơ", "code": "Mã hồ sơ", "title": "Tiêu đề", "account": "Tài khoản",
    "roles": "Vai trò", "unit": "Đơn vị", "name": "Tên", "members": "Thành viên", "before": "Trước", "after": "Sau",
    "ended": "Phiên đăng nhập đã kết thúc", "failures": "Lần đăng nhập sai được xóa", "token": "Mã API",
    "previous": "Người giữ quyền sửa trước", "principal": "Cấp cho", "inherit": "Kế thừa quyền", "start": "Từ ngày",
    "end": "Đến ngày", "number": "Số", "arrival_number": "Số đến", "arrival_date": "Ngày đến", "comment": "Ý kiến",
    "lead_unit": "Đơn vị chủ trì", "deadline": "Hạn xử lý", "notation": "Ký hiệu",
    "on_behalf_of": "Nhập thay", "cooperating_units": "Đơn vị phối hợp", "rows": "Số dòng", "total": "Tổng số",
    "list": "Danh sách", "inline": "Mở trong trình duyệt",
}
PRINT_FORMS = {**FORMS, "register-incoming": "Sổ đăng ký văn bản đến", "register-outgoing": "Sổ đăng ký văn bản đi",
               "register-post": "Sổ gửi văn bản bưu điện", "case-file-contents": "Mục lục văn bản trong hồ sơ"}


def describe(entry: AuditEntry, units: dict[int, str]) -> list[tuple[str, str]]:
    """An entry's detail in words: Vietnamese names of fields, states, transitions, roles, forms; units by
    name; what an edit changed as «field: old → new»."""
    out: list[tuple[str, str]] = []
    for key, value in (entry.detail or {}).items():
        if value in (None, "", [], {}):
            continue
        if key == "changes":
            for name, (old, new) in value.items():
                label = FIELDS.get(name) or (SETTINGS[name][0] if name in SETTINGS else name)
                out.append((label, f"{display_value(name, old, units)} → {display_value(name, new, units)}"))
            continue
        if key == "transition":
            text = transition_title(value)
        elif key == "to":
            text = state_title(value)
        elif key == "roles":
            text = ", ".join(ROLES.get(r, r) for r in value)
        elif key == "unit":
            text = units.get(value, f"#{value}") if isinstance(value, int) else str(value)
        elif key == "form":
            text = PRINT_FORMS.get(value, value)
        elif key in ("arrival_date", "deadline", "start", "end"):
            text = display_value("issued_on", value)
        elif key == "on_behalf_of":
            text = value.get("name") or f"#{value.get('id')}" if isinstance(value, dict) else str(value)
        elif key == "via":
            text = "API" if value == "api" else str(value)
        elif isinstance(value, bool):
            text = "có" if value else "không"
        elif isinstance(value, list):
            text = ", ".join(str(v) for v in value)
        elif isinstance(value, dict):
            text = ", ".join(f"{k}: {v}" for k, v in value.items())
        else:
            text = str(value)
        out.append((DETAIL_LABELS.get(key, key), text))
    return out


@bp.route("/audit")
@requires("manage")
def audit_view():
    """Nhật ký: lọc theo người dùng, thao tác, văn bản, khoảng ngày (ngày của cơ quan, DOCMGR_TIMEZONE)."""
    try:
        filters = _filters(request.args)
    except UserValueError as exc:
        return render_template("audit.html", rows=[], total=0, pages=1, filters=dict(request.args), actions=ACTIONS,
                               error=str(exc)), 400
    rows, total = entries(filters)
    units = dict(session().execute(select(Group.id, Group.name)).all())
    return render_template("audit.html", rows=rows, total=total, pages=max(1, math.ceil(total / PER_PAGE)),
                           filters=filters, actions=ACTIONS, error=None, describe=lambda e: describe(e, units))


@bp.get("/api/audit")
@requires("manage")
def audit_api():
    """``GET /api/audit?user=&action=&document=&from=&to=&page=`` → {total, page, entries: [...]}."""
    filters = _filters(request.args)
    rows, total = entries(filters)
    return jsonify({"total": total, "page": filters["page"], "per_page": PER_PAGE, "entries": [
        {"at": e.at.isoformat(), "user": e.user.username if e.user else None, "action": e.action,
         "document_id": e.document_id, "detail": e.detail} for e in rows]})
