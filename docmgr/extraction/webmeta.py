"""The metadata header that legal-document web sites put above a document.

    Số hiệu          230/KH-UBND
    Ngày ban hành    02/07/2024
    Loại văn bản     Kế hoạch
    Người ký         Nguyễn Sơn Hùng

It is not part of the document: the parser uses it only to fill fields the
document itself does not state, and skips it when looking for the document's
own header (its dates are not the document's date line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docmgr.text import folded_key, is_upper_text


_KEYS = {
    "so hieu": "number",
    "ngay ban hanh": "issued_on",
    "ngay phat hanh": "issued_on",
    "loai van ban": "doc_type",
    "co quan ban hanh": "issuer",
    "noi ban hanh": "issuer",
    "nguoi ky": "signer",
    "linh vuc": "sector",
    "do khan": "urgency",
    "do mat": "confidentiality",
    "ngay co hieu luc": None,
    "ngay hieu luc": None,
    "ngay het hieu luc": None,
    "ngay cong bao": None,
    "so cong bao": None,
    "tinh trang": None,
    "tinh trang hieu luc": None,
    "cap nhat": None,
}
_KEY_NAMES = "|".join(sorted((re.escape(k) for k in _KEYS), key=len, reverse=True))  # the longest first
_KEY_RE = re.compile(rf"^({_KEY_NAMES})\s*:?\s*(.*)$")
_NEXT_KEY_RE = re.compile(rf"\s({_KEY_NAMES})\s*:")  # a key further on in a line, with its colon
# What a key's line can start with: a letter that folds to a key's first letter (or a lone mark, folded away)
_KEY_FIRST_LETTERS = frozenset(key[0] for key in _KEYS) | {""}
_KEY_FIRST = frozenset(char for char in map(chr, range(0x3000)) if folded_key(char)[:1] in _KEY_FIRST_LETTERS)
_CORE = {"number", "issued_on", "doc_type", "issuer", "signer"}
_KEY_SPAN = max(len(k) for k in _KEYS) + 2
WINDOW = 60  # the header sits within the first lines of the page


@dataclass
class WebMetadata:
    fields: dict[str, str] = field(default_factory=dict)
    end: int = 0  # index of the first line after the header (0 when there is none)


def _pairs(line: str, folded: str) -> list[tuple[str | None, str]]:
    """The (field, value) pairs of a line that starts with a key. A site that lays its header out two columns
    wide puts two on one line («Số hiệu: 186/QĐ-UBND Loại văn bản: Quyết định», «Người ký : Dương Ngọc Long
    Nơi ban hành : UBND TỈNH THÁI NGUYÊN»): a key further on, with its colon, starts the next pair."""
    starts = [0]
    if len(folded) == len(line):  # folding kept every character in its place (no stray mark dropped)
        starts += [match.start(1) for match in _NEXT_KEY_RE.finditer(folded)]
    starts.append(len(line))
    pairs = []
    for start, end in zip(starts, starts[1:]):
        match = _KEY_RE.match(folded[start:end])
        value = line[end - len(match.group(2)) : end].strip().rstrip(",;").rstrip() if match.group(2) else ""
        pairs.append((_KEYS[match.group(1)], value))
    return pairs


def parse_web_metadata(lines: list[str]) -> WebMetadata:
    """Find "key value" lines at the top of a page; values may sit on the next line."""
    result = WebMetadata()
    i = 0
    while i < min(len(lines), WINDOW):
        line = lines[i]
        if line[:1] not in _KEY_FIRST:
            i += 1
            continue  # no key starts so: most lines, before any folding
        # the key is at the start: fold only that much of a long line
        match = _KEY_RE.match(folded_key(line[:_KEY_SPAN])) if not is_upper_text(line[:_KEY_SPAN]) else None
        if not match:
            i += 1
            continue
        folded = folded_key(line)
        pairs = _pairs(line, folded)
        for key, value in pairs[:-1]:
            if key and value and key not in result.fields:
                result.fields[key] = value
        key, value = pairs[-1]
        consumed = i
        if not value:
            j = i + 1
            while j < len(lines) and not lines[j]:
                j += 1
            if j < len(lines) and not _KEY_RE.match(folded_key(lines[j][:_KEY_SPAN])):
                value, consumed = lines[j], j
        if key and value and key not in result.fields:
            result.fields[key] = value
        result.end = consumed + 1
        i = consumed + 1
    if len(result.fields.keys() & _CORE) < 2:  # stray "Lĩnh vực …" lines are not a web header
        return WebMetadata()
    return result
