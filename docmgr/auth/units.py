"""Units (phòng, ban) of the agency: their pages, for managers. The operations are
:mod:`docmgr.auth.groups` (save) and :func:`docmgr.casefiles.operations.delete_unit` (delete: it re-indexes
the documents the unit's sharing reached)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from docmgr.auth.groups import save_group
from docmgr.auth.guard import requires
from docmgr.auth.models import Group, User
from docmgr.casefiles import operations as ops
from docmgr.db import session
from docmgr.errors import NotFoundError, UserValueError
from docmgr.search import commit_and_sync
from docmgr.text import clean_whitespace


bp = Blueprint("units", __name__)


@bp.get("/units")
@requires("manage")
def units():
    db = session()
    return render_template("auth/units.html", units=db.scalars(select(Group).order_by(Group.name)).all())


@bp.route("/units/new", methods=["GET", "POST"])
@bp.route("/units/<id:unit_id>/edit", methods=["GET", "POST"])
@requires("manage")
def unit_form(unit_id: int | None = None):
    db = session()
    group = db.get(Group, unit_id) if unit_id else None
    if unit_id and group is None:
        raise NotFoundError("Không có đơn vị này.")
    users = db.scalars(select(User).order_by(User.username)).all()
    if request.method == "POST":
        try:
            group = save_group(db, request.form.get("name", ""), request.form.get("code", ""),
                               [int(i) for i in request.form.getlist("members") if i.isdigit()],
                               request.form.get("description", ""), group, current_user)
            commit_and_sync(db)
        except UserValueError as exc:
            db.rollback()
            return render_template("auth/unit.html", group=group, users=users, values=request.form,
                                   members={int(i) for i in request.form.getlist("members") if i.isdigit()},
                                   error=str(exc)), 400
        flash(f"Đã lưu đơn vị «{group.name}».", "success")
        return redirect(url_for(".units"))
    values = {"name": group.name, "code": group.code, "description": group.description} if group else {}
    return render_template("auth/unit.html", group=group, users=users, values=values,
                           members={u.id for u in group.members} if group else set(), error=None)


@bp.post("/units/<id:unit_id>/delete")
@requires("manage")
def unit_delete(unit_id: int):
    db = session()
    group = db.get(Group, unit_id)
    if group is None:
        raise NotFoundError("Không có đơn vị này.")
    name = clean_whitespace(group.name)
    ops.delete_unit(db, group, current_user)
    commit_and_sync(db)
    flash(f"Đã xóa đơn vị «{name}».", "success")
    return redirect(url_for(".units"))
