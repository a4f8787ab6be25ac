"""Versions: every change to a document's metadata, text, files or state is kept; diff two (reverting to one is
:func:`docmgr.documents.operations.revert_version`)."""

from __future__ import annotations

import difflib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from docmgr.auth.models import User
from docmgr.documents.fields import FIELDS, display_value, jsonable
from docmgr.documents.models import Document, DocumentVersion
from docmgr.errors import NotFoundError


ACTIONS = {"create": "Tạo", "import": "Nhập từ tệp", "update": "Sửa thông tin", "transition": "Chuyển trạng thái",
           "revert": "Khôi phục phiên bản"}


def snapshot(doc: Document) -> dict:
    """What a version keeps: every editable field, the recipients, the text, the files and the state."""
    data = {name: jsonable(getattr(doc, name)) for name in FIELDS if name != "recipients"}
    data["recipients"] = [r.text for r in doc.recipients]
    data["text"] = doc.text or ""
    data["files"] = [{"filename": f.filename, "sha256": f.blob_sha256, "role": f.role} for f in doc.files]
    data["state"] = doc.state
    return data


def record(db: Session, doc: Document, user: User | None, action: str) -> DocumentVersion:
    """Add the document's current version (call after the change, before the commit)."""
    db.flush()
    last = db.scalar(select(func.max(DocumentVersion.number)).where(DocumentVersion.document_id == doc.id)) or 0
    version = DocumentVersion(document_id=doc.id, number=last + 1, user_id=user.id if user else None,
                              action=action, data=snapshot(doc))
    db.add(version)
    return version


def versions(db: Session, doc: Document) -> list[DocumentVersion]:
    return list(db.scalars(select(DocumentVersion).where(DocumentVersion.document_id == doc.id)
                           .order_by(DocumentVersion.number)))


def get(db: Session, doc: Document, number: int) -> DocumentVersion:
    found = db.scalar(select(DocumentVersion).where(DocumentVersion.document_id == doc.id,
                                                    DocumentVersion.number == number))
    if found is None:
        raise NotFoundError(f"Văn bản #{doc.id} không có phiên bản {number}.")
    return found


def diff(a: DocumentVersion, b: DocumentVersion, units: dict[int, str] | None = None) -> dict:
    """{fields: [(label, in a, in b)], text: unified diff lines, files: (only in a, only in b)}. With ``units``
    (id → name) the values are in words, for people (states, directions, units, dates as they read them);
    without, as kept (the API)."""
    labels = {**FIELDS, "state": "Trạng thái"}
    fields = []
    for name, label in labels.items():
        old, new = a.data.get(name), b.data.get(name)
        if old != new:
            if units is not None:
                old, new = display_value(name, old, units), display_value(name, new, units)
            elif isinstance(old, list) or isinstance(new, list):
                old, new = "; ".join(old or []), "; ".join(new or [])
            fields.append((label, old, new))
    text = list(difflib.unified_diff((a.data.get("text") or "").splitlines(), (b.data.get("text") or "").splitlines(),
                                     f"phiên bản {a.number}", f"phiên bản {b.number}", lineterm="", n=2))
    files_a = {f["filename"] + " " + f["sha256"][:12] for f in a.data.get("files", [])}
    files_b = {f["filename"] + " " + f["sha256"][:12] for f in b.data.get("files", [])}
    return {"fields": fields, "text": text, "files": (sorted(files_a - files_b), sorted(files_b - files_a))}
