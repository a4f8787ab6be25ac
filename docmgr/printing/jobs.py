"""Big prints as background jobs: registers, distribution lists of over 100 addressees, more than 50 envelopes,
long case-file contents. The web answers at once with the job's page (a progress bar of the pages laid out so
far); the worker lays the print out (in pieces, :mod:`docmgr.printing.pieces`) and keeps the PDF in
``<instance>/prints`` for ``DOCMGR_PRINT_KEEP_HOURS``, so that the download — and the same print asked for again
while nothing it shows has changed — is instant. Small forms (a slip, one envelope) print at once as before.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from docmgr.addressbook.models import Organization
from docmgr.auth.models import User
from docmgr.casefiles import operations as casefiles
from docmgr.casefiles.models import CaseFile
from docmgr.db import utcnow
from docmgr.documents.fields import parse_date
from docmgr.documents.models import Document, WorkflowEvent
from docmgr.errors import NotFoundError, PermissionDeniedError, UserValueError
from docmgr.jobs.models import Job
from docmgr.printing import Printed, pieces, print_big
from docmgr.printing.layouts import REGISTERS


PRINT_JOB = "print.big"
BIG_LIST = 100  # addressees: a longer distribution list is a job
BIG_ENVELOPES = 50  # envelopes: more are a job
BIG_CONTENTS = 100  # documents in a case file: a longer Mục lục is a job
KINDS = {
    "register": "Sổ đăng ký văn bản",
    "recipients": "Danh sách nơi nhận",
    "envelopes": "Bì văn bản",
    "contents": "Mục lục văn bản trong hồ sơ",
}


def prints_folder(app=None) -> Path:
    return Path((app or current_app).instance_path) / "prints"


def _keep_hours(app=None) -> float:
    return float((app or current_app).config["DOCMGR_PRINT_KEEP_HOURS"])


def data_version(db: Session) -> list:
    """What changes when anything a print shows may have changed: documents, their workflow, the address
    book, case files. A print kept from the same version is the same print."""
    docs = db.execute(select(func.count(Document.id), func.max(Document.updated_at))).one()
    return [docs[0], str(docs[1]), db.scalar(select(func.max(WorkflowEvent.id))),
            str(db.scalar(select(func.max(Organization.updated_at)))), str(db.scalar(select(func.max(CaseFile.updated_at))))]


def describe(payload: dict) -> str:
    """The print, in words, for its page: «Sổ đăng ký văn bản đi, 01/01/2024–31/12/2024»."""
    kind, params = payload.get("kind"), payload.get("params", {})
    if kind == "register":
        span = "–".join(d for d in (_vn(params.get("start")), _vn(params.get("end"))) if d) or "toàn bộ"
        return f"{REGISTERS.get(params.get('direction'), 'Sổ').capitalize()}, {span}"
    if kind == "envelopes":
        return f"Bì văn bản khổ {params.get('size', 'DL')}, {len(params.get('ids', []))} văn bản"
    if kind == "recipients":
        return f"Danh sách nơi nhận của văn bản #{params.get('document_id')}"
    if kind == "contents":
        return f"Mục lục văn bản của hồ sơ #{params.get('case_file_id')}"
    return KINDS.get(kind, "Bản in")


def _vn(value: str | None) -> str:
    return dt.date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""


def queue_print(db: Session, user, kind: str, params: dict) -> Job:
    """The job for this print: one still kept from the same data (done, or under way) if the user asked for it
    already, else a new one, committed and sent to the queue."""
    if kind not in KINDS:
        raise UserValueError(f"Không có bản in «{kind}».")
    state = current_app.extensions["docmgr"]
    version = data_version(db)
    payload = {"kind": kind, "params": params, "user_id": user.id, "data_version": version}
    since = utcnow() - dt.timedelta(hours=_keep_hours())
    for job in db.scalars(select(Job).where(Job.kind == PRINT_JOB, Job.created_by_id == user.id,
                                            Job.created_at >= since, Job.state != "failed")
                          .order_by(Job.id.desc()).limit(50)):
        if job.payload == payload and (job.state != "done" or kept_file(job) is not None):
            return job
    job = state.jobs.add(db, PRINT_JOB, payload, user=user, unit="trang", max_attempts=2)
    db.commit()
    warning = state.jobs.send([job.id])
    if warning:
        current_app.logger.warning(warning)
    return job


def kept_file(job: Job, app=None) -> Path | None:
    """The PDF a done print job made, while it is kept."""
    folder = prints_folder(app) / str(job.id)
    found = sorted(folder.glob("*.pdf")) if folder.is_dir() else []
    if not found:
        return None
    if time.time() - found[0].stat().st_mtime > _keep_hours(app) * 3600:
        return None
    return found[0]


def drop_expired(app=None) -> int:
    """Delete the kept prints older than ``DOCMGR_PRINT_KEEP_HOURS``; return how many went."""
    folder, gone = prints_folder(app), 0
    limit = time.time() - _keep_hours(app) * 3600
    for entry in folder.glob("*") if folder.is_dir() else []:
        try:
            if entry.is_dir() and entry.stat().st_mtime < limit:
                shutil.rmtree(entry, ignore_errors=True)
                gone += 1
        except FileNotFoundError:
            continue
    return gone


def print_job(ctx, db: Session) -> None:
    """The job: lay the print out as its user may see it, reporting the pages laid out, and keep the PDF."""
    payload = ctx.payload
    user = db.get(User, payload["user_id"])
    if user is None or not user.active:
        raise PermissionDeniedError("Tài khoản yêu cầu bản in không còn hoạt động.")

    def progress(pages: int, done: int, total: int) -> None:  # the total foreseen from the pieces done
        ctx.progress(pages, max(pages, round(pages / done * total)))

    token = pieces.PROGRESS.set(progress)
    try:
        if payload["kind"] == "contents":
            case_file = casefiles.get(db, payload["params"]["case_file_id"])
            state = current_app.extensions["docmgr"]
            printed = Printed(casefiles.contents_filename(case_file),
                              casefiles.contents_for(db, case_file, user, state.files))
        else:
            printed = print_big(db, payload["kind"], payload["params"], user)
    finally:
        pieces.PROGRESS.reset(token)
    drop_expired()
    folder = prints_folder() / str(ctx.job_id)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.pdf"):  # from a run before this one that died after writing
        old.unlink()
    (folder / printed.filename).write_bytes(printed.pdf)
    total = pieces.page_count(printed.pdf)
    ctx.progress(total, total)


def register_params(form) -> dict:
    """A register print's parameters from the request, checked now so that a mistake is said at once."""
    direction = str(form.get("direction") or "")
    if direction not in REGISTERS:
        raise NotFoundError(f"Không có sổ «{direction}».")
    start, end = parse_date(form.get("from") or "", "Từ ngày"), parse_date(form.get("to") or "", "Đến ngày")
    if start and end and start > end:
        raise UserValueError("«Từ ngày» phải trước «Đến ngày».")
    return {"direction": direction, "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None}
