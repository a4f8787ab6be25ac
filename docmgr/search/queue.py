"""The search queue: which documents the index must catch up with, kept in the database.

Every flush that touches a document adds its id here *in the same transaction*;
after the commit the rows are applied to the index and deleted. A crash, a busy
index or a failed index write therefore loses nothing: the rows wait for the
next writer, ``docmgr index check --repair`` or ``docmgr reindex``.
"""

from __future__ import annotations

import datetime as dt
from itertools import chain

from sqlalchemy import event, insert
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from docmgr.db import Base, utcnow


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
    from docmgr.documents.models import Document

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


def install(sessions: sessionmaker, on_commit) -> None:
    """Queue changed documents on flush; call ``on_commit(session)`` after a commit that queued some."""

    @event.listens_for(sessions, "after_flush")
    def _queue(session, _context):
        ids = _document_ids(session)
        if ids:
            session.connection().execute(insert(SearchQueue.__table__),
                                         [{"document_id": i, "queued_at": utcnow()} for i in sorted(ids)])
            session.info["search_queued"] = True

    @event.listens_for(sessions, "after_commit")
    def _apply(session):
        if session.in_nested_transaction():
            # A SAVEPOINT was released, the transaction goes on: writing the index now would wait for the
            # index lock while holding the database's, and another writer may hold them the other way round.
            return
        if session.info.pop("search_queued", False) and not session.info.get("search_defer"):
            on_commit(session)

    @event.listens_for(sessions, "after_soft_rollback")
    def _forget(session, _previous):
        session.info.pop("search_queued", None)
