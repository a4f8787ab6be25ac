"""Case files (hồ sơ): their pages, the Sharing page, the contents PDF, and filing a document from its page.
The JSON API is :mod:`docmgr.casefiles.api`."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from docmgr import clock
from docmgr.auth.guard import requires
from docmgr.auth.models import Group, User
from docmgr.casefiles import operations as ops
from docmgr.casefiles.models import STATUSES, CaseFile
from docmgr.casefiles.queries import documents_in
from docmgr.db import session
from docmgr.errors import UserValueError
from docmgr.printing.jobs import BIG_CONTENTS, queue_print
from docmgr.search import commit_and_sync
from docmgr.workflow.definitions import ROLES
from docmgr.workflow.permissions import CASE_FILE, allowed, visible_to


bp = Blueprint("casefiles", __name__)


def _values(cf: CaseFile | None) -> dict:
    if cf is None:
        return {"year": clock.today().year, "retention": "10", "parent_id": request.args.get("parent", ""),
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
    today = clock.today()
    years = sorted({y for (y,) in db.execute(select(CaseFile.year).distinct())}, reverse=True)
    return render_template("casefiles/index.html", rows=ops.tree(db, year), year=year, years=years, today=today,
                           due=ops.due_for_archive(db, today), statuses=STATUSES)


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
            commit_and_sync(db)
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
    documents = documents_in(db, cf, visible_to(current_user))
    return render_template("casefiles/detail.html", cf=cf, documents=documents, today=clock.today(),
                           title_of=ops.principal_title)


def _action(case_file_id: int, action: str, message: str):
    cf = ops.take_action(session(), current_app.extensions["docmgr"].files, case_file_id, action, current_user)
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


@bp.post("/casefiles/<id:case_file_id>/delete")
@requires("manage", CASE_FILE)
def delete(case_file_id: int):
    db = session()
    cf = ops.get(db, case_file_id)
    code = cf.code
    ops.delete_case_file(db, cf, current_user)
    commit_and_sync(db)
    flash(f"Đã xóa hồ sơ «{code}».", "success")
    return redirect(url_for(".index"))


@bp.get("/casefiles/<id:case_file_id>/contents.pdf")
@requires("print")
def contents_pdf(case_file_id: int):
    """The Mục lục văn bản: the one kept at closing, or (open file) as it stands now — a background print
    (docmgr.printing.jobs) when the open file holds over 100 documents."""
    db = session()
    cf = ops.get(db, case_file_id)
    if not (cf.is_closed and cf.contents_sha256) and len(documents_in(db, cf)) > BIG_CONTENTS:
        ops.require(current_user, "print", cf, "in mục lục hồ sơ này")
        job = queue_print(db, current_user, "contents", {"case_file_id": cf.id})
        return redirect(url_for("docmgr.printing.print_job_view", job_id=job.id))
    pdf = ops.contents_for(db, cf, current_user, current_app.extensions["docmgr"].files)
    commit_and_sync(db)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{ops.contents_filename(cf)}"'})


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
            commit_and_sync(db)
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


# -- filing a document ---------------------------------------------------------


@bp.post("/documents/<id:doc_id>/file")
@requires("edit")
def file_document(doc_id: int):
    db = session()
    target = ops.file_by_id(db, doc_id, request.form.get("case_file_id"), current_user)
    flash(f"Đã đưa văn bản vào hồ sơ «{target.code}»." if target else "Đã bỏ văn bản khỏi hồ sơ.", "success")
    return redirect(url_for("docmgr.documents.detail", doc_id=doc_id))


def filing_choices(db, user) -> list[CaseFile]:
    """Open case files ``user`` may file documents into."""
    return [f for _, f in ops.tree(db) if not f.is_closed and allowed(user, "edit", f)]
