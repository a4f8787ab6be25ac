"""The metadata fields a person may edit: their Vietnamese labels, and how a form's or a JSON body's values
are checked and normalized (dates as people write them, whole numbers, the fixed choices)."""

from __future__ import annotations

import datetime as dt
import re

from docmgr.documents.models import CONFIDENTIALITIES, DIRECTIONS, URGENCIES
from docmgr.errors import UserValueError
from docmgr.text import clean_whitespace, nfc
from docmgr.workflow.definitions import state_title


# Metadata fields a person may edit, with their Vietnamese labels (forms, errors, history).
FIELDS = {
    "direction": "Hướng (đến/đi)",
    "number": "Số, ký hiệu",
    "doc_type": "Tên loại",
    "subject": "Trích yếu",
    "issued_on": "Ngày ban hành",
    "place": "Địa danh",
    "issuer": "Cơ quan ban hành",
    "parent_issuer": "Cơ quan chủ quản",
    "signer": "Người ký",
    "signer_title": "Chức vụ người ký",
    "urgency": "Độ khẩn",
    "confidentiality": "Độ mật",
    "sector": "Lĩnh vực",
    "page_count": "Số trang",
    "language": "Ngôn ngữ",
    "due_date": "Hạn giải quyết",
    "arrival_number": "Số đến",
    "arrival_date": "Ngày đến",
    "description": "Ghi chú",
    "unit_id": "Đơn vị",
    "recipients": "Nơi nhận",
}
DATE_FIELDS = ("issued_on", "due_date", "arrival_date")
# The languages documents are written in (ISO 639-1, as kept), by the names people use.
LANGUAGES = {"vi": "Tiếng Việt", "en": "Tiếng Anh", "fr": "Tiếng Pháp", "zh": "Tiếng Trung", "ru": "Tiếng Nga",
             "lo": "Tiếng Lào", "km": "Tiếng Khmer", "ja": "Tiếng Nhật", "ko": "Tiếng Hàn", "de": "Tiếng Đức"}
SUBJECT_MAX = 5000  # characters of a trích yếu
MIN_YEAR, MAX_YEAR = 1900, 2200  # dates of an archive's documents; outside is a typing mistake
INT_FIELDS = ("page_count", "arrival_number", "unit_id")
_DATE_RE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$|^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_date(value: str, label: str) -> dt.date | None:
    """Accept dd/mm/yyyy (as people write) and yyyy-mm-dd (as forms send)."""
    if not value or not value.strip():
        return None
    match = _DATE_RE.match(value)
    if match:
        d, m, y = (match.group(1), match.group(2), match.group(3)) if match.group(1) else (
            match.group(6), match.group(5), match.group(4))
        if not MIN_YEAR <= int(y) <= MAX_YEAR:
            raise UserValueError(f"{label}: năm {int(y)} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}.")
        try:
            return dt.date(int(y), int(m), int(d))
        except ValueError:
            pass
    raise UserValueError(f"{label}: ngày không hợp lệ «{value[:40]}» (nhập theo dạng ngày/tháng/năm).")


def clean_fields(raw: dict) -> dict:
    """Validate and normalize submitted metadata; raise UserValueError listing every problem."""
    out: dict = {}
    errors: dict[str, str] = {}
    for name, label in FIELDS.items():
        if name not in raw:
            continue
        value = raw[name]
        try:
            out[name] = _clean_value(name, label, value)
        except UserValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise UserValueError("Thông tin chưa hợp lệ: " + "; ".join(errors.values()), errors)
    return out


def _clean_value(name: str, label: str, value):
    if name == "recipients":
        lines = value.splitlines() if isinstance(value, str) else list(value or [])
        return [clean_whitespace(nfc(str(x))).lstrip("-– ").rstrip(";") for x in lines if str(x).strip(" -–;")]
    if isinstance(value, dt.date) or value is None:
        return value
    value = clean_whitespace(nfc(str(value)))
    if name in DATE_FIELDS:
        return parse_date(value, label)
    if name in INT_FIELDS:
        if not value:
            return None
        if not value.isdigit() or int(value) > 10**7:
            raise UserValueError(f"{label}: phải là số nguyên dương.")
        return int(value)
    if name == "direction" and value not in DIRECTIONS:
        raise UserValueError(f"{label}: chọn một trong {', '.join(DIRECTIONS.values())}.")
    if name == "urgency" and value and value not in URGENCIES:
        raise UserValueError(f"{label}: chọn một trong {', '.join(URGENCIES)}.")
    if name == "confidentiality" and value and value not in CONFIDENTIALITIES:
        raise UserValueError(f"{label}: chọn một trong {', '.join(CONFIDENTIALITIES)}.")
    if name == "subject" and len(value) > SUBJECT_MAX:
        raise UserValueError(f"{label}: quá dài ({len(value):,} ký tự; tối đa {SUBJECT_MAX:,}).".replace(",", "."))
    return value or None


def jsonable(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def display_value(name: str, value, units: dict[int, str] | None = None) -> str:
    """A field's value in words, as a clerk reads it: a direction, state or language by its name, a unit by its
    name (not its id), a date as dd/mm/yyyy, lines joined."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if name == "direction":
        return DIRECTIONS.get(value, value)
    if name == "state":
        return state_title(value)
    if name == "language":
        return LANGUAGES.get(value, value)
    if name == "unit_id":
        return (units or {}).get(int(value), f"đơn vị #{value}") if str(value).isdigit() else str(value)
    if name in DATE_FIELDS:
        try:
            return (value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    return str(value)
