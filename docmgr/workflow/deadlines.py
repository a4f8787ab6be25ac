"""Default deadlines of an assignment: calendar days from the arrival date, by the document's urgency
(DOCMGR_DEADLINE_DAYS). The leader sees the default in the assignment form and may change it; the deadline is
never before the document arrived."""

from __future__ import annotations

import datetime as dt
import json

from docmgr.errors import SetupError


SESSION_KEY = "docmgr_deadline_days"  # where a session carries its app's rule (Session.info)
NORMAL = "Thường"  # a document with no urgency
DEFAULT_DAYS = {"Hỏa tốc": 1, "Thượng khẩn": 3, "Khẩn": 5, NORMAL: 10}


def parse_days(value) -> dict[str, int]:
    """DOCMGR_DEADLINE_DAYS as a dict or its JSON text: {"Hỏa tốc": 1, "Khẩn": 5, "Thường": 10}; an urgency left
    out keeps its default; 0 means no default deadline."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise SetupError(f"DOCMGR_DEADLINE_DAYS: không đọc được JSON ({exc}).") from None
    if not isinstance(value, dict):
        raise SetupError("DOCMGR_DEADLINE_DAYS: cần dạng {\"Khẩn\": 5, \"Thường\": 10}.")
    out = dict(DEFAULT_DAYS)
    for key, days in value.items():
        if key not in DEFAULT_DAYS:
            raise SetupError(f"DOCMGR_DEADLINE_DAYS: «{key}» không phải độ khẩn ({', '.join(DEFAULT_DAYS)}).")
        if not isinstance(days, int) or days < 0:
            raise SetupError(f"DOCMGR_DEADLINE_DAYS: số ngày của «{key}» phải là số nguyên không âm.")
        out[key] = days
    return out


def default_deadline(doc, days: dict[str, int], today: dt.date) -> dt.date | None:
    """The arrival date (today if not registered yet) plus the days of the document's urgency; None when that
    urgency has no default (0 days)."""
    count = days.get(doc.urgency or NORMAL, days.get(NORMAL, 0))
    if not count:
        return None
    return (doc.arrival_date or today) + dt.timedelta(days=count)
