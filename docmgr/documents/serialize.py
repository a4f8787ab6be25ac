"""Documents as JSON for the API."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from docmgr.db import session
from docmgr.documents.models import Document
from docmgr.documents.operations import visible_targets


def _date(value):
    return value.isoformat() if value else None


def summary(doc: Document) -> dict:
    return {
        "id": doc.id, "direction": doc.direction, "number": doc.number, "notation": doc.notation,
        "doc_type": doc.doc_type, "doc_type_code": doc.doc_type_code, "subject": doc.subject,
        "issued_on": _date(doc.issued_on), "issuer": doc.issuer, "signer": doc.signer,
        "state": doc.state, "state_title": doc.state_title,
        "url": url_for("docmgr.documents.detail", doc_id=doc.id),
    }


def full(doc: Document) -> dict:
    user = current_user if getattr(current_user, "is_authenticated", False) else None  # None: the system
    linked = visible_targets(session(), doc, user)
    return {
        **summary(doc),
        "sequence": doc.sequence, "place": doc.place, "parent_issuer": doc.parent_issuer,
        "signer_title": doc.signer_title, "urgency": doc.urgency, "confidentiality": doc.confidentiality,
        "sector": doc.sector, "page_count": doc.page_count, "language": doc.language,
        "due_date": _date(doc.due_date), "arrival_number": doc.arrival_number,
        "arrival_date": _date(doc.arrival_date), "description": doc.description,
        "recipients": [r.text for r in doc.recipients],
        "unit": {"id": doc.unit.id, "name": doc.unit.name, "code": doc.unit.code} if doc.unit else None,
        "case_file": {"id": doc.case_file.id, "code": doc.case_file.code, "title": doc.case_file.title,
                      "year": doc.case_file.year, "status": doc.case_file.status} if doc.case_file else None,
        "signatures": [
            {"field": s.field, "signer": s.signer, "organization": s.organization,
             "signed_at": s.signed_at.isoformat() if s.signed_at else None, "intact": s.intact,
             "covers_whole_file": s.covers_whole_file, "modified_after": s.modified_after, "trusted": s.trusted,
             "summary": s.summary, "error": s.error} for s in doc.signatures
        ],
        "files": [
            {"id": f.id, "filename": f.filename, "role": f.role, "sha256": f.blob_sha256, "size": f.blob.size,
             "mime_type": f.blob.mime_type,
             "url": url_for("docmgr.documents.download", doc_id=doc.id, file_id=f.id)}
            for f in doc.files
        ],
        "references": [
            {"number": r.number, "doc_type": r.doc_type, "issued_on": _date(r.issued_on),
             "target_id": r.target_id if r.target_id in linked else None}
            for r in doc.references
        ],
        "assignment": {
            "lead_unit": doc.assignment.lead_unit, "lead_unit_id": doc.assignment.lead_group_id,
            "cooperating_units": doc.assignment.cooperating_units,
            "deadline": _date(doc.assignment.deadline), "opinion": doc.assignment.opinion,
        } if doc.assignment else None,
        "history": [
            {"transition": e.transition, "from": e.from_state, "to": e.to_state,
             "actor": e.actor.username if e.actor else None, "at": e.at.isoformat() if e.at else None,
             "comment": e.comment, "detail": e.detail}
            for e in doc.history
        ],
        "warnings": list(doc.warnings),
        "created_at": doc.created_at.isoformat() if doc.created_at else None,
        "updated_at": doc.updated_at.isoformat() if doc.updated_at else None,
        "text": doc.text,
    }
