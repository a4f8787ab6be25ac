"""Case files (hồ sơ) pages and API, their Sharing page, filing a document, and the units (groups) pages."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from docmgr.auth.models import Group, User
from docmgr.auth.permissions import CASE_FILE, ROLES, allowed, requires
from docmgr.casefiles import operations as ops
from docmgr.casefiles.models import STATUSES, CaseFile
from docmgr.db import session
from docmgr.documents.models import Document
from docmgr.documents.queries import visible_to
from docmgr.errors import NotFoundError, PermissionDeniedError, UserValueError, is_api
from docmgr.web import parse_id

bp = Blueprint("casefiles", __name__)


def case_file_json(cf: CaseFile, today: dt.date | None = None) -> dict:
    today = today or dt.date.today()
    return {"id": cf.id, "code": cf.code, "title": cf.title, "year": cf.year, "parent_id": cf.parent_id,
            "retention": cf.retention_title, "retention_years": cf.retention_years,
            "creator": cf.creator.username if cf.creator else None, "unit_id": cf.unit_id,
            "status": cf.status, "status_title": cf.status_title,
            "opened_on": cf.opened_on.isoformat(), "closed_on": cf.closed_on.isoformat() if cf.closed_on else None,
            "archived_on": cf.archived_on.isoformat() if cf.archived_on else None,
            "archive_due": cf.archive_due.isoformat() if cf.archive_due else None,
            "archive_warning": cf.archive_warning(today), "inherit_roles": cf.inherit_roles,
            "url": url_for(".detail", case_file_id=cf.id)}


def _values(cf: CaseFile | None) -> dict:
    if cf is None:
        return {"year": dt.date.today().year, "retention": "10", "parent_id": request.args.get("parent", ""),
                "unit_id": current_user.groups[0].id if current_user.groups else "", "inherit_roles": "1"}
    return {"code": cf.code, "title": cf.title, "year": cf.year, "retention": cf.retention_years or "Vĩnh viễn",
            "parent_id": cf.parent_id or "", "unit_id": cf.unit_id or "", "creator_id": cf.creator_id or "",
            "note": cf.note, "inherit_roles": "1" if cf.inherit_roles else ""}


def _choices(db, exclude: CaseFile | None = None) -> dict:
    skip = set(ops.subtree_ids(db, exclude)) if exclude is not None else set()
    return {"parents": [(d, f) for d, f in ops.tree(db) if f.id not in skip and not f.is_closed],
            "units": db.scalars(select(Group).order_by(Group.name)).all(),
            "users": db.scalars(select(User).where(User.active.is_(True)).order_by(User.username)).all()}


@bp.get("/casefiles")
@requires("view")
def index():
    db = session()
    year = request.args.get("year", "")
    year = int(year) if year.isdigit() and len(year) == 4 else None
    today = dt.date.today()
    years = sorted({y for (y,) in db.execute(select(CaseFile.year).distinct())}, reverse=True)
    return render_template("casefiles/index.html", rows=ops.tree(db, year), year=year, years=years, today=today,
                           due=ops.due_for_archive(db, today), may=ops.may, statuses=STATUSES)


@bp.route("/casefiles/new", methods=["GET", "POST"])
@requires("add", CASE_FILE)
def new():
    return _form(None)


@bp.route("/casefiles/<id:case_file_id>/edit", methods=["GET", "POST"])
@requires("edit")
def edit(case_file_id: int):
    return _form(ops.get(session(), case_file_id))


def _form(cf: CaseFile | None):
    db = session()
    if request.method == "POST":
        values = dict(request.form)
        values.setdefault("inherit_roles", "")
        try:
            cf = ops.save_case_file(db, values, current_user, cf)
            db.commit()
        except UserValueError as exc:
            db.rollback()
            return render_template("casefiles/form.html", cf=cf, values=values, error=str(exc),
                                   errors=exc.field_errors, **_choices(db, cf)), 400
        flash(f"Đã lưu hồ sơ «{cf.code}».", "success")
        return redirect(url_for(".detail", case_file_id=cf.id))
    if cf is not None:
        ops.require(current_user, "edit", cf, "sửa hồ sơ này")
    return render_template("casefiles/form.html", cf=cf, values=_values(cf), error=None, errors={},
                           **_choices(db, cf))


@bp.get("/casefiles/<id:case_file_id>")
@requires("view")
def detail(case_file_id: int):
    db = session()
    cf = ops.get(db, case_file_id)
    documents = ops.documents_in(db, cf, visible_to(current_user))
    if is_api():
        return jsonify({**case_file_json(cf), "children": [case_file_json(c) for c in cf.children],
                        "documents": [{"id": d.id, "title": d.title, "subject": d.subject} for d in documents]})
    return render_template("casefiles/detail.html", cf=cf, documents=documents, may=ops.may, today=dt.date.today(),
                           title_of=ops.principal_title)


bp.add_url_rule("/api/casefiles/<id:case_file_id>", "api_detail", detail)


@bp.get("/api/casefiles")
@requires("view")
def api_index():
    db = session()
    today = dt.date.today()
    return jsonify({"case_files": [{**case_file_json(f, today), "depth": depth} for depth, f in ops.tree(db)],
                    "due_for_archive": [f.id for f in ops.due_for_archive(db, today)]})


@bp.post("/api/casefiles")
@requires("add", CASE_FILE)
def api_create():
    db = session()
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise UserValueError("Gửi thông tin hồ sơ dạng JSON.")
    cf = ops.save_case_file(db, payload, current_user)
    db.commit()
    return jsonify(case_file_json(cf)), 201


def _action(case_file_id: int, action: str, message: str):
    db = session()
    cf = ops.get(db, case_file_id)
    try:
        if action == "close":
            ops.close_case_file(db, current_app.extensions["docmgr"].files, cf, current_user)
        elif action == "reopen":
            ops.reopen_case_file(db, cf, current_user)
        elif action == "archive":
            ops.archive_case_file(db, cf, current_user)
        db.commit()
    except (UserValueError, PermissionDeniedError):
        db.rollback()
        raise
    if is_api():
        return jsonify(case_file_json(cf))
    flash(message.format(code=cf.code), "success")
    return redirect(url_for(".detail", case_file_id=cf.id))


@bp.post("/casefiles/<id:case_file_id>/close")
@requires("edit")
def close(case_file_id: int):
    return _action(case_file_id, "close", "Đã kết thúc hồ sơ «{code}»; mục lục văn bản đã được lưu cùng hồ sơ.")


@bp.post("/casefiles/<id:case_file_id>/reopen")
@requires("manage", CASE_FILE)
def reopen(case_file_id: int):
    return _action(case_file_id, "reopen", "Đã mở lại hồ sơ «{code}».")


@bp.post("/casefiles/<id:case_file_id>/archive")
@requires("manage", CASE_FILE)
def archive(case_file_id: int):
    return _action(case_file_id, "archive", "Đã ghi nhận nộp lưu hồ sơ «{code}».")


bp.add_url_rule("/api/casefiles/<id:case_file_id>/close", "api_close", close, methods=["POST"])
bp.add_url_rule("/api/casefiles/<id:case_file_id>/reopen", "api_reopen", reopen, methods=["POST"])
bp.add_url_rule("/api/casefiles/<id:case_file_id>/archive", "api_archive", archive, methods=["POST"])


@bp.post("/casefiles/<id:case_file_id>/delete")
@requires("manage", CASE_FILE)
def delete(case_file_id: int):
    db = session()
    cf = ops.get(db, case_file_id)
    code = cf.code
    ops.delete_case_file(db, cf, current_user)
    db.commit()
    flash(f"Đã xóa hồ sơ «{code}».", "success")
    return redirect(url_for(".index"))


@bp.get("/casefiles/<id:case_file_id>/contents.pdf")
@requires("print")
def contents_pdf(case_file_id: int):
    """The Mục lục văn bản: the one kept at closing, or (open file) as it stands now."""
    from docmgr import audit
    from docmgr.printing.layouts import case_file_contents_pdf

    db = session()
    cf = ops.get(db, case_file_id)
    ops.require(current_user, "print", cf, "in mục lục hồ sơ này")
    hidden = [d for d in ops.documents_in(db, cf) if not allowed(current_user, "view", d)]
    if hidden:
        raise PermissionDeniedError("Hồ sơ có văn bản bạn không được xem; bạn không in được mục lục của nó.")
    store = current_app.extensions["docmgr"].files
    pdf = store.read(cf.contents_sha256) if cf.is_closed and cf.contents_sha256 else case_file_contents_pdf(db, cf)
    audit.record(db, "print", current_user, None, form="case-file-contents", case_file=cf.id, code=cf.code)
    db.commit()
    name = f"muc-luc-ho-so-{cf.year}-{cf.code}".replace("/", "-").replace(" ", "-")
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})


bp.add_url_rule("/api/casefiles/<id:case_file_id>/contents.pdf", "api_contents_pdf", contents_pdf)


# -- Sharing ----------------------------------------------------------------


@bp.route("/casefiles/<id:case_file_id>/sharing", methods=["GET", "POST"])
@requires("manage", CASE_FILE)
def sharing(case_file_id: int):
    db = session()
    cf = ops.get(db, case_file_id)
    ops.require(current_user, "manage", cf, "chia sẻ hồ sơ này")
    if request.method == "POST":
        try:
            if "inherit" in request.form:
                ops.set_inherit(db, cf, request.form.get("inherit") == "1", current_user)
            else:
                principal = request.form.get("principal", "")
                ops.set_local_roles(db, cf, principal, set(request.form.getlist("roles")), current_user)
            db.commit()
        except UserValueError as exc:
            db.rollback()
            flash(str(exc), "error")
        else:
            flash("Đã lưu chia sẻ hồ sơ.", "success")
        return redirect(url_for(".sharing", case_file_id=cf.id))
    granted: dict[str, set[str]] = {}
    for grant in cf.local_roles:
        granted.setdefault(grant.principal, set()).add(grant.role)
    return render_template("casefiles/sharing.html", cf=cf, granted=granted, roles=ROLES,
                           inherited=ops.inherited_roles(cf),
                           title_of=lambda principal: ops.principal_title(db, principal),
                           users=db.scalars(select(User).order_by(User.username)).all(),
                           units=db.scalars(select(Group).order_by(Group.name)).all())


@bp.get("/api/casefiles/<id:case_file_id>/sharing")
@requires("manage", CASE_FILE)
def api_sharing(case_file_id: int):
    db = session()
    cf = ops.get(db, case_file_id)
    ops.require(current_user, "manage", cf, "chia sẻ hồ sơ này")
    return jsonify({"inherit_roles": cf.inherit_roles,
                    "local_roles": [{"principal": g.principal, "role": g.role} for g in cf.local_roles],
                    "inherited": [{"from": above.id, "principal": g.principal, "role": g.role}
                                  for above, g in ops.inherited_roles(cf)]})


@bp.post("/api/casefiles/<id:case_file_id>/sharing")
@requires("manage", CASE_FILE)
def api_set_sharing(case_file_id: int):
    db = session()
    cf = ops.get(db, case_file_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("roles", []), list):
        raise UserValueError('Gửi {"principal": "user:N" hoặc "group:N", "roles": [...]}.')
    if "inherit_roles" in payload:
        ops.set_inherit(db, cf, bool(payload["inherit_roles"]), current_user)
    if "principal" in payload:
        ops.set_local_roles(db, cf, str(payload["principal"]), set(payload.get("roles", [])), current_user)
    db.commit()
    return api_sharing(case_file_id)


# -- filing a document ---------------------------------------------------------


@bp.post("/documents/<id:doc_id>/file")
@requires("edit")
def file_document(doc_id: int):
    db = session()
    doc = db.get(Document, doc_id)
    if doc is None or not allowed(current_user, "view", doc):
        raise NotFoundError(f"Không có văn bản số #{doc_id}.")
    raw = (request.get_json(silent=True) or {}).get("case_file_id") if is_api() else request.form.get("case_file_id")
    raw = str(raw or "").strip()
    target = ops.get(db, parse_id(raw)) if parse_id(raw) else None
    if raw and target is None:
        raise UserValueError("Chọn một hồ sơ.")
    ops.file_document(db, doc, target, current_user)
    db.commit()
    if is_api():
        return jsonify({"id": doc.id, "case_file_id": doc.case_file_id})
    flash(f"Đã đưa văn bản vào hồ sơ «{target.code}»." if target else "Đã bỏ văn bản khỏi hồ sơ.", "success")
    return redirect(url_for("docmgr.documents.detail", doc_id=doc.id))


bp.add_url_rule("/api/documents/<id:doc_id>/file", "api_file_document", file_document, methods=["POST"])


def filing_choices(db, user) -> list[CaseFile]:
    """Open case files ``user`` may file documents into."""
    return [f for _, f in ops.tree(db) if not f.is_closed and ops.may(user, "edit", f)]
