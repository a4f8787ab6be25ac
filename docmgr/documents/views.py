"""Web pages for documents: list, search, page, upload and confirm, edit, download."""

from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from docmgr import audit, clock, search
from docmgr.auth.guard import requires
from docmgr.auth.models import Group
from docmgr.casefiles.views import filing_choices
from docmgr.db import session
from docmgr.doctypes import ALL_TYPES
from docmgr.documents import locks, spreadsheet, versions
from docmgr.documents.models import CONFIDENTIALITIES, DIRECTIONS, FILE_ROLES, URGENCIES, Document, DocumentFile
from docmgr.documents.operations import (
    FIELDS,
    cited_by,
    locked_fields,
    ocr_report,
    revert_version,
    update_document,
    visible_targets,
)
from docmgr.documents.queries import (
    COLUMNS,
    EXPORT_LIMIT,
    PAGE_SIZES,
    Filters,
    column_title,
    export_rows,
    filter_choices,
    list_documents,
)
from docmgr.documents.uploads import receive_upload
from docmgr.errors import ConflictError, NotFoundError, PermissionDeniedError, UserValueError
from docmgr.extraction.readers import EXTENSIONS
from docmgr.intake.operations import pending_count
from docmgr.pages.previews import page_response, preview_pages
from docmgr.search import commit_and_sync
from docmgr.web import parse_id
from docmgr.workflow import deadlines, queues
from docmgr.workflow.deadlines import default_deadline
from docmgr.workflow.definitions import PERMISSIONS
from docmgr.workflow.permissions import allowed
from docmgr.workflow.transitions import available, deciders, enters_for_others, transition


bp = Blueprint("documents", __name__)
# Files the browser may show itself (?inline=1: a PDF in its viewer); anything else is only downloaded, never
# rendered from docmgr's origin (an uploaded HTML or SVG file could carry script).
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "text/plain"})
INLINE_POLICY = "default-src 'none'; object-src 'self'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def get_document(doc_id: int, permission: str = "view") -> Document:
    """The document, if the current user has ``permission`` on it in its state: 404 if they may not view it
    (or it does not exist), 403 if they may view it but not do ``permission``."""
    doc = session().get(Document, doc_id) if 0 < doc_id < 2**63 else None
    # A document the user may not view answers like one that does not exist: no oracle of its existence.
    if doc is None or not allowed(current_user, "view", doc):
        raise NotFoundError(f"Không có văn bản số #{doc_id}, hoặc bạn không có quyền xem văn bản này.")
    if not allowed(current_user, permission, doc):
        raise PermissionDeniedError(f"Bạn không có quyền «{PERMISSIONS[permission].lower()}» ở trạng thái "
                                    f"«{doc.state_title}» của văn bản này.")
    return doc


def form_context(values: dict, **extra) -> dict:
    """What the metadata form (documents/edit.html) needs: the choices, the author's unit for a new document."""
    units = session().scalars(select(Group).order_by(Group.name)).all()
    doc = extra.get("doc")
    extra.setdefault("locked", locked_fields(doc) if doc is not None else {})
    if "unit_id" not in values and current_user.groups:
        values = {**values, "unit_id": current_user.groups[0].id}  # a new document: the author's unit
    return {"values": values, "fields": FIELDS, "directions": DIRECTIONS, "urgencies": URGENCIES,
            "confidentialities": CONFIDENTIALITIES, "doc_types": ALL_TYPES, "units": units, "file_roles": FILE_ROLES,
            **extra}


@bp.route("/")
@requires("view")
def index():
    """The home page: what waits for the user (counters that link to their lists), then the most urgent rows."""
    db = session()
    counts = queues.counts(db, current_user)
    urgent = queues.most_urgent(db, current_user) if counts.queues else []
    recent = [] if counts.queues else list_documents(
        db, Filters(sort="-created", per_page=10), user=current_user).items
    return render_template("documents/home.html", counts=counts, queues=queues.QUEUES, urgent=urgent,
                           recent=recent, intakes=pending_count(db, current_user) if allowed(current_user, "add") else 0, today=clock.today(),
                           due_soon_days=queues.DUE_SOON_DAYS)


@bp.route("/documents")
@requires("view")
def list_view():
    filters = Filters.from_args(request.args, current_app.config["DOCMGR_PAGE_SIZE"])
    db = session()
    page = list_documents(db, filters, user=current_user)
    return render_template("documents/list.html", page=page, filters=filters, columns=COLUMNS,
                           column_title=column_title, page_sizes=PAGE_SIZES, directions=DIRECTIONS,
                           title=_list_title(filters), export_limit=EXPORT_LIMIT, today=clock.today(),
                           choices=filter_choices(db, current_user, filters.direction))


def _list_title(filters: Filters) -> str:
    title = DIRECTIONS.get(filters.direction, "Tất cả văn bản")
    return f"{title}: {queues.title_of(filters.queue).lower()}" if filters.queue else title


@bp.route("/documents/export.xlsx")
@requires("view")
def export_view():
    """«Xuất Excel»: the filtered list as a workbook, in the list's order, at most EXPORT_LIMIT rows."""
    filters = Filters.from_args(request.args, current_app.config["DOCMGR_PAGE_SIZE"])
    db = session()
    rows, total = export_rows(db, filters, current_user)
    audit.record(db, "export", current_user, None, rows=len(rows), total=total, list=_list_title(filters))
    db.commit()
    data = spreadsheet.workbook(_list_title(filters), filters.columns, rows, total, filters.direction)
    name = f"danh-sach-{filters.direction or 'van-ban'}-{clock.today():%Y%m%d}.xlsx"
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.route("/documents/<id:doc_id>")
@requires("view")
def detail(doc_id: int):
    doc = get_document(doc_id)
    db = session()
    audit.record(db, "view", current_user, doc.id)
    db.commit()
    related, related_error = [], None
    try:
        ids = search.related(current_app.extensions["docmgr"], doc, user=current_user)
        found = {d.id: d for d in db.scalars(select(Document).where(Document.id.in_(ids)))}
        related = [found[i] for i in ids if i in found]
    except search.SearchError as exc:
        related_error = str(exc)

    current = doc.case_file
    can_refile = current is None or (not current.is_closed and allowed(current_user, "edit", current))
    transitions = available(doc, current_user)
    assigning = any(t.effect == "assign" for t in transitions)  # the lead-unit field offers the units
    on_behalf = {t.name: deciders(db, t, doc) for t in transitions if enters_for_others(current_user, t, doc)}
    return render_template("documents/detail.html", doc=doc, cited_by=cited_by(db, doc, current_user),
                           ocr=ocr_report(doc),
                           linked=visible_targets(db, doc, current_user), related=related,
                           related_error=related_error, transitions=transitions,
                           filing=filing_choices(db, current_user) if can_refile else [],
                           units=db.scalars(select(Group).order_by(Group.name)).all() if assigning else [],
                           can_edit=allowed(current_user, "edit", doc), lock=locks.holder(db, doc),
                           locked_message=locks.locked_message,
                           can_download=allowed(current_user, "download", doc),
                           can_print=allowed(current_user, "print", doc), preview=_preview(doc),
                           inline_types=INLINE_TYPES, on_behalf=on_behalf,
                           default_deadline=default_deadline(doc, db.info.get(deadlines.SESSION_KEY, {}),
                                                             clock.today()) if assigning else None)


def _preview(doc: Document) -> list[dict]:
    """The main file's pages as images (a PDF or a scan), for the document page."""
    main = next((f for f in doc.files if f.role == "main"), None)
    if main is None or not allowed(current_user, "download", doc):
        return []
    return preview_pages(main.blob.mime_type, doc.page_count, lambda n, w: url_for(
        ".file_page", doc_id=doc.id, file_id=main.id, number=n, w=w), width=400)


@bp.route("/documents/<id:doc_id>/transition", methods=["POST"])
@requires("transition")
def transition_view(doc_id: int):
    """Take a workflow transition from the document page (comment and assignment fields in the form)."""
    doc = get_document(doc_id)
    db = session()
    name = request.form.get("transition", "")
    try:
        data = {**request.form.to_dict(), "cooperating_group_ids": request.form.getlist("cooperating_group_ids")}
        event = transition(db, doc, name, current_user, request.form.get("comment", ""), data)
    except (UserValueError, PermissionDeniedError) as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".detail", doc_id=doc_id))
    commit_and_sync(db)
    step = doc.workflow.transitions[event.transition]
    extra = f" Số: {event.detail['number']}." if "number" in event.detail else (
        f" Số đến: {event.detail['arrival_number']}." if "arrival_number" in event.detail else "")
    flash(f"Đã «{step.title}»: văn bản chuyển sang «{doc.state_title}».{extra}", "success")
    return redirect(url_for(".detail", doc_id=doc_id))


def _upload_form():
    """The upload form; its file picker offers every kind of file the readers take, scans included."""
    return render_template("documents/upload.html", directions=DIRECTIONS, accept=",".join(EXTENSIONS))


@bp.route("/documents/upload", methods=["GET", "POST"])
@requires("add")
def upload():
    """Receive a file: kept at once as a pending intake, then its progress while a scan is read by OCR in
    the background, then the confirm form (:mod:`docmgr.intake.views`)."""
    if request.method == "GET":
        return _upload_form()
    file = request.files.get("file")
    if file is None or not file.filename:
        flash("Chọn một tệp để tải lên.", "error")
        return _upload_form(), 400
    direction = request.form.get("direction") if request.form.get("direction") in DIRECTIONS else "incoming"
    try:
        intake, warning = receive_upload(file.filename, file.stream, direction)
    except UserValueError as exc:  # empty, or too large: said on the form, nothing kept
        flash(str(exc), "error")
        return _upload_form(), 400
    if warning:
        flash(warning, "warning")
    return redirect(url_for("docmgr.intake.show", intake_id=intake.id), code=303)


@bp.post("/documents/<id:doc_id>/edit/lock")
@requires("edit")
def take_lock(doc_id: int):
    """«Sửa thông tin»: take the 10-minute edit lock (a Manager may take it over: ``steal=1``), then the form.
    Only this explicit action locks: a link or a prefetch of the form never locks others out."""
    doc = get_document(doc_id, "edit")
    try:
        locks.take(session(), doc, current_user, steal=request.form.get("steal") == "1")
    except ConflictError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".detail", doc_id=doc.id, locked=1))
    return redirect(url_for(".edit", doc_id=doc.id))


@bp.route("/documents/<id:doc_id>/edit", methods=["GET", "POST"])
@requires("edit")
def edit(doc_id: int):
    """The form (taking no lock: see :func:`take_lock`); saving needs the lock, or takes it if free, and
    gives it back."""
    doc = get_document(doc_id, "edit")
    db = session()
    if request.method == "POST":
        raw = {name: request.form.get(name, "") for name in FIELDS}
        try:
            with locks.editing(db, doc, current_user, keep_on_error=True):  # the form shown again keeps it
                changes = update_document(db, doc, raw, current_user)
        except ConflictError as exc:
            flash(str(exc), "error")
            return render_template("documents/edit.html", **form_context(
                raw, doc=doc, upload=None, action=url_for(".edit", doc_id=doc.id))), 409
        except UserValueError as exc:
            flash(str(exc), "error")
            return render_template("documents/edit.html", **form_context(
                raw, doc=doc, upload=None, action=url_for(".edit", doc_id=doc.id), errors=exc.field_errors)), 400
        flash("Đã cập nhật." if changes else "Không có thay đổi.", "success")
        return redirect(url_for(".detail", doc_id=doc.id))
    lock = locks.holder(db, doc)
    if lock is not None and lock.user_id != current_user.id:
        flash(locks.locked_message(lock), "error")
        return redirect(url_for(".detail", doc_id=doc.id, locked=1))
    values = {name: getattr(doc, name) for name in FIELDS if name != "recipients"}
    values["recipients"] = [r.text for r in doc.recipients]
    return render_template("documents/edit.html", **form_context(
        values, doc=doc, upload=None, action=url_for(".edit", doc_id=doc.id), lock=lock))


@bp.route("/documents/<id:doc_id>/versions")
@requires("view")
def versions_view(doc_id: int):
    """The versions of a document; with ?a=&b=, what changed between two of them."""
    doc = get_document(doc_id)
    db = session()
    found = versions.versions(db, doc)
    compare = None
    a, b = parse_id(request.args.get("a")), parse_id(request.args.get("b"))
    if a and b:
        compare = (versions.get(db, doc, a), versions.get(db, doc, b))
        units = dict(db.execute(select(Group.id, Group.name)).all())
        compare = (*compare, versions.diff(*compare, units=units))
    return render_template("documents/versions.html", doc=doc, versions=found, compare=compare,
                           actions=versions.ACTIONS, can_revert=allowed(current_user, "edit", doc))


@bp.route("/documents/<id:doc_id>/versions/<id:number>/revert", methods=["POST"])
@requires("edit")
def revert_view(doc_id: int, number: int):
    doc = get_document(doc_id, "edit")
    db = session()
    try:
        with locks.editing(db, doc, current_user, keep_on_error=True):
            changes = revert_version(db, doc, versions.get(db, doc, number), current_user)
    except (ConflictError, UserValueError) as exc:
        flash(str(exc), "error")
        return redirect(url_for(".versions_view", doc_id=doc_id))
    flash(f"Đã khôi phục phiên bản {number}." if changes else f"Phiên bản {number} giống hiện tại.", "success")
    return redirect(url_for(".versions_view", doc_id=doc_id))


@bp.route("/documents/<id:doc_id>/unlock", methods=["POST"])
@requires("edit")
def unlock(doc_id: int):
    """Cancel an edit: give the lock back."""
    doc = get_document(doc_id, "edit")
    locks.release(session(), doc, current_user)
    return redirect(url_for(".detail", doc_id=doc.id))


@bp.route("/documents/<id:doc_id>/files/<id:file_id>/pages/<id:number>.png")
@requires("download")
def file_page(doc_id: int, file_id: int, number: int):
    """A page of one of the document's files as an image (PDF pages, scans)."""
    get_document(doc_id, "download")
    file = session().get(DocumentFile, file_id)
    if file is None or file.document_id != doc_id:
        abort(404)
    return page_response(current_app.extensions["docmgr"], file.blob_sha256, file.blob.mime_type, number)


@bp.route("/documents/<id:doc_id>/files/<id:file_id>")
@requires("download")
def download(doc_id: int, file_id: int):
    get_document(doc_id, "download")
    db = session()
    file = db.get(DocumentFile, file_id)
    if file is None or file.document_id != doc_id:
        abort(404)
    path = current_app.extensions["docmgr"].files.path(file.blob_sha256)
    if not path.is_file():
        raise NotFoundError("Tệp gốc không còn trong kho lưu trữ; báo quản trị kiểm tra.")
    inline = request.args.get("inline") == "1" and file.blob.mime_type in INLINE_TYPES
    audit.record(db, "download", current_user, doc_id, file=file.filename, **({"inline": True} if inline else {}))
    db.commit()
    response = send_file(path, mimetype=file.blob.mime_type, as_attachment=not inline, download_name=file.filename)
    if inline:  # the browser's own PDF viewer is a plugin: the pages' policy (object-src 'none') would block it
        response.headers["Content-Security-Policy"] = INLINE_POLICY
    return response
