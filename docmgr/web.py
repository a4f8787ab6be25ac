"""Helpers shared by the web pages: template globals and small formatters."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_login import current_user

from docmgr.auth.permissions import ROLES, can, could


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def format_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def template_helpers() -> dict:
    return {
        "can": lambda permission: can(current_user, permission),
        "could": lambda permission: could(current_user, permission),
        "format_date": format_date,
        "format_size": format_size,
        "role_titles": ROLES,
        "organization": current_app.config.get("DOCMGR_ORGANIZATION", ""),
    }
