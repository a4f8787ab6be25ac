"""What a list of documents loads: the columns its rows show and the relations its cells read, never the text,
the history or the files (a list of 100 rows reads 100 short rows, not 100 documents); and the per-user cache
of the figures lists show on every page."""

from __future__ import annotations

import time

from sqlalchemy import event, select
from sqlalchemy.orm import Session, lazyload, load_only, selectinload

from docmgr.casefiles.models import LocalRole
from docmgr.documents.models import Assignment, Document


LIST_COLUMNS = (Document.id, Document.direction, Document.number, Document.notation, Document.sequence,
                Document.doc_type, Document.doc_type_code, Document.subject, Document.issued_on, Document.issuer,
                Document.signer, Document.state, Document.due_date, Document.arrival_number,
                Document.arrival_date, Document.warnings, Document.confidentiality, Document.urgency,
                Document.created_by_id, Document.unit_id, Document.case_file_id, Document.created_at,
                Document.updated_at)


def list_options(direction: str | None = None, recipients: bool = False) -> list:
    """Loader options of a list of ``direction`` (None: all): the assignment for incoming documents, the
    recipients for outgoing ones (or when ``recipients``), the signatures for the «chữ ký số» badge."""
    with_recipients = recipients or direction in ("outgoing", "internal")
    return [load_only(*LIST_COLUMNS), selectinload(Document.signatures), lazyload(Document.unit),
            lazyload(Document.case_file), lazyload(Document.files), lazyload(Document.history),
            selectinload(Document.assignment) if direction in ("incoming", None) else lazyload(Document.assignment),
            selectinload(Document.recipients) if with_recipients else lazyload(Document.recipients)]


def fetch_in_order(db: Session, ids: list[int], direction: str | None = None, recipients: bool = False) -> list:
    """The documents of ``ids`` (chosen from the list index alone) in that order, loaded as a list shows them."""
    if not ids:
        return []
    found = {d.id: d for d in db.scalars(select(Document).options(*list_options(direction, recipients))
                                         .where(Document.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


class PerUserCache:
    """Figures read for a user's lists (counts, filter choices), kept ``seconds`` per user, database and
    ``extra`` key: every page asks for them. A change to documents, assignments or local roles made in this
    process clears every such cache at once; other processes see it within ``seconds``."""

    _all: list[PerUserCache] = []

    def __init__(self, seconds: float, limit: int = 1000):
        self.seconds, self.limit = seconds, limit
        self._entries: dict[tuple, tuple[float, object]] = {}
        PerUserCache._all.append(self)

    @staticmethod
    def key(db: Session, user, *extra) -> tuple:
        return (getattr(user, "id", None), tuple(sorted(getattr(user, "roles", ()) or ())),
                tuple(sorted(getattr(user, "group_ids", ()) or ())), db.get_bind().url.render_as_string(), *extra)

    def get(self, key: tuple, make):
        kept = self._entries.get(key)
        if kept is not None and kept[0] > time.monotonic():
            return kept[1]
        value = make()
        if len(self._entries) >= self.limit:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + self.seconds, value)
        return value

    def clear(self) -> None:
        self._entries.clear()


@event.listens_for(Session, "after_flush")
def _lists_changed(session, _context) -> None:
    if any(c._entries for c in PerUserCache._all) and any(
            isinstance(o, (Document, Assignment, LocalRole)) for o in (*session.new, *session.dirty, *session.deleted)):
        for cache in PerUserCache._all:
            cache.clear()
