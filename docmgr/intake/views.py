"""Pending intakes on the web: a file's progress while it is read, its confirm form, the văn thư's list of
files waiting, and their status in JSON for the progress bar and API clients."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, flash, g, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import func, select

from docmgr import clock
from docmgr.auth.guard import requires
from docmgr.db import session
from docmgr.documents.fields import FIELDS, SUBJECT_MAX
from docmgr.documents.views import form_context
from docmgr.errors import ConflictError, NotFoundError, PermissionDeniedError, UserValueError
from docmgr.intake import operations
from docmgr.intake.models import PENDING, STATES, Intake
from docmgr.intake.operations import (
    DuplicateFound,
    duplicates_of,
    pending_count,
    percent,
    reading_of,
    sees_all,
    status,
    visible_intakes,
)
from docmgr.pages.previews import page_response, preview_pages, previewable
from docmgr.search import commit_and_sync


bp = Blueprint("intake", __name__)
api_bp = Blueprint("intake_api", __name__)


def pending_intakes_count() -> int:
    """The files waiting (being read, to confirm, failed) that the user may see, counted once per request."""
    if not getattr(current_user, "is_authenticated", False):
        return 0
    if "docmgr_pending_intakes" not in g:
        g.docmgr_pending_intakes = pending_count(session(), current_user)
    return g.docmgr_pending_intakes


@bp.app_context_processor
def pending_intakes_processor() -> dict:
    """``pending_intakes()`` for the navigation (counted when asked)."""
    return {"pending_intakes": pending_intakes_count}


def get_intake(intake_id: int) -> Intake:
    """The intake, if the user sent it or is the văn thư; 404 otherwise (no oracle of its existence)."""
    intake = session().get(Intake, intake_id) if 0 < intake_id < 2**63 else None
    if intake is None or not (sees_all(current_user) or intake.created_by_id == current_user.id):
        raise NotFoundError(f"Không có tệp chờ xử lý số #{intake_id}, hoặc bạn không có quyền xem.")
    return intake


def links(intake: Intake) -> dict:
    return {"url": url_for("docmgr.intake.show", intake_id=intake.id),
            "status_url": url_for("docmgr.intake_api.status_api", intake_id=intake.id),
            "document_url": url_for("docmgr.documents.detail", doc_id=intake.document_id)
            if intake.document_id else None}


@dataclass
class Received:
    """What the confirm form says about the file it confirms."""

    filename: str
    size: int
    warnings: list[str]
    ocr: dict | None
    signatures: list
    hints: dict  # field → what to check, while the field still holds what was read
    package: dict | None = None  # an edXML package's Reading.package: its sender's code, the files it carried

def confirm_context(intake: Intake, values: dict | None = None, errors: dict | None = None,
                    duplicates: list | None = None) -> dict:
    reading = reading_of(intake)
    if values is None:
        values = {**reading.form_fields(), **(intake.overrides or {}), "direction": intake.direction}
        if intake.direction == "incoming" and not values.get("arrival_date"):
            values["arrival_date"] = clock.today()  # it arrives today
        duplicates = duplicates_of(session(), intake, values, current_user)
    warnings = ([intake.error] if intake.error else []) + reading.warnings
    read = reading.form_fields()
    hints = {name: message for name, message in reading.field_warnings.items()
             if (values.get(name) or None) == (read.get(name) or None)}  # gone once the clerk changes the field
    return form_context(
        values, doc=None, errors=errors or {}, intake=intake, duplicates=duplicates or [],
        can_register=sees_all(current_user), subject_max=SUBJECT_MAX,
        upload=Received(intake.filename, intake.size, warnings, reading.ocr, reading.signature_infos, hints,
                        reading.package),
        preview_pages=preview_pages(reading.mime_type, reading.fields.get("page_count"),
                                    lambda n, w: url_for(".page_view", intake_id=intake.id, number=n, w=w),
                                    width=900),
        # A file that is text (a .docx, .txt, .html) is shown as the text read from it.
        preview_text=None if previewable(reading.mime_type) else reading.text[:PREVIEW_TEXT_CHARS],
        action=url_for(".confirm_view", intake_id=intake.id))


PREVIEW_TEXT_CHARS = 30_000


@bp.route("/intakes")
@requires("add")
def list_view():
    """The files received and not yet documents: being read, waiting for confirmation, unreadable."""
    shown = request.args.get("state", "pending")
    db = session()
    query = visible_intakes(current_user)
    if shown == "pending":
        query = query.where(Intake.state.in_(PENDING))
    elif shown in STATES:
        query = query.where(Intake.state == shown)
    intakes = db.scalars(query.order_by(Intake.created_at.desc(), Intake.id.desc()).limit(200)).all()
    visible = visible_intakes(current_user).subquery()
    counts = dict(db.execute(select(visible.c.state, func.count()).group_by(visible.c.state)).all())
    return render_template("intake/list.html", intakes=intakes, shown=shown, states=STATES, counts=counts,
                           pending=PENDING, percent=percent, sees_all=sees_all(current_user))


@bp.route("/intakes/<id:intake_id>")
@requires("add")
def show(intake_id: int):
    """While the file is read: its progress (page k of n). Once read: the confirm form. Done: its document."""
    intake = get_intake(intake_id)
    if intake.state == "done" and intake.document_id:
        return redirect(url_for("docmgr.documents.detail", doc_id=intake.document_id))
    if intake.state == "reading":
        return render_template("intake/progress.html", intake=intake, job=intake.job, percent=percent(intake.job),
                               links=links(intake))
    if intake.state == "discarded":
        return render_template("intake/progress.html", intake=intake, job=intake.job, percent=0, links=links(intake))
    return render_template("documents/edit.html", **confirm_context(intake))


@bp.post("/intakes/<id:intake_id>/confirm")
@requires("add")
def confirm_view(intake_id: int):
    """Save the confirmed metadata: the document is made from the reading kept on the intake."""
    intake = get_intake(intake_id)
    raw = {name: request.form.get(name, "") for name in FIELDS}
    db = session()
    register = request.form.get("register") == "1"
    try:
        doc = operations.confirm(db, intake, raw, current_user, register=register,
                                 accept_duplicates=request.form.get("duplicate_ok") == "1")
    except DuplicateFound as exc:  # asked before saving, not after
        db.rollback()
        return render_template("documents/edit.html", **confirm_context(
            intake, raw, {"duplicate_ok": str(exc)}, exc.duplicates)), 409
    except (UserValueError, PermissionDeniedError) as exc:
        db.rollback()
        flash(str(exc), "error")
        return render_template("documents/edit.html", **confirm_context(
            intake, raw, getattr(exc, "field_errors", {}), duplicates_of(db, intake, raw, current_user))), 400
    except ConflictError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".show", intake_id=intake.id))
    commit_and_sync(db)
    flash(f"Đã lưu và vào sổ văn bản đến: số đến {doc.arrival_number}." if register else "Đã lưu văn bản.",
          "success")
    return redirect(url_for("docmgr.documents.detail", doc_id=doc.id))


@bp.post("/intakes/<id:intake_id>/discard")
@requires("add")
def discard_view(intake_id: int):
    intake = get_intake(intake_id)
    db = session()
    try:
        operations.discard(db, intake)
    except ConflictError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".show", intake_id=intake.id))
    db.commit()
    flash(f"Đã bỏ tệp «{intake.filename}» (tệp gốc vẫn được giữ trong kho).", "success")
    return redirect(url_for(".list_view"))


@bp.route("/intakes/<id:intake_id>/original")
@requires("add")
def original(intake_id: int):
    """The file as it was received, to check the fields against it."""
    intake = get_intake(intake_id)
    path = current_app.extensions["docmgr"].files.path(intake.blob_sha256)
    if not path.is_file():
        raise NotFoundError("Tệp gốc không còn trong kho lưu trữ; báo quản trị kiểm tra.")
    return send_file(path, mimetype=reading_of(intake).received_mime_type(), as_attachment=True,
                     download_name=intake.filename)


@bp.route("/intakes/<id:intake_id>/pages/<id:number>.png")
@requires("add")
def page_view(intake_id: int, number: int):
    """A page of the file as an image (PDF pages, scans), to check the fields against."""
    intake = get_intake(intake_id)
    reading = reading_of(intake)
    return page_response(current_app.extensions["docmgr"], reading.shown_sha256(intake.blob_sha256), reading.mime_type,
                         number)


@api_bp.get("/intakes/<id:intake_id>")
@requires("add")
def status_api(intake_id: int):
    """A pending intake: its state, its reading job's progress and error, and its document once made."""
    intake = get_intake(intake_id)
    return jsonify(status(intake, links(intake)))


@api_bp.get("/intakes")
@requires("add")
def list_api():
    """The pending intakes the user may see (the văn thư: all of them), newest first."""
    db = session()
    intakes = db.scalars(visible_intakes(current_user).where(Intake.state.in_(PENDING))
                         .order_by(Intake.created_at.desc(), Intake.id.desc()).limit(200)).all()
    return jsonify({"intakes": [status(i, links(i)) for i in intakes]})
