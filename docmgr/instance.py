"""The instance: its folders, database and search index set up (``docmgr init``), the first admin
account, the sample documents and address book, and imports run from the command line."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select
from tqdm import tqdm

from docmgr import search
from docmgr.addressbook.csvio import import_csv
from docmgr.addressbook.models import Organization
from docmgr.auth.models import User
from docmgr.auth.operations import create_user, get_user
from docmgr.documents.importer import ImportSummary, collect_files, import_paths, queue_paths
from docmgr.documents.models import Document
from docmgr.migrations import schema
from docmgr.search import commit_and_sync
from docmgr.workflow.transitions import transition


SAMPLES = Path(__file__).resolve().parent / "sample_data"


def init_instance(app: Flask) -> str:
    """Create the folders, create or upgrade the database, create the search index. Idempotent.

    An existing index is kept and brought up to date; a damaged one is reported (``docmgr reindex`` rebuilds it).
    """
    state = app.extensions["docmgr"]
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    state.files.root.mkdir(parents=True, exist_ok=True)
    state.index_dir.mkdir(parents=True, exist_ok=True)
    revision = schema.upgrade(state.engine)
    search.ensure_index(state)
    # After an upgrade, entries written by an older docmgr are stale (search.INDEX_VERSION): bring them up to date.
    search.check(state, repair=True)
    return revision


def create_admin(app: Flask) -> str | None:
    """Create "admin" (Manager) with a random password on first run; return it, or None if it exists."""
    with app.extensions["docmgr"].sessionmaker() as db:
        if db.scalars(select(User).where(User.username == "admin")).first():
            return None
    password = secrets.token_urlsafe(9)
    create_user(app, "admin", password, {"manager"}, "Quản trị hệ thống")
    path = Path(app.instance_path) / "admin-password.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(f"admin {password}\n")
    return password


def run_import(app: Flask, paths, *, direction: str | None = None, username: str | None = None,
               progress: bool = False) -> ImportSummary:
    state = app.extensions["docmgr"]
    user_id = None
    if username:
        with state.sessionmaker() as db:
            user_id = get_user(db, username).id
    bar = tqdm(total=sum(1 for _ in collect_files(paths)), unit="tệp", disable=not progress, leave=False)
    try:
        return import_paths(
            state.sessionmaker, state.files, paths,
            direction=direction or app.config["DOCMGR_DEFAULT_DIRECTION"], user_id=user_id,
            limits=state.read_limits, on_file=lambda _path, _outcome: bar.update(), state=state, ocr=state.ocr,
            signatures=state.signatures,
            on_pages=lambda done, total: bar.set_postfix_str(f"OCR trang {done}/{total}"),
        )
    finally:
        bar.close()


def queue_import(app: Flask, paths, *, direction: str | None = None, username: str | None = None) -> ImportSummary:
    """``docmgr import --background``: the files kept as pending intakes, their reading queued for the workers."""
    state = app.extensions["docmgr"]
    user_id = None
    if username:
        with state.sessionmaker() as db:
            user_id = get_user(db, username).id
    return queue_paths(state.sessionmaker, state, paths, user_id=user_id,
                       direction=direction or app.config["DOCMGR_DEFAULT_DIRECTION"])


def _register(app: Flask, document_ids: list[int]) -> None:
    """Enter the incoming samples in the register (số đến), as the văn thư would on receiving them."""
    state = app.extensions["docmgr"]
    with state.sessionmaker() as db:
        for doc_id in document_ids:
            doc = db.get(Document, doc_id)
            if doc is not None and doc.state == "received":
                transition(db, doc, "register", None, "Mẫu: vào sổ khi cài đặt.")
        commit_and_sync(db, state)


def load_samples(app: Flask) -> ImportSummary:
    """The five sample documents: seed 001 as outgoing (the office's own plan), the rest incoming."""
    manifest = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
    files = [SAMPLES / case["file"] for case in manifest]
    outgoing = [f for f in files if f.name.startswith("001_")]
    incoming = [f for f in files if f not in outgoing]
    first = run_import(app, outgoing, direction="outgoing")
    second = run_import(app, incoming, direction="incoming")
    _register(app, second.document_ids)
    load_sample_address_book(app)
    return first + second


def load_sample_address_book(app: Flask) -> int:
    """The sample address book (bodies of Quảng Ngãi province and its districts), once, into an empty book."""
    state = app.extensions["docmgr"]
    with state.sessionmaker() as db:
        if db.scalar(select(func.count()).select_from(Organization)):
            return 0
        counts = import_csv(db, (SAMPLES / "address_book.csv").read_bytes())
        db.commit()
    return counts["created"]
