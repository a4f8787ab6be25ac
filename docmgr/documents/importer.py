"""Bulk import of files and folders: extract, store the original, create documents.

Each file is its own transaction: one bad file never stops the batch and
never leaves half a document. Files already archived (same SHA-256) are
skipped, so running an import twice imports nothing new.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from docmgr import search
from docmgr.auth.models import User
from docmgr.documents.models import ImportedFile
from docmgr.documents.operations import NewFile, file_is_archived
from docmgr.documents.storage import FileStore
from docmgr.errors import UserValueError
from docmgr.extraction import ReadError, ReadLimits
from docmgr.extraction.readers import check_size, supported_extensions
from docmgr.extraction.sandbox import (
    BATCH_BYTES,
    BATCH_FILES,
    default_workers,
    extract_path,
    submit_extract,
    submit_extract_batch,
)
from docmgr.intake.models import PENDING, Intake
from docmgr.intake.operations import receive, start
from docmgr.intake.reading import Progress, complete
from docmgr.intake.results import Reading, create_from_reading
from docmgr.ocr import OcrSettings
from docmgr.signatures.verify import SignatureSettings


SYNC_EVERY = 200


@dataclass
class ImportSummary:
    imported: int = 0
    skipped: int = 0
    failed: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    index_error: str | None = None
    documents: list[dict] = field(default_factory=list)  # {id, path, number} of each document made
    ocr_pages: int = 0  # pages read by OCR
    queued: int = 0  # files left to the background workers (import --background): pending intakes
    queue_warning: str | None = None  # the queue could not be reached: the jobs wait and are sent again

    @property
    def document_ids(self) -> list[int]:
        return [entry["id"] for entry in self.documents]

    def __add__(self, other: ImportSummary) -> ImportSummary:
        """Two imports' summaries as one (the samples are imported in two runs)."""
        return ImportSummary(self.imported + other.imported, self.skipped + other.skipped,
                             self.failed + other.failed, self.duplicates + other.duplicates,
                             self.index_error or other.index_error, self.documents + other.documents,
                             self.ocr_pages + other.ocr_pages, self.queued + other.queued,
                             self.queue_warning or other.queue_warning)

    def as_json(self) -> dict:
        return {"imported": self.imported, "skipped": self.skipped, "failed": self.failed,
                "duplicates": self.duplicates, "index_error": self.index_error, "documents": self.documents,
                "ocr_pages": self.ocr_pages, "queued": self.queued, "queue_warning": self.queue_warning}


def collect_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and files of a supported type inside folders named (recursively, sorted)."""
    extensions = set(supported_extensions())
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in extensions and not child.name.startswith("."):
                    yield child
        else:
            yield path


def import_file(db: Session, store: FileStore, path: Path, *, direction: str, user: User | None,
                limits: ReadLimits, reading=None, ocr: OcrSettings | None = None,
                on_pages: Progress | None = None, signatures: SignatureSettings | None = None) -> tuple[str, object]:
    """Import one file. Returns ("imported", doc), ("skipped", doc) or raises ReadError/UserValueError.

    The file is read in a limited worker process (:mod:`docmgr.extraction.sandbox`); ``reading`` is that
    reading when it was started ahead (a :class:`~docmgr.extraction.sandbox.Pending`, or a file's handle in
    a batch). Its scanned pages are then read by OCR (``ocr``; ``on_pages`` hears of each page), and the
    searchable PDF made of them is kept beside the original."""
    try:
        check_size(path.stat().st_size, limits.max_bytes)
        with path.open("rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        raise ReadError(f"Không đọc được tệp: {exc.strerror or exc}") from exc
    existing = file_is_archived(db, digest)
    if existing:
        if reading is not None:
            reading.cancel()
        return "skipped", existing
    extracted = reading.result() if reading is not None else extract_path(path, path.name, limits)
    extracted = complete(extracted, path, limits, ocr, on_pages, signatures)
    # Stored before the commit: a crash leaves a blob, never a document without its file.
    sha256, size = store.put_file(path, max_bytes=limits.max_bytes)
    reading = Reading.from_extracted(extracted, store, path.name)
    doc = create_from_reading(db, reading, NewFile(sha256, size, reading.mime_type, path.name), direction=direction,
                              fields=reading.fields, user=user, action="import")
    db.add(ImportedFile(sha256=digest, document_id=doc.id))  # a concurrent import of the same file fails here
    return "imported", doc


def import_paths(
    sessions: sessionmaker[Session],
    store: FileStore,
    paths: Iterable[str | Path],
    *,
    direction: str,
    user_id: int | None = None,
    limits: ReadLimits,
    on_file: Callable[[Path, str], None] | None = None,
    state=None,
    ocr: OcrSettings | None = None,
    on_pages: Progress | None = None,
    signatures: SignatureSettings | None = None,
) -> ImportSummary:
    """Import every file under ``paths``, one transaction per file.

    The search index is brought up to date every ``SYNC_EVERY`` files and at the
    end (not after each file: an index commit costs more than a small import).
    An index that cannot be written is reported in ``summary.index_error``; the
    documents stay queued for it, nothing is lost.
    """
    summary = ImportSummary()
    store.sweep_temp()  # half-written files of an import that was killed
    since_sync = 0
    # The next files are read (in the limited worker processes) while this one is stored and committed.
    files, window = collect_files(paths), deque()
    ahead = 2 * (limits.workers or default_workers()) * BATCH_FILES
    while True:
        if len(window) < ahead // 2:
            window.extend(_start_reading(files, ahead - len(window), limits))
        if not window:
            break
        path, reading = window.popleft()
        outcome = "failed"
        with sessions() as db:
            search.defer_sync(db)
            user = db.get(User, user_id) if user_id else None
            try:
                try:
                    outcome, doc = import_file(db, store, path, direction=direction, user=user, limits=limits,
                                               reading=reading, ocr=ocr, on_pages=on_pages,
                                               signatures=signatures)
                    db.commit()
                except IntegrityError:
                    # Another import took this file between our check and our commit: it is archived, skip it.
                    db.rollback()
                    outcome, doc = import_file(db, store, path, direction=direction, user=user, limits=limits,
                                               reading=reading, ocr=ocr, on_pages=on_pages,
                                               signatures=signatures)
                    if outcome == "imported":
                        raise
            except (ReadError, UserValueError) as exc:
                db.rollback()
                summary.failed.append({"path": str(path), "error": str(exc)})
            except Exception as exc:  # a file must never stop the batch; the reason is reported
                db.rollback()
                summary.failed.append({"path": str(path), "error": f"Lỗi không mong đợi: {type(exc).__name__}: {exc}"})
            else:
                if outcome == "imported":
                    summary.imported += 1
                    summary.documents.append({"id": doc.id, "path": str(path), "number": doc.number})
                    summary.ocr_pages += len(doc.pages)
                    dup = next((w for w in doc.warnings if w.startswith("Trùng số")), None)
                    if dup:
                        summary.duplicates.append({"path": str(path), "document_id": doc.id, "warning": dup})
                else:
                    summary.skipped += 1
        since_sync += outcome == "imported"
        if state is not None and since_sync >= SYNC_EVERY:
            since_sync = 0
            _sync(search, state, summary)
        if on_file:
            on_file(path, outcome)
    if state is not None:
        _sync(search, state, summary)
    return summary


def _start_reading(files, count: int, limits: ReadLimits) -> list[tuple[Path, object]]:
    """Start reading the next ``count`` files: small ones in batches (one task for several), large ones
    alone; None for a file that cannot be read (too large, gone), for import_file to say why."""
    out: list[tuple[Path, object]] = []
    batch: list[Path] = []
    batch_bytes = 0

    def flush():
        nonlocal batch, batch_bytes
        if batch:
            out.extend(zip(batch, submit_extract_batch(batch, limits)))
        batch, batch_bytes = [], 0

    for path in islice(files, count):
        try:
            size = path.stat().st_size
        except OSError:
            size = None
        if size is None or size > limits.max_bytes:
            out.append((path, None))
        elif size > BATCH_BYTES:
            out.append((path, submit_extract(path, path.name, limits)))
        else:
            batch.append(path)
            batch_bytes += size
            if len(batch) >= BATCH_FILES or batch_bytes >= BATCH_BYTES:
                flush()
    flush()
    return out


def _sync(search, state, summary: ImportSummary) -> None:
    try:
        search.sync(state)
    except search.SearchError as exc:
        summary.index_error = str(exc)


def queue_paths(sessions: sessionmaker[Session], state, paths: Iterable[str | Path], *, direction: str,
                user_id: int | None = None, on_file: Callable[[Path, str], None] | None = None) -> ImportSummary:
    """``import --background``: keep every file under ``paths`` as a pending intake and queue its reading; the
    workers make the documents (``auto``). A file already archived, or already waiting, is skipped; one that
    cannot be stored is reported. ``summary.documents`` lists the pending intakes (``number`` None)."""
    summary = ImportSummary()
    limits = state.read_limits
    for path in collect_files(paths):
        outcome = "failed"
        try:
            check_size(path.stat().st_size, limits.max_bytes)
            sha256, size = state.files.put_file(path, max_bytes=limits.max_bytes)
        except (OSError, ReadError, UserValueError) as exc:
            summary.failed.append({"path": str(path), "error": getattr(exc, "strerror", None) or str(exc)})
        else:
            with sessions() as db:
                waiting = db.scalars(select(Intake.id).where(Intake.blob_sha256 == sha256, Intake.auto.is_(True),
                                                             Intake.state.in_(PENDING))).first()
                if waiting is not None or file_is_archived(db, sha256) is not None:
                    summary.skipped += 1
                    outcome = "skipped"
                else:
                    user = db.get(User, user_id) if user_id else None
                    intake = receive(db, filename=path.name, sha256=sha256, size=size, direction=direction,
                                     user=user, auto=True, source_path=str(path))
                    db.commit()
                    warning = start(db, state, intake, user, background=True)
                    summary.queue_warning = summary.queue_warning or warning
                    summary.queued += 1
                    summary.documents.append({"id": intake.id, "intake_id": intake.id, "path": str(path),
                                              "number": None, "pending": True})
                    outcome = "queued"
        if on_file:
            on_file(path, outcome)
    return summary
