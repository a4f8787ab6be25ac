"""Login throttling: too many failed logins for one account from one address, or from one address for
any account, lock that for a while.

Each try is reserved before the password is checked: a row is written and
committed first, then the tries in the window are counted, this one included.
Of any number of simultaneous tries, at most the limit are let through (a
try committed k-th sees at least k rows). A successful login takes its row back
and forgets that account's failures from that address.

The lock is per (account, address): someone guessing the admin's password
locks themselves out, not the admin working from another machine. An address
that fails on many accounts is locked too. A manager can unlock an account
(:func:`unlock`, the users page, ``docmgr user unlock``). Checking the password
of an unknown account costs the same time as of a known one.

Settings: ``DOCMGR_LOGIN_MAX_FAILURES`` per account and address (default 5),
``DOCMGR_LOGIN_MAX_FAILURES_PER_ADDRESS`` (default 20) and
``DOCMGR_LOGIN_LOCK_MINUTES`` (default 15), the window the failures are
counted in and the time a lock lasts.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from dataclasses import dataclass
from functools import cache

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from docmgr.auth.models import LoginFailure, User
from docmgr.db import utcnow


@dataclass(frozen=True)
class Lock:
    minutes_left: int

    @property
    def message(self) -> str:
        return (f"Đăng nhập sai quá nhiều lần. Vì an toàn, việc đăng nhập tạm khóa; "
                f"vui lòng thử lại sau {self.minutes_left} phút.")


def _settings() -> tuple[int, int, dt.timedelta]:
    config = current_app.config
    return (int(config["DOCMGR_LOGIN_MAX_FAILURES"]), int(config["DOCMGR_LOGIN_MAX_FAILURES_PER_ADDRESS"]),
            dt.timedelta(minutes=int(config["DOCMGR_LOGIN_LOCK_MINUTES"])))


def _key(username: str) -> str:
    return username.strip().lower()[:80]


def attempt(db: Session, username: str, remote_addr: str) -> tuple[int, Lock | None]:
    """Reserve a try (committed at once); returns its id, to give back on success, and the lock in force
    for this account from this address, or for this address, if any (then the password is not checked)."""
    row = LoginFailure(username=_key(username), remote_addr=remote_addr[:64])
    db.add(row)
    db.commit()
    per_account, per_address, window = _settings()
    since = utcnow() - window
    for condition, limit in ((and_(LoginFailure.username == row.username, LoginFailure.remote_addr == row.remote_addr),
                              per_account),
                             (LoginFailure.remote_addr == row.remote_addr, per_address)):
        count, newest = db.execute(
            select(func.count(), func.max(LoginFailure.at)).where(condition, LoginFailure.at >= since)).one()
        if count > limit:
            if newest.tzinfo is None:  # SQLite gives naive UTC datetimes back
                newest = newest.replace(tzinfo=dt.timezone.utc)
            left = (newest + window - utcnow()).total_seconds() / 60
            return row.id, Lock(max(1, math.ceil(left)))
    return row.id, None


@cache
def _stand_in_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16))


def verify(user: User | None, password: str) -> bool:
    """Is ``password`` the user's? For no user (or a disabled one), a hash is checked all the same, so the
    answer takes as long whether the account exists or not."""
    if user is None or not user.active:
        check_password_hash(_stand_in_hash(), password)
        return False
    return user.check_password(password)


def succeeded(db: Session, attempt_id: int, username: str, remote_addr: str) -> None:
    """After a successful login: give the try back, forget this account's failures from this address,
    and old failures everywhere."""
    _, _, window = _settings()
    db.execute(delete(LoginFailure).where(or_(
        LoginFailure.id == attempt_id,
        and_(LoginFailure.username == _key(username), LoginFailure.remote_addr == remote_addr[:64]),
        LoginFailure.at < utcnow() - window)))


def unlock(db: Session, username: str) -> int:
    """A manager lifts the locks on an account (from every address); returns the failures forgotten."""
    return db.execute(delete(LoginFailure).where(LoginFailure.username == _key(username))).rowcount or 0


def failures(db: Session, username: str) -> int:
    """Failed logins of an account in the window (any address), for its page."""
    return failures_by_account(db, [username]).get(_key(username), 0)


def failures_by_account(db: Session, usernames=None) -> dict[str, int]:
    """{account (as keyed): failed logins in the window} of ``usernames`` (None: all), in one query."""
    _, _, window = _settings()
    query = select(LoginFailure.username, func.count()).where(LoginFailure.at >= utcnow() - window)
    if usernames is not None:
        query = query.where(LoginFailure.username.in_([_key(u) for u in usernames]))
    return dict(db.execute(query.group_by(LoginFailure.username)).all())


def account_key(username: str) -> str:
    """How failures name an account (case aside)."""
    return _key(username)
