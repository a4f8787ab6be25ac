"""The office's day and time, for the whole code: one :func:`today`, one way to show a stored moment.

Moments are stored in UTC; what people see and the dates docmgr gives (ngày đến, the day a case file closes,
"today" on printed forms, an audit filter's "from" and "to") are in the office's time zone —
``DOCMGR_TIMEZONE``, default ``Asia/Ho_Chi_Minh`` (UTC+7 all year). Outside an app (a script, a child
process), the default.
"""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context


DEFAULT_ZONE = "Asia/Ho_Chi_Minh"


@functools.lru_cache(maxsize=8)
def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if name == DEFAULT_ZONE:  # no time zone database at all: Vietnam has had UTC+7 since 1975
            return dt.timezone(dt.timedelta(hours=7), "ICT")
        raise


def zone() -> dt.tzinfo:
    name = current_app.config.get("DOCMGR_TIMEZONE") if has_app_context() else None
    return _zone(name or DEFAULT_ZONE)


def now() -> dt.datetime:
    return dt.datetime.now(zone())


def today() -> dt.date:
    """Today in the office's time zone (at 06:00 in Hà Nội it is already tomorrow's date, not UTC's)."""
    return now().date()


def local(value: dt.datetime | None) -> dt.datetime | None:
    """A stored moment in the office's time zone (SQLite gives UTC back without its zone)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(zone())


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in the office's time zone, in UTC (to compare with stored moments)."""
    return dt.datetime.combine(day, dt.time(), zone()).astimezone(dt.timezone.utc)
