"""The search queue: which documents the index must catch up with, kept in the database.

Every flush that touches a document adds its id here *in the same transaction*
(:func:`track_changes`); after the commit the caller applies the rows to the index,
which deletes them (:func:`docmgr.search.commit_and_sync`). A crash, a busy index,
a failed index write or a commit without the sync therefore loses nothing: the rows
wait for the next writer, ``docmgr index check --repair`` or ``docmgr reindex``.
"""

from __future__ import annotations

import datetime as dt
from itertools import chain

from sqlalchemy import event, insert
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from docmgr.db import Base, utcnow
from docmgr.documents.models import Document


class SearchQueue(Base):
    __tablename__ = "search_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(index=True)  # no foreign key: deletions are queued too
    queued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def queue_documents(session: Session, ids) -> int:
    """Queue documents whose index entries must be rewritten though nothing in their rows changed (who may
    see them did: a case file's Sharing, a unit deleted); in the caller's transaction, applied after its
    commit like any change. Returns how many."""
    ids = sorted(set(ids))
    if ids:
        session.execute(insert(SearchQueue.__table__), [{"document_id": i, "queued_at": utcnow()} for i in ids])
        session.info["search_queued"] = True
    return len(ids)


def defer_sync(session: Session) -> None:
    """Leave this session's queued changes for the caller to apply in bulk (``search.sync``) instead of after
    each commit: a bulk import brings the index up to date every few hundred files."""
    session.info["search_defer"] = True


def _document_ids(session: Session) -> set[int]:
    ids: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Document):
            if obj.id is not None:
                ids.add(obj.id)
        elif not getattr(obj, "search_ignore", False):
            doc_id = getattr(obj, "document_id", None)
            if doc_id is not None and type(obj).__module__ == "docmgr.documents.models":
                ids.add(doc_id)
    return ids


def take_queued(session: Session) -> bool:
    """Whether the session committed queued documents that are to be applied now (not deferred); clears
    the mark: the caller applies them."""
    return bool(session.info.pop("search_committed", False)) and not session.info.get("search_defer")


def unsynced(session: Session) -> bool:
    """Whether the session committed queued documents that nobody applied (a commit without
    ``commit_and_sync``): they wait in the queue for the next sync."""
    return bool(session.info.get("search_committed")) and not session.info.get("search_defer")


def track_changes(sessions: sessionmaker) -> None:
    """Queue, on every flush of these sessions, the documents the flush touched, in its transaction; and
    remember whether a commit carried such rows, for :func:`take_queued`. Nothing here writes the index."""

    @event.listens_for(sessions, "after_flush")
    def _queue(session, _context):
        ids = _document_ids(session)
        if ids:
            session.connection().execute(insert(SearchQueue.__table__),
                                         [{"document_id": i, "queued_at": utcnow()} for i in sorted(ids)])
            session.info["search_queued"] = True

    @event.listens_for(sessions, "after_commit")
    def _committed(session):
        if not session.in_nested_transaction() and session.info.pop("search_queued", False):
            session.info["search_committed"] = True

    @event.listens_for(sessions, "after_transaction_end")
    def _ended(session, transaction):
        if transaction.parent is None:  # rolled back or closed: its rows went with it
            session.info.pop("search_queued", None)
