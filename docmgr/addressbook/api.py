"""The address book as JSON: /api/addressbook (list, add, CSV import and export) and
/api/documents/<id>/recipients (what each "Nơi nhận" line matched). The pages are :mod:`docmgr.addressbook.views`."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from docmgr.addressbook.csvio import import_upload
from docmgr.addressbook.matching import AddressBook, resolve
from docmgr.addressbook.models import AddressGroup, Organization
from docmgr.addressbook.operations import save_organization
from docmgr.addressbook.serialize import group_json, organization_json, resolution_json
from docmgr.addressbook.views import export_view
from docmgr.auth.guard import requires
from docmgr.db import session
from docmgr.documents.views import get_document


bp = Blueprint("addressbook_api", __name__)


@bp.get("/addressbook")
@requires("view")
def index():
    db = session()
    return jsonify({"organizations": [organization_json(o) for o in db.scalars(select(Organization).order_by(Organization.name))],
                    "groups": [group_json(g) for g in db.scalars(select(AddressGroup).order_by(AddressGroup.name))]})


@bp.post("/addressbook")
@requires("addresses")
def create():
    db = session()
    org = save_organization(db, request.get_json(silent=True) or {})
    db.commit()
    return jsonify(organization_json(org)), 201


@bp.post("/addressbook/import")
@requires("addresses")
def import_csv_file():
    """CSV upload (field ``file``): ``{created, updated}``; an error changes nothing (400 with the reason)."""
    return jsonify(import_upload(session(), request.files.get("file")))


bp.add_url_rule("/addressbook/export.csv", "export_csv", export_view)  # the same CSV


@bp.get("/documents/<id:doc_id>/recipients")
@requires("view")
def recipients(doc_id: int):
    doc = get_document(doc_id)
    db = session()
    return jsonify(resolution_json(resolve(db, doc, AddressBook(db))))
