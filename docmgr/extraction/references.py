"""References to other documents quoted in a text.

"Kế hoạch số 65/KH-UBND ngày 20/3/2024", "Nghị quyết 68/NQ-CP ngày 09 tháng 5
năm 2024", "Chương trình hành động số 43-CTr/TU": recorded so that search can
link the citing document to the cited one when it is in the archive.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from docmgr import doctypes
from docmgr.text import number_folded_key

_TYPES = "|".join(re.escape(n) for n in doctypes.names_longest_first())
_REF_RE = re.compile(
    rf"(?P<type>{_TYPES})(?:\s+[^\W\d_]+){{0,3}}?\s+(?:số\s+)?"
    r"(?P<number>\d{1,6}(?:/\d{4})?[/-][A-Za-zĐđ][\w&Đđ]*(?:[-/][\w&Đđ]+)*)"
    r"(?:\s*,?\s*ngày\s+(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reference:
    number: str
    doc_type: str | None
    issued_on: dt.date | None

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "doc_type": self.doc_type,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
        }


def find_references(text: str, own_number: str | None = None, limit: int = 200) -> list[Reference]:
    """Distinct references in order of first appearance, without the document's own number."""
    flat = " ".join(text.split())
    own = number_folded_key(own_number) if own_number else None
    seen: dict[str, int] = {}
    refs: list[Reference] = []
    for match in _REF_RE.finditer(flat):
        number = match.group("number").rstrip(".-/")
        key = number_folded_key(number)
        if key == own:
            continue
        if key in seen:
            first = refs[seen[key]]
            if first.number.isupper() and not number.isupper():  # "43-CTR/TU" in a caps title, "43-CTr/TU" later
                refs[seen[key]] = Reference(number, first.doc_type, first.issued_on)
            continue
        seen[key] = len(refs)
        doc_type = doctypes.by_name(match.group("type"))
        y, m, d = (match.group("y") or match.group("y2"), match.group("m") or match.group("m2"),
                   match.group("d") or match.group("d2"))
        try:
            date = dt.date(int(y), int(m), int(d)) if y else None
        except ValueError:
            date = None
        refs.append(Reference(number, doc_type.name if doc_type else None, date))
        if len(refs) >= limit:
            break
    return refs
