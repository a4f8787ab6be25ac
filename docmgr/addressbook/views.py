"""The address book pages and the recipient-matching page of a document; the JSON API is
:mod:`docmgr.addressbook.api`."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from docmgr.addressbook.csvio import export_csv, import_upload
from docmgr.addressbook.matching import AddressBook, name_key, resolve
from docmgr.addressbook.models import KINDS, AddressGroup, Organization
from docmgr.addressbook.operations import confirm_match, save_group, save_organization
from docmgr.addressbook.serialize import organization_json
from docmgr.auth.guard import requires
from docmgr.db import session
from docmgr.documents.views import get_document
from docmgr.errors import NotFoundError, UserValueError
from docmgr.text import fold
from docmgr.web import parse_id


bp = Blueprint("addressbook", __name__)


def _get(model, entry_id: int):
    entry = session().get(model, entry_id) if entry_id else None
    if entry is None:
        raise NotFoundError("Không có mục này trong danh bạ.")
    return entry


@bp.get("/addressbook")
@requires("view")
def index():
    db = session()
    q = (request.args.get("q") or "").strip()
    organizations = list(db.scalars(select(Organization).order_by(Organization.kind, Organization.name)))
    groups = list(db.scalars(select(AddressGroup).order_by(AddressGroup.name)))
    if q:
        needle = fold(name_key(q))
        organizations = [o for o in organizations if needle in fold(name_key(" ".join([o.name, o.short_name, o.aliases])))]
        groups = [g for g in groups if needle in fold(name_key(g.name + " " + g.aliases))]
    return render_template("addressbook/index.html", organizations=organizations, groups=groups, q=q, kinds=KINDS)


@bp.route("/addressbook/new", methods=["GET", "POST"])
@bp.route("/addressbook/<id:org_id>/edit", methods=["GET", "POST"])
@requires("addresses")
def organization_form(org_id: int | None = None):
    db = session()
    org = _get(Organization, org_id) if org_id else None
    values = dict(request.form) if request.method == "POST" else (
        {**organization_json(org), "aliases": org.aliases} if org else {"kind": "org"})
    if request.method == "POST":
        try:
            org = save_organization(db, request.form, org)
            db.commit()
        except UserValueError as exc:
            db.rollback()
            return render_template("addressbook/organization.html", values=values, org=org, kinds=KINDS,
                                   error=str(exc)), 400
        flash(f"Đã lưu «{org.name}».", "success")
        return redirect(url_for(".index"))
    return render_template("addressbook/organization.html", values=values, org=org, kinds=KINDS, error=None)


def _delete(model, entry_id: int, message: str):
    db = session()
    entry = _get(model, entry_id)
    db.delete(entry)
    db.commit()
    flash(message.format(name=entry.name), "success")
    return redirect(url_for(".index"))


@bp.post("/addressbook/<id:org_id>/delete")
@requires("addresses")
def organization_delete(org_id: int):
    return _delete(Organization, org_id, "Đã xóa «{name}» khỏi danh bạ.")


@bp.route("/addressbook/groups/new", methods=["GET", "POST"])
@bp.route("/addressbook/groups/<id:group_id>/edit", methods=["GET", "POST"])
@requires("addresses")
def group_form(group_id: int | None = None):
    db = session()
    group = _get(AddressGroup, group_id) if group_id else None
    organizations = list(db.scalars(select(Organization).order_by(Organization.name)))
    if request.method == "POST":
        members = [int(i) for i in request.form.getlist("members") if i.isdigit()]
        values = {"name": request.form.get("name", ""), "aliases": request.form.get("aliases", ""), "members": members}
        try:
            group = save_group(db, values["name"], members, values["aliases"], group)
            db.commit()
        except UserValueError as exc:
            db.rollback()
            return render_template("addressbook/group.html", values=values, group=group,
                                   organizations=organizations, error=str(exc)), 400
        flash(f"Đã lưu nhóm «{group.name}» ({len(group.members)} cơ quan).", "success")
        return redirect(url_for(".index"))
    values = {"name": group.name, "aliases": group.aliases, "members": [m.id for m in group.members]} if group else {
        "name": "", "aliases": "", "members": []}
    return render_template("addressbook/group.html", values=values, group=group, organizations=organizations,
                           error=None)


@bp.post("/addressbook/groups/<id:group_id>/delete")
@requires("addresses")
def group_delete(group_id: int):
    return _delete(AddressGroup, group_id, "Đã xóa nhóm «{name}».")


@bp.post("/addressbook/import")
@requires("addresses")
def import_view():
    """CSV upload (field ``file``): added and updated entries; an error changes nothing."""
    try:
        counts = import_upload(session(), request.files.get("file"))
    except UserValueError as exc:
        flash(f"Không nhập được: {exc} Danh bạ không thay đổi.", "error")
        return redirect(url_for(".index"))
    flash(f"Đã nhập danh bạ: thêm {counts['created']}, cập nhật {counts['updated']} mục.", "success")
    return redirect(url_for(".index"))


@bp.get("/addressbook/export.csv")
@requires("view")
def export_view():
    return Response("\ufeff" + export_csv(session()), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=danh-ba.csv"})


@bp.get("/documents/<id:doc_id>/recipients")
@requires("view")
def recipients_view(doc_id: int):
    """Each "Nơi nhận" line with what it matched in the address book; the clerk confirms suggestions."""
    doc = get_document(doc_id)
    db = session()
    book = AddressBook(db)
    resolution = resolve(db, doc, book)
    return render_template("addressbook/recipients.html", doc=doc, resolution=resolution,
                           organizations=book.organizations, groups=book.groups)


@bp.post("/documents/<id:doc_id>/recipients/confirm")
@requires("addresses")
def confirm_view(doc_id: int):
    """Confirm what a recipient line means (``line`` = its position, ``entry`` = "org:ID" or "group:ID")."""
    doc = get_document(doc_id)
    db = session()
    try:
        line = doc.recipients[int(request.form.get("line", "")[:6])]
        kind, _, entry_id = request.form.get("entry", "").partition(":")
        entry = _get({"org": Organization, "group": AddressGroup}[kind], parse_id(entry_id))
    except (ValueError, IndexError, KeyError, NotFoundError):
        flash("Chọn một dòng nơi nhận và một mục trong danh bạ.", "error")
        return redirect(url_for(".recipients_view", doc_id=doc_id))
    confirm_match(db, line.text, entry)
    db.commit()
    flash(f"Đã ghi nhận: «{line.text}» là «{entry.name}» (dùng cho mọi văn bản sau này).", "success")
    return redirect(url_for(".recipients_view", doc_id=doc_id))
