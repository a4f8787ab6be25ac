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
# The number is searched first (a cheap pattern with a digit at its start);
# only then is the text just before it checked for a document type. Trying
# the long alternation of type names at every position was the slowest step
# of extraction on long documents.
# A leading character class (not a look-behind) lets the engine skip ahead fast: the white space a number
# needs before it (a type's name ends there, never glued to it) is that class. Tried at each space, the
# pattern fails at once on most; tried at each digit, as before, it took half as long again.
_NUMBER_RE = re.compile(r"\s([0-9]{1,6}(?:/[0-9]{4})?[/-][A-Za-zĐđ][\w&Đđ]*(?:[-/][\w&Đđ]+)*)")
# Where a number's digits meet its code («5/K», «5/2024/Q»): far fewer places than white space, and each
# found with the engine's quick skip to a digit. :func:`_numbers` goes back from there to the number's start
# and reads it with :data:`_NUMBER_RE`, so that it finds what that pattern finds (a test holds it to it).
_DIGIT_MEETS_CODE_RE = re.compile(r"[0-9][/-][A-Za-zĐđ]|[0-9]/[0-9]{4}[/-][A-Za-zĐđ]")
_TYPE_BEFORE_RE = re.compile(
    rf"(?P<type>{_TYPES})(?:\s+[^\W\d_]+){{0,3}}?\s+(?:số\s+)?$", re.IGNORECASE
)
_DATE_AFTER_RE = re.compile(
    r"\s*,?\s*ngày\s+(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))",
    re.IGNORECASE,
)
# A type's name ends at most four words before the number (three words and «số»): it is the words there, its
# first word perhaps the end of one («(Quyết định», «(Luật»). Looked for before the pattern, which tries every
# name at every place of the words before and was a tenth of extraction's time.
_NAMES_BY_LAST_WORD: dict[str, list[list[str]]] = {}
for _name in doctypes.names_longest_first():
    _NAMES_BY_LAST_WORD.setdefault(_name.split()[-1].lower(), []).append(_name.lower().split())
_ONE_WORD_NAMES = tuple(name.lower() for name in doctypes.names_longest_first() if " " not in name)
_LOOKBEHIND = 120  # characters: the longest type name plus three words and "số"


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
    own = number_folded_key(own_number) if own_number else None
    seen: dict[str, int] = {}
    refs: list[Reference] = []
    for match in _numbers(text):
        start = match.start(1)
        words_before = _flat_before(text, start)
        from_word = _first_type_word(words_before)
        if from_word is None:
            continue
        before = _TYPE_BEFORE_RE.search(words_before, from_word)
        if before is None:
            continue
        number = match.group(1).rstrip(".-/_")
        key = number_folded_key(number)
        if key == own:
            continue
        if key in seen:
            first = refs[seen[key]]
            if first.number.isupper() and not number.isupper():  # "43-CTR/TU" in a caps title, "43-CTr/TU" later
                refs[seen[key]] = Reference(number, first.doc_type, first.issued_on)
            continue
        seen[key] = len(refs)
        doc_type = doctypes.by_name(before.group("type"))
        refs.append(Reference(number, doc_type.name if doc_type else None, _date_after(text, match.end(1))))
        if len(refs) >= limit:
            break
    return refs


def _numbers(text: str):
    """The matches of :data:`_NUMBER_RE` in ``text``, as its ``finditer`` gives them."""
    end = 0  # where the last number found ends: the pattern's matches do not overlap
    for hit in _DIGIT_MEETS_CODE_RE.finditer(text):
        start = hit.start()
        while start and "0" <= text[start - 1] <= "9":
            start -= 1
        if start - 1 < end or not text[start - 1].isspace():
            continue
        match = _NUMBER_RE.match(text, start - 1)
        if match:
            end = match.end()
            yield match


def _first_type_word(words_before: str) -> int | None:
    """Where in ``words_before`` the word starts that the earliest type name there may start in (the pattern
    is tried from there on), or None when no type name ends among the last five words."""
    words = words_before.lower().split()
    starts = []
    for k in range(max(0, len(words) - 5), len(words)):
        if words[k].endswith(_ONE_WORD_NAMES):
            starts.append(k)
        starts.extend(first for name in _NAMES_BY_LAST_WORD.get(words[k], ()) if (first := k - len(name) + 1) >= 0
                      and words[first].endswith(name[0]) and words[first + 1 : k + 1] == name[1:])
    if not starts:
        return None
    return sum(len(word) + 1 for word in words_before.split()[:min(starts)])  # the words are one space apart


def _flat_before(text: str, pos: int) -> str:
    """The last :data:`_LOOKBEHIND` characters before ``pos`` (white space before it) with each run of white
    space made one space: the words before a number as they read. Only the piece before it is flattened, not
    the whole text (which cost a fifth of extraction's time on long documents)."""
    size = 4 * _LOOKBEHIND
    while True:
        lo = max(0, pos - size)
        words = text[lo:pos].split()
        if lo and not text[lo - 1].isspace() and words and not text[lo].isspace():
            words = words[1:]  # a word the piece's start cut in two
        flat = " ".join(words) + " " if words else ""
        if lo == 0 or len(flat) >= _LOOKBEHIND:
            return flat[-_LOOKBEHIND:]
        size *= 4


def _date_after(text: str, pos: int) -> dt.date | None:
    # white space in the pattern is only ever «\s*» or «\s+»: it reads the raw text as it would the flattened
    match = _DATE_AFTER_RE.match(text, pos)
    if match is None:
        return None
    y, m, d = (match.group("y") or match.group("y2"), match.group("m") or match.group("m2"),
               match.group("d") or match.group("d2"))
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None
