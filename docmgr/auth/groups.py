"""Units (groups of users): create, change members, find by name or code. Audited; the caller commits."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from docmgr import audit
from docmgr.auth.models import Group, User
from docmgr.errors import UserValueError
from docmgr.text import clean_whitespace, nfc


def find_group(db: Session, name_or_code: str) -> Group | None:
    """A unit by its exact name or code (case aside)."""
    text = clean_whitespace(nfc(name_or_code or "")).lower()
    if not text:
        return None
    return db.scalar(select(Group).where((func.lower(Group.name) == text) | (func.lower(Group.code) == text)))


def save_group(db: Session, name: str, code: str, member_ids: list[int], description: str = "",
               group: Group | None = None, user: User | None = None) -> Group:
    name = clean_whitespace(nfc(name or ""))
    code = clean_whitespace(nfc(code or ""))
    if not name:
        raise UserValueError("Cần ghi tên đơn vị.", {"name": "Cần ghi tên đơn vị."})
    if len(name) > 200 or len(code) > 30:
        raise UserValueError("Tên đơn vị tối đa 200 ký tự, mã tối đa 30 ký tự.")
    clash = db.scalar(select(Group).where(func.lower(Group.name) == name.lower(), Group.id != (group.id if group else 0)))
    if clash is not None:
        raise UserValueError(f"Đã có đơn vị «{clash.name}».", {"name": "Tên đơn vị đã có."})
    members = list(db.scalars(select(User).where(User.id.in_(member_ids)))) if member_ids else []
    if len(members) != len(set(member_ids)):
        raise UserValueError("Có thành viên không tồn tại.")
    if group is None:
        group = Group(name=name)
        db.add(group)
    group.name, group.code, group.description = name, code, (description or "").strip()
    group.members = members
    db.flush()
    audit.record(db, "unit_save", user, None, unit=group.id, name=name, members=[u.username for u in members])
    return group
