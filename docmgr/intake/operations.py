"""Pending intakes: a file is kept at once, read (in the background when it needs OCR), then confirmed into a
document — by the clerk on the confirm form, or at once for a bulk import (``auto``).

- :func:`receive` keeps the original and makes the pending intake (the caller commits);
- :func:`start` reads it now when that is quick (a text layer) or queues the reading job (OCR);
- :func:`read_job` is that job: the reading kept on the intake, the document made if ``auto``;
- :func:`confirm` makes the document from the kept reading and the confirmed fields, once.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from docmgr.auth.models import User
from docmgr.db import utcnow
from docmgr.documents.fields import parse_date
from docmgr.documents.models import Blob, Document, ImportedFile
from docmgr.documents.operations import (
    NewFile,
    clean_fields,
    duplicates_checked,
    file_is_archived,
    number_key_of,
    same_number,
)
from docmgr.errors import ConflictError, UserValueError
from docmgr.extraction import ReadError
from docmgr.extraction.sandbox import extract_path
from docmgr.intake.models import PENDING, Intake
from docmgr.intake.reading import complete, needs_ocr, read_file
from docmgr.intake.results import Reading, create_from_reading
from docmgr.jobs.models import Job
from docmgr.search import commit_and_sync
from docmgr.workflow.permissions import allowed
from docmgr.workflow.transitions import transition


READ_JOB = "intake.read"


class FileRefused(UserValueError):
    """A file that is not a document (its content is no format docmgr reads, or reading it failed): refused
    with the reason. Its bytes stay in the store and the intake says why; no document is made."""


def sees_all(user) -> bool:
    """The văn thư (and a manager) sees every pending intake; others see the files they sent."""
    return bool({"clerk", "manager"} & set(getattr(user, "roles", ()) or ()))


def visible_intakes(user):
    query = select(Intake)
    if not sees_all(user):
        query = query.where(Intake.created_by_id == user.id)
    return query


def pending_count(db: Session, user) -> int:
    """The files waiting (being read, to confirm, failed) that ``user`` may see."""
    visible = visible_intakes(user).where(Intake.state.in_(PENDING)).subquery()
    return db.scalar(select(func.count()).select_from(visible)) or 0


def receive(db: Session, *, filename: str, sha256: str, size: int, direction: str, user: User | None,
            overrides: dict | None = None, auto: bool = False, source_path: str | None = None) -> Intake:
    """The pending intake of a file already in the store (the caller commits)."""
    if db.get(Blob, sha256) is None:
        db.add(Blob(sha256=sha256, size=size,
                    mime_type=mimetypes.guess_type(filename)[0] or "application/octet-stream"))
    intake = Intake(filename=filename, blob_sha256=sha256, size=size, direction=direction, state="reading",
                    overrides=overrides or {}, auto=auto, source_path=source_path,
                    created_by_id=user.id if user is not None else None)
    db.add(intake)
    db.flush()
    return intake


def start(db: Session, state, intake: Intake, user: User | None, *, background: bool = False) -> str | None:
    """Read the intake now if its file has a text layer (seconds at most), or queue the reading (a scan
    needs OCR: minutes, never in a web request). Commits. Returns a warning when the queue could not be
    reached (the job waits in the database and is sent again later)."""
    if not background:
        path = state.files.path(intake.blob_sha256)
        try:
            first = extract_path(path, intake.filename, state.read_limits)
        except ReadError as exc:
            refuse(intake, str(exc))
            db.commit()
            raise FileRefused(f"Không nhận tệp «{intake.filename}»: {exc}") from exc
        if not needs_ocr(first, state.ocr):
            extracted = complete(first, path, state.read_limits, state.ocr, None, state.signatures)
            _keep(db, state, intake, Reading.from_extracted(extracted, state.files, intake.filename))
            return None
    job = state.jobs.add(db, READ_JOB, {"intake_id": intake.id}, user=user, unit="trang")
    intake.job_id = job.id
    db.commit()
    return state.jobs.send([job.id])


def _keep(db: Session, state, intake: Intake, reading: Reading) -> None:
    """The reading kept on the intake; the document made at once for an ``auto`` intake. Commits."""
    _store_reading(db, intake, reading)
    commit_and_sync(db, state)


def _store_reading(db: Session, intake: Intake, reading: Reading) -> None:
    intake.reading = reading.as_json()
    intake.state = "read"
    intake.error = None
    if intake.auto:
        _make_document(db, intake, reading, None)


def read_job(ctx, db: Session) -> None:
    """The job: read the intake's file (its scanned pages by OCR, reporting each page), keep the reading;
    for an ``auto`` intake, make the document. Running it again does the same (nothing is doubled): an
    intake already read is left as it is."""
    state = current_app.extensions["docmgr"]
    intake = db.get(Intake, ctx.payload["intake_id"])
    if intake is None or intake.state != "reading":
        return
    path = state.files.path(intake.blob_sha256)
    try:
        extracted = read_file(path, intake.filename, state.read_limits, ocr=state.ocr, progress=ctx.progress,
                              signatures=state.signatures)
    except ReadError as exc:  # the file is what it is: no retry will read it
        refuse(intake, str(exc))
        return
    _store_reading(db, intake, Reading.from_extracted(extracted, state.files, intake.filename))


def refuse(intake: Intake, reason: str) -> None:
    """Not a document: the intake says why (the original stays in the store, for whoever checks it)."""
    intake.state = "refused"
    intake.error = f"Không nhận: {reason}"[:1000]


def read_failed(db: Session, job: Job, error: str) -> None:
    """The reading gave up (after its retries): the intake says why; the original stays, and the clerk may
    still confirm it with the metadata typed by hand."""
    intake = db.get(Intake, job.payload.get("intake_id"))
    if intake is not None and intake.state == "reading":
        intake.state = "failed"
        intake.error = (f"Không đọc được tệp sau {job.attempts} lần thử: {error}. Tệp gốc vẫn được lưu; "
                        "có thể nhập siêu dữ liệu bằng tay.")[:1000]


def reading_of(intake: Intake) -> Reading:
    if intake.reading:
        return Reading.from_json(intake.reading)
    return Reading.unreadable(intake.filename, intake.error or "chưa đọc xong")


def _make_document(db: Session, intake: Intake, reading: Reading, user: User | None,
                   fields: dict | None = None, direction: str | None = None) -> Document:
    """The document of an intake, and the intake marked done — in the caller's transaction."""
    if intake.auto:
        existing = file_is_archived(db, intake.blob_sha256)
        if existing is not None:  # a bulk import met a file already archived: nothing new
            intake.state, intake.document_id = "done", existing.id
            intake.error = f"Tệp đã có trong kho (văn bản #{existing.id}); không tạo văn bản mới."
            return existing
    user = user if user is not None else (db.get(User, intake.created_by_id) if intake.created_by_id else None)
    fields = dict(fields) if fields is not None else {**reading.fields, **(intake.overrides or {})}
    doc = create_from_reading(db, reading, NewFile(intake.blob_sha256, intake.size, reading.mime_type,
                                                   intake.filename),
                              direction=direction or intake.direction, fields=fields, user=user,
                              action="import" if intake.auto else "create")
    if intake.auto:
        db.add(ImportedFile(sha256=intake.blob_sha256, document_id=doc.id))
    intake.state, intake.document_id = "done", doc.id
    return doc


@dataclass
class Duplicate:
    """A document already archived that this file may be: the same bytes, or the same number and issuer in
    the same year (NĐ 30/2020 Điều 15, 22)."""

    document: Document
    reason: str  # "file" | "number"
    visible: bool  # whether the user may open it (else only that it exists, and whom to ask)

    @property
    def ask(self) -> str:
        unit = self.document.unit.name if self.document.unit is not None else None
        return f"văn thư hoặc {unit}" if unit else "văn thư"


def duplicates_of(db: Session, intake: Intake, fields: dict, user) -> list[Duplicate]:
    """What is already archived that this intake, with these fields, would repeat."""
    found: list[Duplicate] = []
    same_file = file_is_archived(db, intake.blob_sha256)
    if same_file is not None:
        found.append(Duplicate(same_file, "file", allowed(user, "view", same_file)))
    issued_on = fields.get("issued_on")
    if isinstance(issued_on, str):  # as typed on a form that did not validate, or kept in ISO
        try:
            issued_on = parse_date(issued_on, "")
        except UserValueError:
            issued_on = None
    for doc in same_number(db, number_key_of(fields.get("number")), fields.get("issuer"), issued_on):
        if same_file is None or doc.id != same_file.id:
            found.append(Duplicate(doc, "number", allowed(user, "view", doc)))
    return found


class DuplicateFound(ConflictError):
    """The file, or its number, is already archived: saved only once the clerk says so."""

    def __init__(self, duplicates: list[Duplicate]):
        super().__init__("Văn bản này có thể đã có trong kho; kiểm tra rồi đánh dấu «Vẫn lưu» nếu đúng là văn bản khác.")
        self.duplicates = duplicates


REQUIRED_MESSAGES = {
    "issuer": "Cần ghi cơ quan ban hành (nơi gửi).",
    "number_or_subject": "Cần số, ký hiệu hoặc trích yếu.",
    "doc_type": "Cần tên loại văn bản.",
    "subject": "Cần trích yếu.",
}


def check_required(fields: dict, direction: str) -> None:
    """What a clerk must fill in before saving: an incoming document its issuer and its number or subject, an
    outgoing (or internal) one its type and subject. UserValueError names each field missing."""
    errors: dict[str, str] = {}
    if direction == "incoming":
        if not fields.get("issuer"):
            errors["issuer"] = REQUIRED_MESSAGES["issuer"]
        if not fields.get("number") and not fields.get("subject"):
            errors["number"] = errors["subject"] = REQUIRED_MESSAGES["number_or_subject"]
    else:
        if not fields.get("doc_type"):
            errors["doc_type"] = REQUIRED_MESSAGES["doc_type"]
        if not fields.get("subject"):
            errors["subject"] = REQUIRED_MESSAGES["subject"]
    if errors:
        raise UserValueError("Còn thiếu thông tin bắt buộc: " + "; ".join(dict.fromkeys(errors.values())), errors)


def confirm(db: Session, intake: Intake, raw: dict, user: User, *, accept_duplicates: bool = False,
            register: bool = False) -> Document:
    """The clerk's confirmation: the document made from the kept reading and the fields of the form — the
    required fields filled, no duplicate unless the clerk accepted it; with ``register``, entered in the
    register of incoming documents (số đến) in the same step. Once: a second confirmation (a double click,
    two clerks) is refused. Raises UserValueError (fields), DuplicateFound, ConflictError, PermissionDeniedError."""
    if intake.state not in ("read", "failed"):  # saved already (or not read yet): say that, whatever the form
        raise ConflictError(_not_pending_message(intake))
    fields = clean_fields(raw)
    direction = fields.pop("direction", None) or intake.direction
    check_required(fields, direction)
    if not accept_duplicates:
        found = duplicates_of(db, intake, fields, user)
        if found:
            raise DuplicateFound(found)
    claimed = db.execute(update(Intake).where(Intake.id == intake.id, Intake.state.in_(("read", "failed")))
                         .values(state="done", updated_at=utcnow())
                         .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        db.rollback()
        db.refresh(intake)
        raise ConflictError(_not_pending_message(intake))
    doc = _make_document(db, intake, reading_of(intake), user, fields=fields, direction=direction)
    if accept_duplicates:
        duplicates_checked(db, doc, user)
    if register:
        if doc.direction != "incoming":
            raise UserValueError("Chỉ văn bản đến mới vào sổ văn bản đến.")
        transition(db, doc, "register", user, "Vào sổ khi tiếp nhận.")
    return doc


def discard(db: Session, intake: Intake) -> None:
    """Give up an intake (a wrong file): it leaves the pending list; its original stays in the store."""
    if intake.state not in PENDING:
        raise ConflictError(_not_pending_message(intake))
    intake.state = "discarded"


def _not_pending_message(intake: Intake) -> str:
    if intake.state == "done" and intake.document_id:
        return f"Tệp này đã được lưu thành văn bản #{intake.document_id}."
    if intake.state == "reading":
        return "Tệp đang được đọc; chờ đọc xong rồi xác nhận."
    return f"Tệp này không còn chờ xác nhận ({intake.state_title.lower()})."


def percent(job: Job | None) -> int:
    if job is None or not job.progress_total:
        return 0
    return round(100 * job.progress_done / job.progress_total)


def status(intake: Intake, links: dict) -> dict:
    """An intake as the API and the progress page's script see it."""
    job = intake.job
    return {"id": intake.id, "filename": intake.filename, "state": intake.state, "state_title": intake.state_title,
            "direction": intake.direction, "size": intake.size, "error": intake.error,
            "document_id": intake.document_id, "job": job.as_json() if job is not None else None,
            "created_at": intake.created_at.isoformat() if intake.created_at else None, **links}

