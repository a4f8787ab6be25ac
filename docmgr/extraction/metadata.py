"""text → metadata: the parser for Vietnamese official documents.

It never raises on text it does not understand: it returns what it found,
with None and [] for the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from docmgr import doctypes
from docmgr.extraction.checks import field_warnings
from docmgr.extraction.closing import parse_closing
from docmgr.extraction.header import parse_header, parse_number, type_from_notation
from docmgr.extraction.layout import logical_lines
from docmgr.extraction.names import body_case
from docmgr.extraction.references import Reference, find_references
from docmgr.extraction.webmeta import parse_web_metadata
from docmgr.text import detect_legacy_encoding, is_upper_text


# The keys of `docmgr extract --json`, in order.
JSON_KEYS = (
    "number", "notation", "doc_type", "doc_type_code", "subject", "issued_on", "place", "issuer",
    "parent_issuer", "signer", "signer_title", "recipients", "urgency", "confidentiality",
)
_DMY_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


@dataclass
class Metadata:
    number: str | None = None
    notation: str | None = None
    sequence: int | None = None
    doc_type: str | None = None
    doc_type_code: str | None = None
    subject: str | None = None
    issued_on: dt.date | None = None
    place: str | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    signer: str | None = None
    signer_title: str | None = None
    recipients: list[str] = field(default_factory=list)
    urgency: str | None = None
    confidentiality: str | None = None
    sector: str | None = None
    language: str | None = None
    references: list[Reference] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    field_warnings: dict[str, str] = field(default_factory=dict)  # field → what to check (the confirm form)

    def as_json(self) -> dict:
        """The public JSON shape: exactly :data:`JSON_KEYS`."""
        data = {key: getattr(self, key) for key in JSON_KEYS}
        data["issued_on"] = self.issued_on.isoformat() if self.issued_on else None
        data["recipients"] = list(self.recipients)
        return data


# The header, the signature and the recipients of any real document lie well within
# this many characters; past it a file is a compilation, and parsing all of it would
# cost seconds and a gigabyte of memory for nothing.
SCAN_CHARS = 2_000_000


def extract_metadata(text: str) -> Metadata:
    """Parse an official document's metadata from its text."""
    meta = Metadata()
    if not text or not text.strip():
        meta.field_warnings = field_warnings(meta)
        return meta
    if len(text) > SCAN_CHARS:  # keeps time and memory bounded on huge files
        text = text[:SCAN_CHARS]
        meta.warnings.append(
            f"Văn bản rất dài: siêu dữ liệu và văn bản dẫn chiếu chỉ được đọc trong "
            f"{SCAN_CHARS:,} ký tự đầu (toàn văn vẫn được lưu).".replace(",", ".")
        )
    legacy = detect_legacy_encoding(text)
    if legacy:
        meta.warnings.append(legacy.message)
    meta.language = "vi" if re.search("[ăâđêôơưạ-ỹ]", text[:5000], re.IGNORECASE) else None
    lines = logical_lines(text)
    web = parse_web_metadata(lines)
    header = parse_header(lines, web.end)
    for name in ("number", "notation", "sequence", "doc_type", "doc_type_code", "subject", "issued_on",
                 "place", "issuer", "parent_issuer", "urgency", "confidentiality"):
        setattr(meta, name, getattr(header, name))
    # The closing is looked for from the top of the document: when the header is
    # damaged, its anchor may be found in an appendix after the signature.
    closing = parse_closing(lines, web.end, header.body_start)
    meta.recipients, meta.signer, meta.signer_title = closing.recipients, closing.signer, closing.signer_title
    told = {"issuer": "notation"} if header.issuer_told else {}
    if header.subject_gap:
        told["subject"] = "gap"
    if header.number_read:
        told["number"] = header.number_why
    if closing.prefix_told:
        told["signer_title"] = "prefix"
    elif closing.deputy_told:
        told["signer_title"] = "deputy"
    from_web = _fill_from_web(meta, web.fields)
    if meta.subject and meta.doc_type == "Công văn":
        meta.subject = re.sub(r"^(?:V/v|V/V|Về việc)\.?\s*:?\s*", "", meta.subject)
    meta.references = find_references(text, meta.number)
    meta.field_warnings = field_warnings(meta, from_web, told, {"number": header.number_read})
    return meta


def _fill_from_web(meta: Metadata, fields: dict[str, str]) -> set[str]:
    """A web page's metadata header fills only what the document does not say; returns the fields it filled."""
    filled: set[str] = set()
    if not fields:
        return filled
    if meta.number is None and meta.notation is None and "number" in fields:
        meta.number, meta.notation, meta.sequence = parse_number(fields["number"])
        filled.add("number")
    if meta.issued_on is None and "issued_on" in fields:
        match = _DMY_RE.search(fields["issued_on"])
        if match:
            try:
                meta.issued_on = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
                filled.add("issued_on")
            except ValueError:
                pass
    if meta.doc_type is None:
        found = doctypes.lookup(fields.get("doc_type", "")) or type_from_notation(meta.notation)
        if found:
            meta.doc_type, meta.doc_type_code = found.name, found.code
            filled.add("doc_type")
    if meta.signer is None and fields.get("signer"):
        meta.signer = fields["signer"]
        filled.add("signer")
    if meta.issuer is None and fields.get("issuer"):
        issuer = fields["issuer"]
        meta.issuer = body_case(issuer.upper()) if is_upper_text(issuer) else issuer
        filled.add("issuer")
    meta.sector = fields.get("sector")
    for key in ("urgency", "confidentiality"):
        if getattr(meta, key) is None and fields.get(key):
            setattr(meta, key, fields[key])
            filled.add(key)
    return {name for name in filled if getattr(meta, name)}
