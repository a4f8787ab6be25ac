"""The address book as CSV: one row per organization, unit or group.

Columns: kind (org | unit | group), name, short_name, code, address, phone, email,
aliases ("a | b"), members (a group's member names, "a | b"). Import updates the
entry with the same name (after normalization) and adds the others; it runs in
one transaction: a file with an error changes nothing and names the row.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from docmgr.addressbook.matching import name_key
from docmgr.addressbook.models import AddressGroup, Organization
from docmgr.addressbook.operations import save_group, save_organization
from docmgr.errors import UserValueError
from docmgr.text import nfc


COLUMNS = ("kind", "name", "short_name", "code", "address", "phone", "email", "aliases", "members")
MAX_ROWS = 100_000


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet reads as the start of a formula


def _cell(value) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe (the
    usual guard against formula injection; :func:`_uncell` takes it off again on import)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _uncell(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


class _SafeWriter(csv.DictWriter):
    def writerow(self, rowdict):
        return super().writerow({k: _cell(v) for k, v in rowdict.items()})


def export_csv(db: Session) -> str:
    out = io.StringIO()
    writer = _SafeWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for org in db.scalars(select(Organization).order_by(Organization.kind, Organization.name)):
        writer.writerow({"kind": org.kind, "name": org.name, "short_name": org.short_name, "code": org.code,
                         "address": org.address, "phone": org.phone, "email": org.email,
                         "aliases": " | ".join(org.alias_list), "members": ""})
    for group in db.scalars(select(AddressGroup).order_by(AddressGroup.name)):
        writer.writerow({"kind": "group", "name": group.name, "aliases": " | ".join(group.alias_list),
                         "members": " | ".join(m.name for m in group.members)})
    return out.getvalue()


def _decode(data: bytes) -> str:
    try:
        return nfc(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UserValueError("Tệp CSV phải mã hóa UTF-8 (lưu từ Excel: «CSV UTF-8»).") from None


MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def import_upload(db: Session, upload) -> dict:
    """Import an uploaded CSV (a form's file field) and commit; nothing changes if it is refused."""
    try:
        if upload is None or not upload.filename:
            raise UserValueError("Chọn tệp CSV để nhập.")
        counts = import_csv(db, upload.read(MAX_UPLOAD_BYTES + 1))
        db.commit()
    except UserValueError:
        db.rollback()
        raise
    return counts


def import_csv(db: Session, data: bytes) -> dict:
    """Add or update entries from CSV bytes; returns {"created": n, "updated": n}. Does not commit."""
    text = _decode(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    if "name" not in header:
        raise UserValueError("Tệp CSV thiếu cột «name» (các cột: " + ", ".join(COLUMNS) + ").")
    reader.fieldnames = header
    counts = {"created": 0, "updated": 0}
    groups: list[tuple[int, dict]] = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS:
            raise UserValueError(f"Tệp CSV dài quá {MAX_ROWS:,} dòng.".replace(",", "."))
        row = {k: _uncell(v or "") for k, v in row.items() if k}
        if not any(v.strip() for v in row.values()):
            continue
        kind = row.get("kind", "").strip().lower() or "org"
        if kind == "group":
            groups.append((number, row))
            continue
        existing = db.scalar(select(Organization).where(Organization.key == name_key(row.get("name", ""))))
        try:
            save_organization(db, {**row, "kind": kind}, existing)
        except UserValueError as exc:
            raise UserValueError(f"Dòng {number}: {exc}") from None
        counts["updated" if existing else "created"] += 1
    for number, row in groups:
        ids = []
        for member in (m.strip() for m in row.get("members", "").split("|")):
            if not member:
                continue
            org_id = db.scalar(select(Organization.id).where(Organization.key == name_key(member)))
            if org_id is None:
                raise UserValueError(f"Dòng {number}: nhóm có thành viên «{member}» chưa có trong danh bạ.")
            ids.append(org_id)
        existing = db.scalar(select(AddressGroup).where(AddressGroup.key == name_key(row.get("name", ""))))
        try:
            save_group(db, row.get("name", ""), ids, row.get("aliases", ""), existing)
        except UserValueError as exc:
            raise UserValueError(f"Dòng {number}: {exc}") from None
        counts["updated" if existing else "created"] += 1
    return counts
