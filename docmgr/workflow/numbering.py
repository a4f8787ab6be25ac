"""Number series of outgoing documents (Điều 15): which series a document's number comes from.

Numbers run from 01 each year, per issuer and series. Every document is in the
common series unless a configured rule puts it in another one. The rules are
``DOCMGR_NUMBER_SERIES``: a list (or its JSON text) of objects, tried in order::

    [{"name": "secret", "title": "Văn bản mật", "confidential": true},
     {"name": "qd", "title": "Quyết định", "doc_types": ["QĐ"]}]

``confidential: true`` matches documents with a độ mật; ``doc_types`` matches type
codes (QĐ, KH, … as in docmgr.doctypes). The default is the decree's one rule: a
separate series for confidential documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from docmgr.errors import SetupError


SESSION_KEY = "docmgr_number_series"  # where a session carries its app's rules (Session.info)


@dataclass(frozen=True)
class Series:
    name: str
    title: str
    confidential: bool | None = None
    doc_types: frozenset[str] = frozenset()

    def matches(self, doc) -> bool:
        if self.confidential is not None and bool(doc.confidentiality) != self.confidential:
            return False
        if self.doc_types and (doc.doc_type_code or "") not in self.doc_types:
            return False
        return True


COMMON = Series("normal", "Số chung")
DEFAULT_RULES = [{"name": "secret", "title": "Văn bản mật", "confidential": True}]


def parse_rules(value) -> tuple[Series, ...]:
    """The configured rules, checked: a clear SetupError names what is wrong."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise SetupError(f"DOCMGR_NUMBER_SERIES is not valid JSON: {exc}") from exc
    if not isinstance(value, (list, tuple)):
        raise SetupError("DOCMGR_NUMBER_SERIES must be a list of series.")
    out, names = [], {COMMON.name}
    for i, rule in enumerate(value):
        if not isinstance(rule, dict):
            raise SetupError(f"DOCMGR_NUMBER_SERIES[{i}] must be an object.")
        unknown = set(rule) - {"name", "title", "confidential", "doc_types"}
        name, title = str(rule.get("name") or "").strip(), str(rule.get("title") or "").strip()
        confidential, doc_types = rule.get("confidential"), rule.get("doc_types") or []
        problem = (f"unknown keys {sorted(unknown)}" if unknown
                   else "needs a name and a title" if not name or not title
                   else f"the name {name!r} is taken" if name in names or "|" in name
                   else "confidential must be true or false" if confidential not in (None, True, False)
                   else "doc_types must be a list of type codes" if not isinstance(doc_types, list)
                   else "needs confidential or doc_types" if confidential is None and not doc_types
                   else None)
        if problem:
            raise SetupError(f"DOCMGR_NUMBER_SERIES[{i}]: {problem}.")
        names.add(name)
        out.append(Series(name, title, confidential, frozenset(str(t) for t in doc_types)))
    return tuple(out)


DEFAULT = parse_rules(DEFAULT_RULES)


def series_for(doc, rules: tuple[Series, ...] = DEFAULT) -> Series:
    return next((rule for rule in rules if rule.matches(doc)), COMMON)
