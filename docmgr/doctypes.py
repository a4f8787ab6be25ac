"""Document types (tên loại văn bản) as data.

The 29 administrative types of Nghị định 30/2020 (Điều 7, Phụ lục III) with
their abbreviations, the copy forms, the legal (QPPL) types that real
archives also hold, and the Party's types the others lack. Codes keep their
exact case (QyĐ, CTr, TTr): HD ≠ HĐ and DA ≠ ĐA even after accent folding, so
lookups by code are exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from docmgr.text import folded_key, search_key


@dataclass(frozen=True)
class DocType:
    name: str
    code: str | None  # None: the type has no abbreviation (Công văn, Thư công)
    group: str  # "administrative", "copy", "legal" or "party"


ADMINISTRATIVE_TYPES: tuple[DocType, ...] = tuple(
    DocType(name, code, "administrative")
    for name, code in (
        ("Nghị quyết", "NQ"),
        ("Quyết định", "QĐ"),
        ("Chỉ thị", "CT"),
        ("Quy chế", "QC"),
        ("Quy định", "QyĐ"),
        ("Thông cáo", "TC"),
        ("Thông báo", "TB"),
        ("Hướng dẫn", "HD"),
        ("Chương trình", "CTr"),
        ("Kế hoạch", "KH"),
        ("Phương án", "PA"),
        ("Đề án", "ĐA"),
        ("Dự án", "DA"),
        ("Báo cáo", "BC"),
        ("Biên bản", "BB"),
        ("Tờ trình", "TTr"),
        ("Hợp đồng", "HĐ"),
        ("Công văn", None),
        ("Công điện", "CĐ"),
        ("Bản ghi nhớ", "BGN"),
        ("Bản thỏa thuận", "BTT"),
        ("Giấy ủy quyền", "GUQ"),
        ("Giấy mời", "GM"),
        ("Giấy giới thiệu", "GGT"),
        ("Giấy nghỉ phép", "GNP"),
        ("Phiếu gửi", "PG"),
        ("Phiếu chuyển", "PC"),
        ("Phiếu báo", "PB"),
        ("Thư công", None),
    )
)

COPY_TYPES: tuple[DocType, ...] = (
    DocType("Bản sao y", "SY", "copy"),
    DocType("Bản trích sao", "TrS", "copy"),
    DocType("Bản sao lục", "SL", "copy"),
)

# Legal documents (văn bản quy phạm pháp luật) as they appear in archives.
LEGAL_TYPES: tuple[DocType, ...] = tuple(
    DocType(name, code, "legal")
    for name, code in (
        ("Hiến pháp", None),
        ("Bộ luật", None),
        ("Luật", None),
        ("Pháp lệnh", None),
        ("Lệnh", "L"),
        ("Nghị định", "NĐ"),
        ("Thông tư liên tịch", "TTLT"),
        ("Thông tư", "TT"),
        ("Nghị quyết liên tịch", "NQLT"),
    )
)

# The Party's own types (Quy định 66-QĐ/TW) that the state's lists lack; the rest (Nghị quyết, Quyết định,
# Chỉ thị, Quy định, Hướng dẫn, Thông báo …) are the same names. «Thông tri» is «TT» in a Party number
# («12-TT/TW»), which is the state's Thông tư: it keeps no code here, so «TT» stays Thông tư.
PARTY_TYPES: tuple[DocType, ...] = (
    DocType("Kết luận", "KL", "party"),
    DocType("Thông tri", None, "party"),
)

ALL_TYPES: tuple[DocType, ...] = ADMINISTRATIVE_TYPES + COPY_TYPES + LEGAL_TYPES + PARTY_TYPES

_BY_NAME = {search_key(t.name): t for t in ALL_TYPES}
_BY_FOLDED_NAME = {folded_key(t.name): t for t in ALL_TYPES}
_BY_CODE = {t.code: t for t in ALL_TYPES if t.code}
_BY_CODE_UPPER = {t.code.upper(): t for t in ALL_TYPES if t.code}


def by_name(name: str) -> DocType | None:
    """Find a type by its name, ignoring case, tone placement and, failing that, accents."""
    key = search_key(" ".join(name.split()))
    return _BY_NAME.get(key) or _BY_FOLDED_NAME.get(folded_key(key))


def by_code(code: str) -> DocType | None:
    """Find a type by its code: exact first ("QyĐ"), then case-insensitive ("QYĐ").

    Never accent-insensitive: "HD" (Hướng dẫn) and "HĐ" (Hợp đồng) differ.
    """
    return _BY_CODE.get(code) or _BY_CODE_UPPER.get(code.upper())


def lookup(value: str) -> DocType | None:
    """Find a type by code or name."""
    value = value.strip()
    return by_code(value) or by_name(value)


def names_longest_first() -> list[str]:
    """Type names sorted so that "Thông tư liên tịch" is tried before "Thông tư"."""
    return [name for name, _ in NAME_KEYS_LONGEST_FIRST]


# (name, folded key) of every type, longest name first: what the parser tries on each line in capitals
NAME_KEYS_LONGEST_FIRST: tuple[tuple[str, str], ...] = tuple(
    (t.name, folded_key(t.name)) for t in sorted(ALL_TYPES, key=lambda t: len(t.name), reverse=True)
)
