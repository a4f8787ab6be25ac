"""Operations that change documents: every change goes through here and is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from docmgr import audit, clock, doctypes
from docmgr.auth.models import Group, User
from docmgr.documents import versions
from docmgr.documents.fields import FIELDS, clean_fields, jsonable
from docmgr.documents.models import (
    Blob,
    Document,
    DocumentFile,
    DocumentPage,
    DocumentReference,
    DocumentSignature,
    Recipient,
)
from docmgr.errors import UserValueError
from docmgr.extraction.header import parse_number
from docmgr.ocr import POOR_CONFIDENCE, reads_poorly
from docmgr.text import number_folded_key
from docmgr.workflow.definitions import (
    INCOMING,
    OWNED_FIELDS,
    initial_state,
    numbering_roles,
    start_state,
    workflow_for,
)
from docmgr.workflow.permissions import visible_to
from docmgr.workflow.transitions import INCOMING_SERIES, raise_series_to


def _check_unit(db: Session, fields: dict) -> None:
    unit_id = fields.get("unit_id")
    if unit_id is not None and db.get(Group, unit_id) is None:
        raise UserValueError("Không có đơn vị này.", {"unit_id": "Không có đơn vị này."})


def _apply(doc: Document, fields: dict) -> dict[str, tuple]:
    """Set fields on ``doc``; return {field: (old, new)} for what changed."""
    changes: dict[str, tuple] = {}
    for name, value in fields.items():
        if name == "recipients":
            old = [r.text for r in doc.recipients]
            if old != value:
                doc.recipients = [Recipient(position=i, text=t) for i, t in enumerate(value)]
                changes[name] = (old, value)
            continue
        old = getattr(doc, name)
        if old != value:
            setattr(doc, name, value)
            changes[name] = (old, value)
    if "number" in changes:
        # "/KH-SKHCN" (blank number, stamped at signing) keeps the notation and no number.
        number, notation, sequence = parse_number(doc.number) if doc.number else (None, None, None)
        doc.number = number or (None if notation else doc.number)
        doc.notation = notation
        doc.sequence = sequence
        doc.number_key = number_folded_key(doc.number) if doc.number else None
    if "doc_type" in changes:
        found = doctypes.lookup(doc.doc_type or "")
        doc.doc_type = found.name if found else doc.doc_type
        doc.doc_type_code = found.code if found else None
    return changes


def find_duplicates(db: Session, doc: Document) -> list[Document]:
    """Documents with the same number and issuer in the same year (Điều 15, 22)."""
    return same_number(db, doc.number_key, doc.issuer, doc.issued_on, exclude_id=doc.id)


def same_number(db: Session, number_key: str | None, issuer: str | None, issued_on: dt.date | None,
                exclude_id: int | None = None) -> list[Document]:
    """Documents whose number folds to ``number_key``, of the same issuer and year when those are known."""
    if not number_key:
        return []
    query = select(Document).where(Document.number_key == number_key)
    if exclude_id is not None:
        query = query.where(Document.id != exclude_id)
    if issuer:
        query = query.where(Document.issuer == issuer)
    if issued_on:
        query = query.where(extract("year", Document.issued_on) == issued_on.year)
    return list(db.scalars(query.order_by(Document.id).limit(20)))


def number_key_of(value: str | None) -> str | None:
    """The folded key of a number as typed ("453/TB-UBND"); None when it is blank ("/TB-UBND")."""
    number = parse_number(value)[0] if value else None
    return number_folded_key(number) if number else None


DUPLICATE_PREFIX = "Trùng số"


def duplicate_warning(dups: list[Document]) -> str | None:
    if not dups:
        return None
    ids = ", ".join(f"#{d.id}" for d in dups)
    return f"{DUPLICATE_PREFIX}, ký hiệu và cơ quan ban hành với văn bản đã có: {ids}. Kiểm tra trước khi dùng."


def duplicates_checked(db: Session, doc: Document, user: User | None) -> None:
    """The clerk saw the duplicate before saving and said it is another document: the warning becomes a note
    of that (the page does not raise the alarm again)."""
    if not any(warning.startswith(DUPLICATE_PREFIX) for warning in doc.warnings):
        return
    who = user.display_name if user is not None else "hệ thống"
    ids = ", ".join(f"#{d.id}" for d in find_duplicates(db, doc))
    note = f"Khi tiếp nhận, {who} đã kiểm tra: khác với văn bản trùng số đã có ({ids})."
    doc.warnings = [note if warning.startswith(DUPLICATE_PREFIX) else warning for warning in doc.warnings]


@dataclass
class NewFile:
    sha256: str
    size: int
    mime_type: str
    filename: str
    role: str = "main"


def ocr_report(doc: Document) -> dict | None:
    """How the document's scanned pages read: pages, mean confidence, the pages that read poorly."""
    pages = [page for page in doc.pages if page.source == "ocr"]
    if not pages:
        return None
    known = [page.confidence for page in pages if page.confidence is not None]
    return {"pages": len(pages), "mean": sum(known) / len(known) if known else None, "threshold": POOR_CONFIDENCE,
            "poor": [page.number for page in pages if reads_poorly(page.confidence)]}


def create_document(
    db: Session,
    *,
    direction: str,
    fields: dict,
    user: User | None,
    text: str = "",
    notation: str | None = None,
    files: list[NewFile] = (),
    references: list = (),
    warnings: list[str] = (),
    action: str = "create",
    pages: list[DocumentPage] = (),
    signatures: list[DocumentSignature] = (),
) -> Document:
    """Add a document with its files to the session (the caller commits)."""
    if "unit_id" not in fields and user is not None and getattr(user, "groups", None):
        fields = {**fields, "unit_id": user.groups[0].id}  # a document belongs to its author's unit by default
    fields = clean_fields({**fields, "direction": direction})
    _check_unit(db, fields)
    fields, held_back = _numbers_for(db, fields, user)
    doc = Document(text=text, warnings=list(warnings), created_by_id=user.id if user else None,
                   updated_by_id=user.id if user else None)
    _apply(doc, fields)
    if not doc.number and not doc.notation and notation:
        doc.notation = notation
    doc.state = initial_state(doc.direction, doc.number, doc.arrival_number)
    if doc.arrival_number:
        _claim_arrival_number(db, doc)
    if held_back:
        doc.warnings = [*doc.warnings, held_back]
    for position, new in enumerate(files):
        if db.get(Blob, new.sha256) is None:
            db.add(Blob(sha256=new.sha256, size=new.size, mime_type=new.mime_type))
        doc.files.append(DocumentFile(blob_sha256=new.sha256, filename=new.filename, role=new.role,
                                      position=position, added_by_id=user.id if user else None))
    doc.pages.extend(pages)
    doc.signatures.extend(signatures)
    for position, ref in enumerate(references):
        doc.references.append(DocumentReference(position=position, number=ref.number,
                                                number_key=number_folded_key(ref.number),
                                                doc_type=ref.doc_type, issued_on=ref.issued_on))
    db.add(doc)
    db.flush()
    link_references(db, doc)
    warning = duplicate_warning(find_duplicates(db, doc))
    if warning:
        doc.warnings = [*doc.warnings, warning]
    audit.record(db, action, user, doc.id, files=[f.filename for f in files])
    versions.record(db, doc, user, action)
    return doc


def _numbers_for(db: Session, fields: dict, user: User | None) -> tuple[dict, str | None]:
    """A new document archived with its number (an outgoing one's, or a số đến) starts issued or registered:
    only for someone who may give that number (the system, the văn thư, a manager). For others the number
    is held back — the notation and the sender's number stay — and a warning says so."""
    workflow = workflow_for(fields["direction"])
    if user is None or set(getattr(user, "roles", ())) & numbering_roles(workflow):
        return fields, None
    if workflow is INCOMING:
        if not fields.get("arrival_number") and not fields.get("arrival_date"):
            return fields, None
        return ({**fields, "arrival_number": None, "arrival_date": None},
                "Số đến và ngày đến do văn thư cấp khi vào sổ; số đến ghi kèm khi tải lên không được dùng.")
    number = fields.get("number")
    if not number:
        return fields, None
    _, notation, _ = parse_number(number)
    return ({**fields, "number": f"/{notation}" if notation else None},
            f"Số văn bản đi do văn thư cấp khi ban hành; số «{number}» ghi kèm không được dùng"
            + (f" (giữ ký hiệu {notation})." if notation else "."))


def _claim_arrival_number(db: Session, doc: Document) -> None:
    """A số đến given with a new document: refused if the year's register has it; the register's series
    moves past it, so that the next registration never gives it again."""
    year = (doc.arrival_date or clock.today()).year
    clash = db.scalar(select(Document).where(Document.arrival_number == doc.arrival_number,
                                             Document.direction == "incoming",
                                             extract("year", Document.arrival_date) == year))
    if clash is not None:
        raise UserValueError(f"Số đến {doc.arrival_number} năm {year} đã cấp cho văn bản "
                             f"{clash.number or '#' + str(clash.id)}.", {"arrival_number": "Số đến đã có."})
    if doc.arrival_date is None:
        doc.arrival_date = clock.today()
    raise_series_to(db, INCOMING_SERIES, year, doc.arrival_number)


def locked_fields(doc: Document) -> dict[str, str]:
    """{field: why} for the fields an edit may not change on ``doc``: those its workflow owns (the edit form
    shows them read-only; :func:`update_document` refuses a change of them)."""
    out: dict[str, str] = {}
    if doc.state != start_state(doc.direction):
        out["direction"] = (f"Chỉ đổi hướng văn bản khi còn ở trạng thái "
                            f"«{doc.workflow.state(start_state(doc.direction)).title}».")
    for name in OWNED_FIELDS.get(workflow_for(doc.direction).name, ()):
        if name == "number":
            # Unnumbered: issuing gives it. Numbered by issuing: it stays. Archived with its number (not by
            # docmgr): a correction of what was read stays possible.
            numbered_here = any(e.transition == "issue" and "number" in (e.detail or {}) for e in doc.history)
            if doc.number is None or numbered_here:
                out[name] = "Số văn bản đi do văn thư cấp khi «Ban hành», không sửa trực tiếp."
        else:
            out[name] = f"{FIELDS[name]} do bước «Vào sổ» cấp, không sửa trực tiếp."
    return out


def _check_owned_fields(doc: Document, fields: dict) -> None:
    """An edit never changes what the workflow owns (:func:`locked_fields`). The notation of an unnumbered
    outgoing document ("/KH-UBND") is not the number: it may be set."""
    errors: dict[str, str] = {}
    for name, why in locked_fields(doc).items():
        if name not in fields:
            continue
        if name == "number":
            new_number = parse_number(fields[name])[0] if fields[name] else None
            old_number = parse_number(doc.number)[0] if doc.number else None
            changed = new_number != old_number
        else:
            changed = fields[name] != getattr(doc, name)
        if changed:
            errors[name] = why
    if errors:
        raise UserValueError("Không sửa được: " + " ".join(errors.values()), errors)


def update_document(db: Session, doc: Document, raw: dict, user: User | None,
                    version_action: str | None = "update") -> dict[str, tuple]:
    """Apply edited metadata; audit what changed and keep a version. Returns the changes.

    The fields the workflow owns are refused (:func:`_check_owned_fields`)."""
    fields = clean_fields(raw)
    _check_unit(db, fields)
    _check_owned_fields(doc, fields)
    changes = _apply(doc, fields)
    if "direction" in changes and workflow_for(changes["direction"][0]) is not workflow_for(doc.direction):
        doc.state = start_state(doc.direction)  # the other workflow's start, never further
    if changes:
        doc.updated_by_id = user.id if user else None
        doc.updated_at = dt.datetime.now(dt.timezone.utc)
        if "number" in changes:
            link_references(db, doc)
        if "number" in changes or "issuer" in changes or "issued_on" in changes:
            doc.warnings = [w for w in doc.warnings if not w.startswith("Trùng số")]
            warning = duplicate_warning(find_duplicates(db, doc))
            if warning:
                doc.warnings = [*doc.warnings, warning]
        audit.record(db, "update", user, doc.id,
                     changes={k: [jsonable(a), jsonable(b)] for k, (a, b) in changes.items()})
        if version_action:
            versions.record(db, doc, user, version_action)
    return changes


def link_references(db: Session, doc: Document) -> None:
    """Point references at archived documents: this one's citations, and citations of this one.

    A reference "Kế hoạch số 65/KH-UBND ngày 20/3/2024" links to the document
    with that number (accent- and case-free key); when several share it, the
    one issued on the cited date wins.
    """
    db.flush()
    for ref in doc.references:
        candidates = list(db.scalars(select(Document).where(Document.number_key == ref.number_key,
                                                            Document.id != doc.id)))
        if candidates:
            same_day = [c for c in candidates if ref.issued_on and c.issued_on == ref.issued_on]
            ref.target_id = (same_day or candidates)[0].id
        else:
            ref.target_id = None
    # Citations elsewhere that pointed here under an old number, or point nowhere yet.
    for ref in db.scalars(select(DocumentReference).where(DocumentReference.target_id == doc.id,
                                                          DocumentReference.number_key != (doc.number_key or ""))):
        ref.target_id = None
    if doc.number_key:
        for ref in db.scalars(select(DocumentReference).where(DocumentReference.number_key == doc.number_key,
                                                              DocumentReference.target_id.is_(None),
                                                              DocumentReference.document_id != doc.id)):
            if ref.issued_on is None or doc.issued_on is None or ref.issued_on == doc.issued_on:
                ref.target_id = doc.id


def cited_by(db: Session, doc: Document, user: User | None) -> list[Document]:
    """Archived documents whose text cites this one, of those ``user`` may view (None: all, the system)."""
    ids = select(DocumentReference.document_id).where(DocumentReference.target_id == doc.id)
    query = select(Document).where(Document.id.in_(ids))
    if user is not None:
        query = query.where(visible_to(user))
    return list(db.scalars(query.order_by(Document.issued_on.desc())))


def visible_targets(db: Session, doc: Document, user: User | None) -> set[int]:
    """The archived documents this one cites that ``user`` may view: only those are linked (a link, or
    its absence, must not tell that a hidden document exists)."""
    ids = {r.target_id for r in doc.references if r.target_id}
    if not ids or user is None:
        return ids
    return set(db.scalars(select(Document.id).where(Document.id.in_(ids), visible_to(user))))


def file_is_archived(db: Session, sha256: str) -> Document | None:
    """The document that already holds these exact bytes, if any."""
    file = db.scalars(select(DocumentFile).where(DocumentFile.blob_sha256 == sha256).limit(1)).first()
    return db.get(Document, file.document_id) if file else None


def revert_version(db: Session, doc: Document, version, user: User | None) -> dict:
    """Put back the metadata, recipients and text of ``version`` (a new version records it).

    What the workflow owns (the state, the number given at issuing, the số đến and ngày đến) and the original
    files are not reverted: they follow the workflow, and the files are kept as received.
    """
    locked = locked_fields(doc)
    raw = {}
    for name in FIELDS:
        value = version.data.get(name)
        if name in locked:
            continue
        if name == "recipients":
            raw[name] = list(value or [])
        elif name in ("number", "direction") and doc.state != "draft" and doc.direction == "outgoing":
            continue  # an issued document keeps its number and its workflow
        else:
            raw[name] = "" if value is None else str(value)
    changes = update_document(db, doc, raw, user, version_action=None)
    text = version.data.get("text") or ""
    if text != (doc.text or ""):
        changes["text"] = (doc.text, text)
        doc.text = text
    if changes:
        versions.record(db, doc, user, "revert")
    return changes
