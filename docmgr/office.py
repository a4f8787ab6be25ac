"""The office using docmgr — its name, its parent body, its place, the notation of its routing slips — as set
on the settings page (or by ``docmgr init --organization … --place …``) and kept in the database, over the
``DOCMGR_ORGANIZATION``/``_PARENT_ORGANIZATION``/``_PLACE``/``_ORGANIZATION_NOTATION`` settings, which are only
the defaults: configuration does not change after start-up, and an office renames itself without a restart.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, g, has_request_context
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from docmgr import audit
from docmgr.db import Base, utcnow
from docmgr.errors import UserValueError
from docmgr.text import clean_whitespace, nfc


# key → (label, the configuration setting that gives its default, longest length)
SETTINGS = {
    "organization": ("Tên cơ quan, tổ chức", "DOCMGR_ORGANIZATION", 255),
    "parent_organization": ("Cơ quan, tổ chức chủ quản", "DOCMGR_PARENT_ORGANIZATION", 255),
    "place": ("Địa danh (trên dòng «…, ngày … tháng … năm …»)", "DOCMGR_PLACE", 120),
    "organization_notation": ("Chữ viết tắt của văn thư trên số phiếu chuyển (01/PC-VT)", "DOCMGR_ORGANIZATION_NOTATION", 40),
}


class OfficeSetting(Base):
    __tablename__ = "office_settings"
    search_ignore = True

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(255), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


def settings(db: Session) -> dict[str, str]:
    """The office's settings: what was saved, else the configuration's defaults (once per request)."""
    if has_request_context() and "docmgr_office" in g:
        return g.docmgr_office
    saved = dict(db.execute(select(OfficeSetting.key, OfficeSetting.value)).all())
    found = {key: saved[key] if key in saved else str(current_app.config.get(setting) or "")
             for key, (_, setting, _) in SETTINGS.items()}
    if not found["organization_notation"]:
        found["organization_notation"] = "VT"
    if has_request_context():
        g.docmgr_office = found
    return found


def is_set(db: Session) -> bool:
    """Has the office been named (saved, not only the configuration's default)?"""
    return db.get(OfficeSetting, "organization") is not None


def save(db: Session, values: dict, user=None) -> dict[str, tuple[str, str]]:
    """Save the settings given (the caller commits); return {key: (old, new)} of what changed. UserValueError
    names each value refused."""
    current = settings(db)
    errors, changes = {}, {}
    for key, raw in values.items():
        if key not in SETTINGS or raw is None:
            continue
        label, _, longest = SETTINGS[key]
        value = clean_whitespace(nfc(str(raw)))
        if key == "organization" and not value:
            errors[key] = "Cần tên cơ quan: nó đứng đầu mọi mẫu in."
        elif len(value) > longest:
            errors[key] = f"{label}: tối đa {longest} ký tự."
        elif value != current.get(key) or db.get(OfficeSetting, key) is None:
            row = db.get(OfficeSetting, key) or OfficeSetting(key=key)
            row.value, row.updated_by_id = value, getattr(user, "id", None)
            db.add(row)
            changes[key] = (current.get(key, ""), value)
    if errors:
        raise UserValueError("Chưa lưu: " + "; ".join(errors.values()), errors)
    if changes:
        audit.record(db, "settings_update", user, None,
                     changes={key: [old, new] for key, (old, new) in changes.items()})
    if has_request_context():
        g.pop("docmgr_office", None)
    return changes
