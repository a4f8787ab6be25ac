"""Match a document's "Nơi nhận" lines to the address book.

Each line is, in order of the checks:

- an internal filing line ("Lưu: VT, HCTH") — kept apart, never mailed;
- "Như trên" — the addressees the document names after "Kính gửi";
- an exact match — the name, short name or an alias of an organization or a
  group, compared after normalization (NFC, one tone placement, case,
  punctuation, the usual abbreviations spelled out: "UBND" = "Ủy ban nhân dân");
- a fuzzy match — the closest name on the accent-folded key, offered to the clerk
  to confirm (confirming adds the line as an alias, so it is exact from then on);
- unmatched — kept as written and flagged.

A group expands to its members. The result lists every external addressee once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from sqlalchemy import select
from sqlalchemy.orm import Session

from docmgr.addressbook.models import AddressGroup, Organization
from docmgr.text import fold, normalize
from docmgr.text.abbreviations import ABBREVIATIONS


FUZZY_THRESHOLD = 0.82

_INTERNAL_RE = re.compile(r"^\s*lưu\s*[:.]?", re.IGNORECASE)
_SAME_AS_ABOVE_RE = re.compile(r"^\s*(?:như|nhu)\s+(?:trên|tren)\b", re.IGNORECASE)
# A trailing note in brackets: "(b/cáo)", "(để biết)", "(Đ/c Minh)".
_NOTE_RE = re.compile(r"\s*\(([^()]*)\)\s*$")
_TOKEN_RE = re.compile(r"[\w&/]+(?:-[\w&/]+)*")
_KINH_GUI_RE = re.compile(r"^\s*(?:kính gửi|kinh gui)\s*[:.]?\s*(.*)$", re.IGNORECASE)
_BULLET_RE = re.compile(r"^\s*[-–—+•*]\s*")


def strip_line(text: str) -> tuple[str, str]:
    """("- UBND tỉnh (báo cáo);") → ("UBND tỉnh", "báo cáo"): the name and its note."""
    text = _BULLET_RE.sub("", normalize(text)).strip().rstrip(";.,").strip()
    note = ""
    found = _NOTE_RE.search(text)
    if found and found.start() > 0:
        note = found.group(1).strip()
        text = text[: found.start()].strip().rstrip(";.,")
    return text, note


def name_key(text: str) -> str:
    """The exact-match key: normalized, lower-case, abbreviations spelled out, punctuation dropped."""
    words: list[str] = []
    for token in _TOKEN_RE.findall(normalize(text).lower()):
        expanded = ABBREVIATIONS.get(token)
        if expanded is None and ("-" in token or "/" in token):
            expanded = " ".join(ABBREVIATIONS.get(part, part) for part in re.split(r"[-/]", token) if part)
        words.append(expanded or token)
    return " ".join(re.sub(r"[^\w ]", " ", " ".join(words)).split())


def folded_name_key(text: str) -> str:
    return fold(name_key(text))


@dataclass
class Addressee:
    """One external or internal addressee after expansion: an address-book entry or a line as written."""

    name: str
    organization: Organization | None = None
    line: str = ""       # the recipient line it came from
    note: str = ""       # "(báo cáo)"
    group: str = ""      # the group it was expanded from
    copies: int = 1

    @property
    def address(self) -> str:
        return self.organization.address if self.organization else ""

    @property
    def is_internal(self) -> bool:
        return bool(self.organization and self.organization.is_internal)


@dataclass
class Line:
    """One "Nơi nhận" line and what it was matched to."""

    text: str
    kind: str                      # internal | same_as_above | org | group | unmatched
    how: str = ""                  # exact | fuzzy ("fuzzy" is only a suggestion until confirmed)
    score: float = 0.0
    name: str = ""                 # the line without bullet, note and punctuation
    note: str = ""
    organization: Organization | None = None
    group: AddressGroup | None = None
    suggestion: Organization | AddressGroup | None = None
    addressees: list[Addressee] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return self.kind == "unmatched"


@dataclass
class Resolution:
    lines: list[Line]

    @property
    def addressees(self) -> list[Addressee]:
        """Every addressee once, in the order of the lines (a group's members in the group's order)."""
        seen: set = set()
        out: list[Addressee] = []
        for line in self.lines:
            for addressee in line.addressees:
                key = ("org", addressee.organization.id) if addressee.organization else ("text", name_key(addressee.name))
                if key not in seen:
                    seen.add(key)
                    out.append(addressee)
        return out

    @property
    def external(self) -> list[Addressee]:
        """Those who get a copy by mail: an envelope each."""
        return [a for a in self.addressees if not a.is_internal]

    @property
    def internal_lines(self) -> list[Line]:
        return [line for line in self.lines if line.kind == "internal"]

    @property
    def flagged(self) -> list[Line]:
        return [line for line in self.lines if line.flagged]


class AddressBook:
    """The address book loaded once, with its keys, for matching many lines."""

    def __init__(self, db: Session):
        self.organizations = list(db.scalars(select(Organization).order_by(Organization.name)))
        self.groups = list(db.scalars(select(AddressGroup).order_by(AddressGroup.name)))
        self.exact: dict[str, Organization | AddressGroup] = {}
        self.folded: list[tuple[str, Organization | AddressGroup]] = []
        self._memo: dict[str, tuple] = {}
        # Groups first: where a group and an organization share a name, the organization wins.
        for entry in [*self.groups, *self.organizations]:
            names = [entry.name, *entry.alias_list]
            if isinstance(entry, Organization) and entry.short_name:
                names.append(entry.short_name)
            for name in names:
                key = name_key(strip_line(name)[0])
                if key:
                    self.exact[key] = entry
                    self.folded.append((fold(key), entry))

    def lookup(self, name: str) -> tuple[Organization | AddressGroup | None, str, float]:
        key = name_key(name)
        if key not in self._memo:  # registers repeat the same lines thousands of times
            self._memo[key] = self._lookup(key)
        return self._memo[key]

    def _lookup(self, key: str) -> tuple[Organization | AddressGroup | None, str, float]:
        if not key:
            return None, "", 0.0
        if key in self.exact:
            return self.exact[key], "exact", 1.0
        folded = fold(key)
        best, best_score = None, 0.0
        words = set(folded.split())
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(folded)
        for candidate_key, entry in self.folded:
            if not words & set(candidate_key.split()):
                continue
            matcher.set_seq1(candidate_key)
            # cheap upper bounds first: most candidates cannot beat the best so far
            floor = max(best_score, FUZZY_THRESHOLD * 0.9)
            if matcher.real_quick_ratio() <= floor or matcher.quick_ratio() <= floor:
                continue
            score = matcher.ratio()
            if score > best_score:
                best, best_score = entry, score
        if best is not None and best_score >= FUZZY_THRESHOLD:
            return best, "fuzzy", round(best_score, 3)
        return None, "", round(best_score, 3)

    def match_line(self, text: str, kinh_gui: list[str] | None = None) -> Line:
        name, note = strip_line(text)
        if _INTERNAL_RE.match(name):
            return Line(text=text, kind="internal", name=name, note=note)
        if _SAME_AS_ABOVE_RE.match(name):
            line = Line(text=text, kind="same_as_above", how="exact", name=name, note=note)
            for addressee in kinh_gui or []:
                line.addressees.extend(self.match_line(addressee).addressees)
            if not line.addressees:
                line.kind = "unmatched"  # "Như trên" in a document that names no one after "Kính gửi"
            return line
        entry, how, score = self.lookup(name)
        if how == "exact":
            if isinstance(entry, AddressGroup):
                return Line(text=text, kind="group", how=how, score=score, name=name, note=note, group=entry,
                            addressees=[Addressee(o.name, o, text, note, entry.name) for o in entry.members])
            return Line(text=text, kind="org", how=how, score=score, name=name, note=note, organization=entry,
                        addressees=[Addressee(entry.name, entry, text, note)])
        line = Line(text=text, kind="unmatched", how=how, score=score, name=name, note=note, suggestion=entry)
        line.addressees = [Addressee(name, None, text, note)]
        return line


def kinh_gui(text: str) -> list[str]:
    """The addressees named after "Kính gửi" in a document's text (for "Như trên")."""
    lines = text.split("\n")
    for i, raw in enumerate(lines[:400]):
        found = _KINH_GUI_RE.match(raw)
        if not found:
            continue
        out = [found.group(1)] if found.group(1).strip() else []
        for following in lines[i + 1: i + 40]:
            if not following.strip():
                if out:
                    break
                continue
            if not _BULLET_RE.match(following):
                break
            out.append(following)
        return [name for name in (strip_line(item)[0] for item in out) if name]
    return []


def resolve(db: Session, doc, book: AddressBook | None = None) -> Resolution:
    """Match every recipient line of ``doc``."""
    book = book or AddressBook(db)
    addressed = kinh_gui(doc.text or "")
    return Resolution([book.match_line(r.text, addressed) for r in doc.recipients])
