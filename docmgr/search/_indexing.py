"""Keeping the index right: what goes into it per document, applying the queue, ensure, reindex, check.
Private to :mod:`docmgr.search`, whose public API re-exports what the rest of docmgr calls."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import delete, func, select

from docmgr.documents.models import Document
from docmgr.search.analysis import Text
from docmgr.search.errors import IndexCorruptError
from docmgr.search.queue import SearchQueue, take_queued
from docmgr.workflow.permissions import view_principals


# Bump when analysis or fields change: every entry becomes stale (2: principals by state; 3: units,
# confidential documents by unit, local roles, and the security revision in the stamp; 4: the eth «Ð», «ð»
# folds to «d» like «Đ», «đ»).
INDEX_VERSION = 4
BATCH = 500
# Documents a reindex reads at a time. Small batches keep little text in flight
# (the parent holds a batch and the queue up to two per worker): 500 cost 50 MB more.
REINDEX_BATCH = 100


# -- what goes into the index ---------------------------------------------


def stamp(updated_at: dt.datetime | None, security_rev: int | None = 0) -> bytes:
    """What tells an entry is current: the index version, the document's last change, and its security
    revision (bumped when sharing on its case file changes who may see it)."""
    if updated_at is not None and updated_at.tzinfo is not None:
        updated_at = updated_at.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return f"{INDEX_VERSION}|{updated_at.isoformat() if updated_at else ''}|{security_rev or 0}".encode()


@dataclass
class IndexSource:
    """What the index takes from a document: plain data, so it pickles to indexing processes."""

    id: int
    subject: str
    text: str
    number: str | None
    number_key: str | None
    sequence: int | None
    issuer: str | None
    signer: str | None
    sector: str | None
    doc_type_code: str | None
    direction: str
    issued_on: dt.date | None
    updated_at: dt.datetime | None
    allowed: list[str]  # principals that may view it
    security_rev: int = 0


def index_source(doc) -> IndexSource:
    return IndexSource(
        id=doc.id, subject=doc.subject or "", text=doc.text or "", number=doc.number, number_key=doc.number_key,
        sequence=doc.sequence, issuer=doc.issuer, signer=doc.signer, sector=doc.sector,
        doc_type_code=doc.doc_type_code, direction=doc.direction, issued_on=doc.issued_on,
        updated_at=doc.updated_at, allowed=view_principals(doc), security_rev=doc.security_rev or 0,
    )


def document_fields(src: IndexSource) -> dict:
    body = Text(src.subject, src.text, stream="body")  # split once by the writer for both fields
    subject = Text(src.subject, stream="subject")
    return {
        "id": str(src.id),
        "stamp": stamp(src.updated_at, src.security_rev),
        "text": body,
        "text_f": body,
        "subject": subject,
        "subject_f": subject,
        "number": src.number_key or None,
        "issuer_f": src.issuer or None,
        "signer_f": src.signer or None,
        "sector_f": src.sector or None,
        "issuer": src.issuer or None,
        "signer": src.signer or None,
        "sector": src.sector or None,
        "doc_type": src.doc_type_code or None,
        "direction": src.direction,
        "year": str(src.issued_on.year) if src.issued_on else None,
        "issued": dt.datetime.combine(src.issued_on, dt.time()) if src.issued_on else None,
        "number_sort": b"%04d%010d%s" % (src.issued_on.year if src.issued_on else 0, src.sequence or 0,
                                          (src.number or "").encode("utf-8")[:60]),
        "allowed": " ".join(src.allowed),
    }


# -- keeping the index up to date -----------------------------------------


def index_documents(state, ids, *, engine_path=None) -> int:
    """Make the index agree with the database for ``ids`` (call with the write lock held)."""
    ids = sorted(set(ids))
    written = 0
    with state.sessionmaker() as db:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start:start + BATCH]
            docs = db.scalars(select(Document).where(Document.id.in_(chunk))).all()
            add = [document_fields(index_source(d)) for d in docs]
            remove = [str(i) for i in chunk]
            state.search.write(add, remove, building=engine_path)
            written += len(chunk)
            db.expunge_all()
    return written


def sync(state, timeout: float | None = None) -> int:
    """Apply the queued changes (any process's) to the index. Returns how many documents."""
    done = 0
    with state.search.locked(timeout):
        while True:
            with state.sessionmaker() as db:
                rows = db.execute(select(SearchQueue.id, SearchQueue.document_id)
                                  .order_by(SearchQueue.id).limit(5000)).all()
            if not rows:
                return done
            index_documents(state, {r.document_id for r in rows})
            _forget_queued(state, [r.id for r in rows])
            done += len({r.document_id for r in rows})


def commit_and_sync(db, state=None) -> int:
    """Commit ``db``, then bring the index up to date if the transaction queued documents.

    The call every change to documents ends with (pages, API, commands, operations that commit). Queuing
    needs no call: each flush adds the documents it touched to the queue in the same transaction
    (:func:`docmgr.search.queue.track_changes`), so a commit that is not followed by a sync loses
    nothing, its rows wait for the next one. ``state`` defaults to the current app's. Returns how many
    documents were brought up to date; raises ``IndexBusyError`` (the change is saved and stays queued)."""
    db.commit()
    if not take_queued(db):
        return 0
    if state is None:
        state = current_app.extensions["docmgr"]
    return sync(state)


def _forget_queued(state, queue_ids: list[int]) -> None:
    """Delete queue rows once what they asked for is in the index (only those read, never newer ones)."""
    with state.sessionmaker() as db:
        for start in range(0, len(queue_ids), 5000):
            db.execute(delete(SearchQueue).where(SearchQueue.id.in_(queue_ids[start:start + 5000])))
        db.commit()


def queued(state) -> int:
    with state.sessionmaker() as db:
        return db.scalar(select(func.count()).select_from(SearchQueue)) or 0


def ensure_index(state) -> str:
    """For ``docmgr init``: create the index of a new instance, or build it if documents exist.

    A damaged index is reported, not replaced: that is for ``docmgr reindex``.
    """
    status, message = state.search.status()
    if status == "ok":
        return message
    if status == "corrupt":
        raise IndexCorruptError(message)
    with state.sessionmaker() as db:
        count = db.scalar(select(func.count()).select_from(Document)) or 0
    if count:
        reindex(state)
        return f"Đã dựng chỉ mục tìm kiếm cho {count} văn bản."
    state.search.create_empty()
    with state.sessionmaker() as db:
        db.execute(delete(SearchQueue))
        db.commit()
    return "Đã tạo chỉ mục tìm kiếm (trống)."


# -- reindex and check ----------------------------------------------------


def _db_stamps(db) -> dict[str, bytes]:
    return {str(i): stamp(u, r) for i, u, r in db.execute(select(Document.id, Document.updated_at,
                                                                    Document.security_rev))}


def _compare(index_stamps: dict[str, bytes], db_stamps: dict[str, bytes]) -> dict[str, list[str]]:
    return {
        "missing": sorted(set(db_stamps) - set(index_stamps), key=int),
        "orphaned": sorted(set(index_stamps) - set(db_stamps), key=int),
        "stale": sorted((k for k in db_stamps.keys() & index_stamps.keys() if db_stamps[k] != index_stamps[k]),
                        key=int),
    }


PARALLEL_FROM = 5_000  # documents; below this, worker processes cost more than they save


def reindex(state, progress=None, batch: int = REINDEX_BATCH, max_buffered: int = 6_000_000,
            procs: int | None = None, prepare=None) -> dict:
    """Rebuild the whole index into a new generation and swap it in when complete.

    Streams the documents by id in batches (bounded memory); the analysis and
    segment writing run in ``procs`` worker processes (default: the configured
    ``DOCMGR_INDEX_PROCS`` for archives of 5,000 documents or more). Changes
    committed meanwhile are caught up under the write lock just before the swap.
    ``progress`` is called with the number of documents done after each batch;
    ``prepare`` turns an :class:`IndexSource` into fields (default :func:`document_fields`).
    """
    with state.search.locked():
        state.search.remove_stale_builds()
    with state.sessionmaker() as db:
        total = db.scalar(select(func.count()).select_from(Document)) or 0

    def batches():
        last = 0
        with state.sessionmaker() as db:
            while True:
                docs = db.scalars(select(Document).where(Document.id > last)
                                  .order_by(Document.id).limit(batch)).all()
                if not docs:
                    return
                last = docs[-1].id
                yield [index_source(d) for d in docs]
                db.expunge_all()

    if procs is None:
        procs = state.search.index_procs if total >= PARALLEL_FROM else 1
    building = state.search.build(batches(), on_batch=progress, max_buffered=max_buffered,
                                  prepare=prepare or document_fields, procs=procs)
    with state.search.locked(timeout=max(state.search.lock_timeout, 300)):
        with state.sessionmaker() as db:
            queue_ids = list(db.scalars(select(SearchQueue.id)))
            diff = _compare(state.search.stamps(building), _db_stamps(db))
        changed = diff["missing"] + diff["stale"] + diff["orphaned"]
        if changed:
            index_documents(state, [int(i) for i in changed], engine_path=building)
        path = state.search.publish(building)
        _forget_queued(state, queue_ids)
    return {"documents": total, "generation": path.name, "caught_up": len(changed)}


@dataclass
class CheckReport:
    status: str
    message: str
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    queued: int = 0
    repaired: bool = False
    actions: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok" and not (self.missing or self.stale or self.orphaned or self.queued)

    def as_json(self) -> dict:
        return {"ok": self.ok, "status": self.status, "message": self.message, "missing": self.missing,
                "stale": self.stale, "orphaned": self.orphaned, "queued": self.queued,
                "repaired": self.repaired, "actions": self.actions}


def check(state, repair: bool = False, progress=None) -> CheckReport:
    """Compare the database with the index; with ``repair`` fix what differs.

    A missing or damaged index is rebuilt by a reindex (``repair``) — never
    replaced by an empty one.
    """
    status, message = state.search.status()
    if status != "ok":
        report = CheckReport(status, message, queued=queued(state))
        if repair:
            result = reindex(state, progress=progress)
            report.repaired = True
            report.actions.append(f"Đã dựng lại chỉ mục ({result['documents']} văn bản, {result['generation']}).")
        return report
    with state.sessionmaker() as db:
        queue_ids = list(db.scalars(select(SearchQueue.id)))
        diff = _compare(state.search.stamps(), _db_stamps(db))
    report = CheckReport(status, message, queued=len(queue_ids), **diff)
    if repair and (report.missing or report.stale or report.orphaned or report.queued):
        with state.search.locked():
            with state.sessionmaker() as db:
                queue_ids = list(db.scalars(select(SearchQueue.id)))
                queue_docs = set(db.scalars(select(SearchQueue.document_id)))
                diff = _compare(state.search.stamps(), _db_stamps(db))
            changed = {int(i) for i in diff["missing"] + diff["stale"] + diff["orphaned"]} | queue_docs
            index_documents(state, changed)
            _forget_queued(state, queue_ids)
        report.repaired = True
        report.actions.append(f"Đã cập nhật {len(changed)} văn bản trong chỉ mục.")
    return report
