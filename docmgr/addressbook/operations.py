"""Changes to the address book: save and delete entries, set a group's members, confirm a match."""

from __future__ import annotations

import re

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from docmgr.addressbook.matching import name_key, strip_line
from docmgr.addressbook.models import CODE_MAX, KINDS, AddressGroup, Organization, group_members
from docmgr.errors import UserValueError
from docmgr.text import clean_whitespace, nfc


ORGANIZATION_FIELDS = ("kind", "name", "short_name", "code", "address", "phone", "email", "aliases")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LIMITS = {"name": 255, "short_name": 120, "code": CODE_MAX, "phone": 60, "email": 120, "address": 1000}


def _clean(value) -> str:
    return clean_whitespace(nfc(str(value or ""))).strip()


def clean_aliases(value) -> str:
    """Aliases from a form (one per line) or a CSV cell ("a | b"): one per line, cleaned, no repeats."""
    seen, out = set(), []
    for part in re.split(r"[\n|]", nfc(str(value or ""))):
        alias = clean_whitespace(part).strip()
        if alias and alias.lower() not in seen:
            seen.add(alias.lower())
            out.append(alias)
    return "\n".join(out)


def _key_taken(db: Session, key: str, entry) -> str | None:
    for model in (Organization, AddressGroup):
        other = db.scalar(select(model).where(model.key == key))
        if other is not None and other is not entry:
            return other.name
    return None


def save_organization(db: Session, values: dict, organization: Organization | None = None) -> Organization:
    """Create or update an organization from form/CSV/API values; raises UserValueError with the reason."""
    data = {name: _clean(values.get(name)) for name in ORGANIZATION_FIELDS if name != "aliases"}
    data["aliases"] = clean_aliases(values.get("aliases"))
    data["kind"] = data["kind"] or "org"
    if data["kind"] not in KINDS:
        raise UserValueError(f"Loại «{data['kind']}» không hợp lệ: chọn org (cơ quan, tổ chức) hoặc unit (đơn vị nội bộ).")
    if not data["name"]:
        raise UserValueError("Tên cơ quan, đơn vị là bắt buộc.")
    for name, limit in _LIMITS.items():
        if len(data[name]) > limit:
            raise UserValueError(f"{_LABELS[name]}: dài quá {limit} ký tự.")
    if data["email"] and not _EMAIL_RE.match(data["email"]):
        raise UserValueError(f"Thư điện tử «{data['email']}» không hợp lệ.")
    key = name_key(data["name"])
    if not key:
        raise UserValueError("Tên cơ quan, đơn vị phải có chữ hoặc số.")
    taken = _key_taken(db, key, organization)
    if taken:
        raise UserValueError(f"Danh bạ đã có «{taken}» (trùng tên sau khi chuẩn hóa).")
    organization = organization or Organization()
    for name, value in data.items():
        setattr(organization, name, value)
    organization.key = key
    db.add(organization)
    db.flush()
    return organization


_LABELS = {"name": "Tên", "short_name": "Tên viết tắt", "code": "Mã định danh", "phone": "Điện thoại",
           "email": "Thư điện tử", "address": "Địa chỉ"}


def save_group(db: Session, name: str, member_ids: list[int], aliases: str = "",
               group: AddressGroup | None = None) -> AddressGroup:
    name = _clean(name)
    if not name:
        raise UserValueError("Tên nhóm là bắt buộc.")
    if len(name) > 255:
        raise UserValueError("Tên nhóm: dài quá 255 ký tự.")
    key = name_key(name)
    taken = _key_taken(db, key, group)
    if taken:
        raise UserValueError(f"Danh bạ đã có «{taken}» (trùng tên sau khi chuẩn hóa).")
    ids = list(dict.fromkeys(member_ids))
    found = set(db.scalars(select(Organization.id).where(Organization.id.in_(ids)))) if ids else set()
    missing = [i for i in ids if i not in found]
    if missing:
        raise UserValueError(f"Không có cơ quan #{missing[0]} trong danh bạ.")
    group = group or AddressGroup()
    group.name, group.key, group.aliases = name, key, clean_aliases(aliases)
    db.add(group)
    db.flush()
    db.execute(delete(group_members).where(group_members.c.group_id == group.id))
    if ids:
        db.execute(insert(group_members), [{"group_id": group.id, "organization_id": org_id, "position": i}
                                           for i, org_id in enumerate(ids)])
    db.expire(group, ["members"])
    return group


def confirm_match(db: Session, line: str, entry: Organization | AddressGroup) -> None:
    """The clerk says ``line`` means ``entry``: keep the line as an alias so it matches exactly from now on."""
    name = strip_line(line)[0]
    if not name_key(name):
        raise UserValueError("Dòng nơi nhận trống.")
    entry.aliases = clean_aliases(entry.aliases + "\n" + name)
    db.flush()
