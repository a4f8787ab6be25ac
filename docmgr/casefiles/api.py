"""Case files (hồ sơ) as JSON: /api/casefiles (the tree, one file, open, close, reopen, hand to the archive,
Sharing, the contents PDF) and /api/documents/<id>/file. The pages are :mod:`docmgr.casefiles.views`."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, jsonify, request, url_for
from flask_login import current_user

from docmgr import clock
from docmgr.auth.guard import requires
from docmgr.casefiles import operations as ops
from docmgr.casefiles.models import CaseFile
from docmgr.casefiles.queries import documents_in
from docmgr.casefiles.views import contents_pdf
from docmgr.db import session
from docmgr.documents.models import Document
from docmgr.errors import UserValueError
from docmgr.search import commit_and_sync
from docmgr.workflow.permissions import CASE_FILE, visible_to


bp = Blueprint("casefiles_api", __name__)


def case_file_json(cf: CaseFile, today: dt.date | None = None) -> dict:
    today = today or clock.today()
    return {"id": cf.id, "code": cf.code, "title": cf.title, "year": cf.year, "parent_id": cf.parent_id,
            "retention": cf.retention_title, "retention_years": cf.retention_years,
            "creator": cf.creator.username if cf.creator else None, "unit_id": cf.unit_id,
            "status": cf.status, "status_title": cf.status_title,
            "opened_on": cf.opened_on.isoformat(), "closed_on": cf.closed_on.isoformat() if cf.closed_on else None,
            "archived_on": cf.archived_on.isoformat() if cf.archived_on else None,
            "archive_due": cf.archive_due.isoformat() if cf.archive_due else None,
            "archive_warning": cf.archive_warning(today), "inherit_roles": cf.inherit_roles,
            "url": url_for("docmgr.casefiles.detail", case_file_id=cf.id)}


@bp.get("/casefiles")
@requires("view")
def index():
    db = session()
    today = clock.today()
    return jsonify({"case_files": [{**case_file_json(f, today), "depth": depth} for depth, f in ops.tree(db)],
                    "due_for_archive": [f.id for f in ops.due_for_archive(db, today)]})


@bp.post("/casefiles")
@requires("add", CASE_FILE)
def create():
    db = session()
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise UserValueError("Gửi thông tin hồ sơ dạng JSON.")
    cf = ops.save_case_file(db, payload, current_user)
    commit_and_sync(db)
    return jsonify(case_file_json(cf)), 201


@bp.get("/casefiles/<id:case_file_id>")
@requires("view")
def detail(case_file_id: int):
    db = session()
    cf = ops.get(db, case_file_id)
    documents = documents_in(db, cf, visible_to(current_user))
    return jsonify({**case_file_json(cf), "children": [case_file_json(c) for c in cf.children],
                    "documents": [{"id": d.id, "title": d.title, "subject": d.subject} for d in documents]})


def _action(case_file_id: int, action: str):
    cf = ops.take_action(session(), current_app.extensions["docmgr"].files, case_file_id, action, current_user)
    return jsonify(case_file_json(cf))


@bp.post("/casefiles/<id:case_file_id>/close")
@requires("edit")
def close(case_file_id: int):
    return _action(case_file_id, "close")


@bp.post("/casefiles/<id:case_file_id>/reopen")
@requires("manage", CASE_FILE)
def reopen(case_file_id: int):
    return _action(case_file_id, "reopen")


@bp.post("/casefiles/<id:case_file_id>/archive")
@requires("manage", CASE_FILE)
def archive(case_file_id: int):
    return _action(case_file_id, "archive")


bp.add_url_rule("/casefiles/<id:case_file_id>/contents.pdf", "contents_pdf", contents_pdf)  # the same PDF


@bp.get("/casefiles/<id:case_file_id>/sharing")
@requires("manage", CASE_FILE)
def sharing(case_file_id: int):
    db = session()
    cf = ops.get(db, case_file_id)
    ops.require(current_user, "manage", cf, "chia sẻ hồ sơ này")
    return jsonify({"inherit_roles": cf.inherit_roles,
                    "local_roles": [{"principal": g.principal, "role": g.role} for g in cf.local_roles],
                    "inherited": [{"from": above.id, "principal": g.principal, "role": g.role}
                                  for above, g in ops.inherited_roles(cf)]})


@bp.post("/casefiles/<id:case_file_id>/sharing")
@requires("manage", CASE_FILE)
def set_sharing(case_file_id: int):
    db = session()
    cf = ops.get(db, case_file_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("roles", []), list):
        raise UserValueError('Gửi {"principal": "user:N" hoặc "group:N", "roles": [...]}.')
    if "inherit_roles" in payload:
        ops.set_inherit(db, cf, bool(payload["inherit_roles"]), current_user)
    if "principal" in payload:
        ops.set_local_roles(db, cf, str(payload["principal"]), set(payload.get("roles", [])), current_user)
    commit_and_sync(db)
    return sharing(case_file_id)


@bp.post("/documents/<id:doc_id>/file")
@requires("edit")
def file_document(doc_id: int):
    """``{"case_file_id": 3}`` (null takes the document out of its file)."""
    payload = request.get_json(silent=True) or {}
    db = session()
    ops.file_by_id(db, doc_id, payload.get("case_file_id"), current_user)
    return jsonify({"id": doc_id, "case_file_id": db.get(Document, doc_id).case_file_id})
