"""Login throttling: too many failed logins for one account, or from one address, lock it for a while.

Failures are stored in the database, so the limit holds across worker
processes and restarts. A successful login clears the account's failures.
Settings: ``DOCMGR_LOGIN_MAX_FAILURES`` per account (default 5),
``DOCMGR_LOGIN_MAX_FAILURES_PER_ADDRESS`` (default 20) and
``DOCMGR_LOGIN_LOCK_MINUTES`` (default 15), the window the failures are
counted in and the time a lock lasts.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from docmgr.auth.models import LoginFailure
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


def check(db: Session, username: str, remote_addr: str) -> Lock | None:
    """The lock in force for this account or address, or None if a login may be tried."""
    per_account, per_address, window = _settings()
    since = utcnow() - window
    for column, value, limit in ((LoginFailure.username, _key(username), per_account),
                                 (LoginFailure.remote_addr, remote_addr, per_address)):
        count, newest = db.execute(
            select(func.count(), func.max(LoginFailure.at)).where(column == value, LoginFailure.at >= since)
        ).one()
        if count >= limit:
            if newest.tzinfo is None:  # SQLite gives naive UTC datetimes back
                newest = newest.replace(tzinfo=dt.timezone.utc)
            left = (newest + window - utcnow()).total_seconds() / 60
            return Lock(max(1, math.ceil(left)))
    return None


def record_failure(db: Session, username: str, remote_addr: str) -> None:
    db.add(LoginFailure(username=_key(username), remote_addr=remote_addr[:64]))


def clear(db: Session, username: str) -> None:
    """After a successful login: forget the account's failures, and old ones everywhere."""
    _, _, window = _settings()
    db.execute(delete(LoginFailure).where(
        or_(LoginFailure.username == _key(username), LoginFailure.at < utcnow() - window)))
