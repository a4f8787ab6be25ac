"""Login sessions: every login is a row in the database, checked on every request.

Flask keeps its session in a signed cookie, so logging out only forgets the
cookie in that browser: a copy of it, or of the remember-me cookie, would
still open the account. Here the cookie names a login session by a random
secret (``"<id>.<secret>"``, only the secret's SHA-256 is stored). Logging out
deletes that row; "log out everywhere", a password change and disabling the
account delete every row of the user, so every copy of every cookie stops
working at the next request. A session lasts ``DOCMGR_SESSION_HOURS`` (default
12, a working day), or ``DOCMGR_REMEMBER_DAYS`` (default 30) with "Ghi nhớ".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from docmgr.auth.models import LoginSession, User
from docmgr.db import utcnow


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start(db: Session, user: User, *, remember: bool, lifetime: dt.timedelta, remote_addr: str = "",
          user_agent: str = "") -> str:
    """Open a login session for ``user``; returns its key, which is also set as ``user.login_key``."""
    secret = secrets.token_urlsafe(32)
    row = LoginSession(user_id=user.id, secret_hash=_hash(secret), remember=remember,
                       expires_at=utcnow() + lifetime, remote_addr=(remote_addr or "")[:64],
                       user_agent=(user_agent or "")[:200])
    db.add(row)
    db.flush()
    user.login_key = f"{row.id}.{secret}"
    return user.login_key


def _row(db: Session, key: str) -> LoginSession | None:
    row_id, _, secret = (key or "").partition(".")
    if not row_id.isdigit() or len(row_id) > 18 or not secret:
        return None
    row = db.get(LoginSession, int(row_id))
    if row is None or not hmac.compare_digest(row.secret_hash, _hash(secret)):
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.timezone.utc)
    return row if expires > utcnow() else None


def load(db: Session, key: str) -> User | None:
    """The user of a live login session, or None (ended, expired, unknown, or the account is disabled)."""
    row = _row(db, key)
    if row is None or not row.user.active:
        return None
    row.user.login_key = key
    return row.user


def end(db: Session, key: str | None) -> None:
    """Log out this session."""
    row = _row(db, key or "")
    if row is not None:
        db.delete(row)


def end_all(db: Session, user: User) -> int:
    """Log the user out everywhere; returns how many sessions ended."""
    result = db.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    return result.rowcount or 0


def sweep(db: Session) -> None:
    """Forget expired sessions."""
    db.execute(delete(LoginSession).where(LoginSession.expires_at < utcnow()))


def of_user(db: Session, user: User) -> list[LoginSession]:
    return list(db.scalars(select(LoginSession).where(LoginSession.user_id == user.id,
                                                      LoginSession.expires_at >= utcnow())
                           .order_by(LoginSession.created_at.desc())))
