"""JSON API: /api/documents (list, get, upload, edit, transitions, versions). Session cookie + CSRF header,
or Bearer token. /api/search is :mod:`docmgr.search.api`, /api/worklist :mod:`docmgr.workflow.worklist`."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user

from docmgr import audit
from docmgr.auth.guard import requires
from docmgr.db import session
from docmgr.documents import locks, serialize, versions
from docmgr.documents.models import DIRECTIONS, Document
from docmgr.documents.operations import FIELDS, clean_fields, revert_version, update_document
from docmgr.documents.queries import Filters, list_documents
from docmgr.documents.uploads import receive_upload
from docmgr.documents.views import get_document
from docmgr.errors import UserValueError
from docmgr.intake.operations import status
from docmgr.intake.views import links
from docmgr.search import commit_and_sync
from docmgr.web import parse_id
from docmgr.workflow.transitions import transition


bp = Blueprint("api", __name__)


@bp.get("/documents")
@requires("view")
def list_documents_api():
    filters = Filters.from_args(request.args)
    try:
        per_page = min(200, max(1, int(request.args.get("per_page", current_app.config["DOCMGR_PAGE_SIZE"]))))
    except ValueError as exc:
        raise UserValueError("per_page phải là số nguyên.") from exc
    page = list_documents(session(), filters, per_page, user=current_user)
    return jsonify({"total": page.total, "page": page.page, "per_page": per_page, "pages": page.pages,
                    "items": [serialize.summary(d) for d in page.items]})


@bp.get("/documents/<id:doc_id>")
@requires("view")
def get_document_api(doc_id: int):
    doc = get_document(doc_id)
    db = session()
    audit.record(db, "view", current_user, doc.id, via="api")
    commit_and_sync(db)
    return jsonify(serialize.full(doc))


@bp.post("/documents")
@requires("add")
def upload_document_api():
    """multipart/form-data: file (required), direction, and any metadata field to override. A file with a text
    layer is read at once: 201 and the document. A scan is read by OCR in the background: 202 and its pending
    intake (``status_url`` to follow; the document is made when the reading ends, ``document_url``)."""
    file = request.files.get("file")
    if file is None or not file.filename:
        raise UserValueError("Thiếu tệp (trường «file»).")
    direction = request.form.get("direction", current_app.config["DOCMGR_DEFAULT_DIRECTION"])
    if direction not in DIRECTIONS:
        raise UserValueError(f"direction phải là một trong: {', '.join(DIRECTIONS)}.")
    overrides = {k: v for k, v in request.form.items() if k in FIELDS and k != "direction"}
    if "recipients" in overrides:
        overrides["recipients"] = request.form.getlist("recipients") if len(request.form.getlist("recipients")) > 1 \
            else overrides["recipients"]
    clean_fields(overrides)  # refused before anything is kept or read
    intake, warning = receive_upload(file.filename, file.stream, direction, overrides=overrides, auto=True)
    if intake.state == "done" and intake.document_id:
        return jsonify(serialize.full(session().get(Document, intake.document_id))), 201
    return jsonify({"intake": status(intake, links(intake)), "warning": warning}), 202


@bp.patch("/documents/<id:doc_id>")
@requires("edit")
def edit_document_api(doc_id: int):
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise UserValueError("Nội dung yêu cầu phải là một đối tượng JSON.")
    unknown = sorted(set(payload) - set(FIELDS))
    if unknown:
        raise UserValueError(f"Trường không sửa được: {', '.join(unknown)}.")
    doc = get_document(doc_id, "edit")
    db = session()
    with locks.editing(db, doc, current_user):  # 409 while someone else has the edit form open
        changes = update_document(db, doc, payload, current_user)
    return jsonify({**serialize.full(doc), "changed": sorted(changes)})


@bp.post("/documents/<id:doc_id>/transitions")
@requires("transition")
def transition_api(doc_id: int):
    """``{"transition": "issue", "comment": "…", "notation": …, "lead_unit": …}`` → the document, with its history."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("transition"), str):
        raise UserValueError("Cần một đối tượng JSON có trường «transition».")
    doc = get_document(doc_id)
    db = session()
    try:
        transition(db, doc, payload["transition"], current_user, str(payload.get("comment") or ""),
                   {k: str(v) for k, v in payload.items() if v is not None})
    except Exception:
        db.rollback()
        raise
    commit_and_sync(db)
    return jsonify(serialize.full(doc))


def _version_row(version) -> dict:
    return {"number": version.number, "at": version.at.isoformat(), "action": version.action,
            "user": version.user.username if version.user else None}


@bp.get("/documents/<id:doc_id>/versions")
@requires("view")
def versions_api(doc_id: int):
    """Every version, oldest first; ``?a=&b=`` adds what changed between two."""
    doc = get_document(doc_id)
    db = session()
    out = {"versions": [_version_row(v) for v in versions.versions(db, doc)]}
    if request.args.get("a") and request.args.get("b"):
        numbers = [parse_id(request.args[k]) for k in ("a", "b")]
        if None in numbers:
            raise UserValueError("a và b phải là số phiên bản.")
        a, b = (versions.get(db, doc, n) for n in numbers)
        change = versions.diff(a, b)
        out["diff"] = {"fields": [{"field": f, "a": x, "b": y} for f, x, y in change["fields"]],
                       "text": change["text"], "files_removed": change["files"][0], "files_added": change["files"][1]}
    return jsonify(out)


@bp.get("/documents/<id:doc_id>/versions/<id:number>")
@requires("view")
def version_api(doc_id: int, number: int):
    version = versions.get(session(), get_document(doc_id), number)
    return jsonify({**_version_row(version), "data": version.data})


@bp.post("/documents/<id:doc_id>/versions/<id:number>/revert")
@requires("edit")
def revert_api(doc_id: int, number: int):
    doc = get_document(doc_id, "edit")
    db = session()
    with locks.editing(db, doc, current_user):
        changes = revert_version(db, doc, versions.get(db, doc, number), current_user)
    return jsonify({**serialize.full(doc), "changed": sorted(changes)})
