"""Helpers shared by the web pages: template globals and small formatters."""

from __future__ import annotations

import datetime as dt

from flask_login import current_user
from werkzeug.routing import IntegerConverter

from docmgr import clock, office
from docmgr.db import session
from docmgr.documents.fields import LANGUAGES
from docmgr.text.syllables import sentence_case
from docmgr.workflow import queues
from docmgr.workflow.definitions import ROLES
from docmgr.workflow.permissions import allowed, allowed_somewhere


MAX_ID = 2**31 - 1  # ids are INTEGER columns (PostgreSQL's int4): a larger one names nothing
MAX_PAGE = 1_000_000


class IdConverter(IntegerConverter):
    """``<id:doc_id>``: a positive id that fits the database's integer; anything else is a 404, never a
    database overflow (a 500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def parse_id(value) -> int | None:
    """An id typed or sent by a client (form field, query argument), or None if it is not one."""
    text = str(value or "").strip().lstrip("#")
    if not text.isdigit() or len(text) > 10 or not 1 <= int(text) <= MAX_ID:
        return None
    return int(text)


def page_number(value) -> int:
    """A page number from a query argument: 1 when missing or unreadable, at most MAX_PAGE."""
    text = str(value or "").strip()
    if not text.isdigit():
        return 1
    return MAX_PAGE if len(text) > 7 else min(MAX_PAGE, max(1, int(text)))


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def format_datetime(value: dt.datetime | None, seconds: bool = False) -> str:
    """A moment as people in the office read it: dd/mm/yyyy HH:MM(:SS), in its time zone (stored times are UTC;
    :mod:`docmgr.clock`)."""
    if value is None:
        return ""
    return clock.local(value).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def format_time(value: dt.datetime | None) -> str:
    """HH:MM, Vietnam time."""
    return format_datetime(value)[-5:]


def format_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def _queue_counts():
    """The user's counts of work (once per request): the navigation shows them on every page."""
    return queues.counts(session(), current_user)


def template_helpers() -> dict:
    return {
        # The one check, bound to the user: allowed('print'), allowed('edit', case_file), allowed('view', doc);
        # allowed_somewhere('transition') for menus (some document, some state).
        "allowed": lambda permission, obj=None: allowed(current_user, permission, obj),
        "allowed_somewhere": lambda permission: allowed_somewhere(current_user, permission),
        "format_date": format_date,
        "format_datetime": format_datetime,
        "format_time": format_time,
        "format_size": format_size,
        "sentence_case": sentence_case,
        "languages": LANGUAGES,
        "role_titles": ROLES,
        "organization": office.settings(session())["organization"],
        "queue_counts": _queue_counts,
        "queue_titles": queues.QUEUES,
    }

