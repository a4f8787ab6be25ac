"""Edit locks: two clerks never overwrite each other's changes (10 minutes; a Manager may take one over)."""

from __future__ import annotations

import contextlib
import datetime as dt

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from docmgr import audit
from docmgr.documents.models import Document, EditLock
from docmgr.errors import ConflictError
from docmgr.search import commit_and_sync
from docmgr.web import format_time
from docmgr.workflow.permissions import allowed


LOCK_MINUTES = 10


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)  # SQLite gives naive UTC back


def holder(db: Session, doc: Document, now: dt.datetime | None = None) -> EditLock | None:
    """The lock in force on ``doc``, if any (an expired one does not count)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    lock = db.get(EditLock, doc.id, populate_existing=True)
    return lock if lock is not None and _aware(lock.expires_at) > now else None


def take(db: Session, doc: Document, user, minutes: int = LOCK_MINUTES, steal: bool = False,
         now: dt.datetime | None = None) -> EditLock:
    """Take or renew the edit lock of ``doc`` for ``user``; commits. Raises ConflictError if another holds it.

    ``steal`` (Managers only) takes over another's lock; the audit log records it.
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    until = now + dt.timedelta(minutes=minutes)
    for _attempt in range(2):
        lock = db.get(EditLock, doc.id, populate_existing=True)
        if lock is None:
            lock = EditLock(document_id=doc.id, user_id=user.id, taken_at=now, expires_at=until)
            db.add(lock)
            try:
                db.commit()
            except IntegrityError:  # another took it a moment ago: look again
                db.rollback()
                continue
            return lock
        ours = lock.user_id == user.id
        if not ours and _aware(lock.expires_at) > now:
            if not (steal and allowed(user, "manage")):
                raise ConflictError(locked_message(lock))
            audit.record(db, "steal_lock", user, doc.id, previous=lock.user.username)
        if not ours:
            lock.taken_at = now
        lock.user_id, lock.expires_at = user.id, until
        db.commit()
        return lock
    raise ConflictError("Văn bản vừa được người khác mở để sửa; hãy thử lại.")


def require(db: Session, doc: Document, user, now: dt.datetime | None = None) -> None:
    """Before saving an edit: the user must hold the lock, or it must be free (then it is taken)."""
    lock = holder(db, doc, now)
    if lock is not None and lock.user_id != user.id:
        raise ConflictError(locked_message(lock) + " Thay đổi của bạn chưa được lưu.")
    take(db, doc, user, now=now)


def _give_back(db: Session, doc: Document, user) -> None:
    db.execute(delete(EditLock).where(EditLock.document_id == doc.id, EditLock.user_id == user.id))


def release(db: Session, doc: Document, user) -> None:
    """Give the lock back (when the user cancels, or after an error); commits."""
    _give_back(db, doc, user)
    db.commit()


@contextlib.contextmanager
def editing(db: Session, doc: Document, user, keep_on_error: bool = False):
    """Make a change under the edit lock: require it, then commit the change and give the lock back in one
    transaction, and bring the search index up to date.

    On an error the change is rolled back and the lock given back too, unless
    ``keep_on_error`` (a form shown again to be corrected keeps it).
    """
    require(db, doc, user)
    try:
        yield
    except BaseException:
        db.rollback()
        if not keep_on_error:
            release(db, doc, user)
        raise
    _give_back(db, doc, user)
    commit_and_sync(db)


def locked_message(lock: EditLock) -> str:
    until = format_time(lock.expires_at)  # Vietnam time
    return f"Văn bản đang được {lock.user.display_name} sửa (giữ quyền sửa đến {until})."


__all__ = ["LOCK_MINUTES", "editing", "holder", "locked_message", "release", "require", "take"]
