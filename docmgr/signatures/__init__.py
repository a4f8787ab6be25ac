"""Digital signatures (chữ ký số) of a PDF, read and verified with pyHanko — NĐ 30/2020 Điều 21: the văn thư
checks an incoming electronic document's authenticity and integrity on receipt.

For each signature: who signed (the certificate's CN and O), when (the signed time attribute, else the
signature dictionary's /M), whether the signed bytes still hash to what was signed (intact), whether it
covers the whole file or what was added after it (later signatures, form filling, or a change of content:
pyHanko's difference analysis), whether the certificate was valid at signing time, and whether it chains to
one of the roots the office trusts (``DOCMGR_TRUST_ROOTS``). Nothing is fetched from the network (OCSP,
CRL) unless ``DOCMGR_SIGNATURE_ONLINE`` is on.

:func:`docmgr.signatures.verify.verify_pdf` is pure and takes bytes: the reading pipeline runs it in a
limited worker. A signature that cannot be read gives that signature an error, never a crash. This module
holds what the rest of docmgr needs without loading pyHanko.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass


SUMMARIES = {
    "valid": "hợp lệ",
    "untrusted": "không xác định được nguồn tin cậy",
    "expired": "chứng thư hết hạn",
    "modified": "đã bị sửa sau khi ký",
    "unreadable": "không đọc được",
}
# Words of an organization's name: a certificate whose CN holds one is an agency's seal or a portal's, not
# a person's (the signer of the document is a person).
_ORGANIZATION_RE = re.compile(
    r"\b(ủy ban|uỷ ban|ubnd|hđnd|sở|bộ|cục|tổng cục|văn phòng|công ty|cổng|trung tâm|ban|phòng|chi cục|"
    r"tỉnh|thành phố|huyện|quận|xã|phường|tập đoàn|ngân hàng|trường|viện|bệnh viện|cơ quan)\b", re.IGNORECASE)


@dataclass
class SignatureInfo:
    """One signature of a PDF: ``docmgr extract --json``'s ``signatures`` items."""

    field: str
    signer: str | None
    organization: str | None
    signed_at: dt.datetime | None
    intact: bool
    covers_whole_file: bool
    modified_after: str  # "none" | "later_signatures" | "form_filling" | "content"
    trusted: bool
    summary: str  # a key of SUMMARIES
    error: str | None = None

    @property
    def summary_title(self) -> str:
        return SUMMARIES[self.summary]

    @property
    def is_person(self) -> bool:
        """A person's certificate (the leader who signs), not an agency's seal or a portal's."""
        return bool(self.signer) and not _ORGANIZATION_RE.search(self.signer) and self.signer != self.organization

    def as_json(self) -> dict:
        data = asdict(self)
        data["signed_at"] = self.signed_at.isoformat() if self.signed_at else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> SignatureInfo:
        signed_at = dt.datetime.fromisoformat(data["signed_at"]) if data.get("signed_at") else None
        return cls(**{**data, "signed_at": signed_at})



__all__ = ["SUMMARIES", "SignatureInfo"]
