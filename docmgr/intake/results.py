"""What reading a file gives a document, kept as JSON between the reading and the confirmation.

A file is read once (in the limited workers, by a background job when it needs OCR); what that gives —
text, fields found, warnings, the pages OCR read, the digital signatures, the searchable PDF (stored) — is
a :class:`Reading`. It waits on the pending intake while the clerk checks the fields, and the document is
made from it: confirming never reads the file again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import mimetypes
from dataclasses import dataclass, field
from pathlib import PurePath

from docmgr.documents.fields import DATE_FIELDS, jsonable
from docmgr.documents.models import Document, DocumentPage, DocumentSignature
from docmgr.documents.operations import NewFile, create_document
from docmgr.extraction import Extracted, Reference, find_references
from docmgr.extraction.edxml import Package
from docmgr.signatures import SignatureInfo


PACKAGE_MIME_TYPE = "application/xml"


def fields_from_extraction(extracted: Extracted) -> dict:
    """The document fields a reading found ("/KH-UBND" for a number left blank, to be stamped at signing)."""
    meta = extracted.metadata
    return {
        "number": meta.number or (f"/{meta.notation}" if meta.notation else None), "doc_type": meta.doc_type,
        "subject": meta.subject, "issued_on": meta.issued_on, "place": meta.place, "issuer": meta.issuer,
        "parent_issuer": meta.parent_issuer, "signer": meta.signer,
        "signer_title": meta.signer_title, "urgency": meta.urgency, "confidentiality": meta.confidentiality,
        "sector": meta.sector, "language": meta.language, "page_count": extracted.read.page_count,
        "recipients": list(meta.recipients),
    }


@dataclass
class Reading:
    mime_type: str
    text: str = ""
    fields: dict = field(default_factory=dict)  # as fields_from_extraction, dates in ISO
    notation: str | None = None
    warnings: list[str] = field(default_factory=list)
    field_warnings: dict = field(default_factory=dict)  # field → what to check (Extracted.field_warnings)
    ocr: dict | None = None  # OcrSummary.as_json() when pages were read by OCR
    pages: list[dict] = field(default_factory=list)  # {number, source, confidence, seconds, lines}
    signatures: list[dict] = field(default_factory=list)  # SignatureInfo.as_json(), in signing order
    derived: list[dict] = field(default_factory=list)  # NewFile of the files made from it (stored)
    references: list[dict] = field(default_factory=list)  # documents its text cites (Reference.as_dict)
    error: str | None = None  # why the file could not be read (then only the original is kept)
    # An edXML package: Package.info() and «files», the NewFile of each attached file (stored), the main first.
    # The text, fields, pages and signatures above are then the main attached file's.
    package: dict | None = None

    @classmethod
    def from_extracted(cls, extracted: Extracted, store, filename: str) -> Reading:
        """Keep what ``extracted`` gives; its searchable PDF is stored in ``store`` now."""
        derived = []
        if extracted.searchable_pdf:
            sha256 = store.put(extracted.searchable_pdf)
            derived.append(dataclasses.asdict(NewFile(sha256, len(extracted.searchable_pdf), "application/pdf",
                                                      f"{PurePath(filename).stem}.ocr.pdf", role="ocr")))
        pages = []
        if extracted.ocr is not None:
            lines: dict[int, list[dict]] = {}
            for line in extracted.lines:
                lines.setdefault(line.page, []).append(line.as_json())
            pages = [{"number": n, "source": "ocr", "confidence": confidence,
                      "seconds": extracted.ocr.page_seconds.get(n), "lines": lines.get(n, [])}
                     for n, confidence in sorted(extracted.ocr.page_confidence.items())]
        fields = fields_from_extraction(extracted)
        package = None
        if extracted.read.package is not None:
            package = _stored_package(extracted.read.package, store)
            fields["due_date"] = extracted.read.package.due_on
            fields["page_count"] = fields["page_count"] or extracted.read.package.page_count
        return cls(
            mime_type=extracted.read.mime_type, text=extracted.read.text,
            fields={k: jsonable(v) for k, v in fields.items()}, package=package,
            notation=extracted.metadata.notation, warnings=list(extracted.warnings),
            field_warnings=extracted.field_warnings,
            ocr=extracted.ocr.as_json() if extracted.ocr is not None else None, pages=pages,
            signatures=[s.as_json() for s in extracted.signatures], derived=derived,
            references=[ref.as_dict() for ref in extracted.metadata.references])

    @classmethod
    def unreadable(cls, filename: str, error: str) -> Reading:
        """A file no reader could read: kept as it is, its metadata to be typed by the clerk."""
        return cls(mime_type=mimetypes.guess_type(filename)[0] or "application/octet-stream",
                   warnings=[f"Không đọc được nội dung tệp: {error}"], error=error)

    def as_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Reading:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def form_fields(self) -> dict:
        """The fields as the confirm form shows them (dates as dates)."""
        return {name: dt.date.fromisoformat(value) if name in DATE_FIELDS and isinstance(value, str) and value
                else value for name, value in self.fields.items()}

    def files(self, main: NewFile) -> list[NewFile]:
        """The document's files: the original, then what was made from it. For an edXML package (``main``),
        the files it carried, the document first, then the package itself as it was received."""
        if self.package is None:
            return [main, *(NewFile(**d) for d in self.derived)]
        package = NewFile(main.sha256, main.size, PACKAGE_MIME_TYPE, main.filename, role="package")
        return [*(NewFile(**d) for d in self.package["files"]), package, *(NewFile(**d) for d in self.derived)]

    def shown_sha256(self, received: str) -> str:
        """The stored file whose pages the confirm form shows: the document a package carried, else the file
        ``received``."""
        main = next((f for f in (self.package or {}).get("files", ()) if f["role"] == "main"), None)
        return main["sha256"] if main is not None else received

    def received_mime_type(self) -> str:
        """The MIME type of the file as received (a package's is XML, its document's may be a PDF)."""
        return PACKAGE_MIME_TYPE if self.package is not None else self.mime_type

    def page_rows(self) -> list[DocumentPage]:
        return [DocumentPage(**page) for page in self.pages]

    def signature_rows(self) -> list[DocumentSignature]:
        return [DocumentSignature(position=position, **dataclasses.asdict(SignatureInfo.from_json(data)))
                for position, data in enumerate(self.signatures)]

    @property
    def signature_infos(self) -> list[SignatureInfo]:
        return [SignatureInfo.from_json(data) for data in self.signatures]

    def reference_list(self, number: str | None) -> list[Reference]:
        """What the text cites, without the document's own number (read again if the clerk changed it); an
        edXML package's documents it answers first, whatever the number."""
        if number == self.fields.get("number"):
            return [_reference(r) for r in self.references]
        answered = [_reference(r) for r in (self.package or {}).get("responds_to", ())]
        numbers = {ref.number for ref in answered}
        return [*answered, *(ref for ref in find_references(self.text, number) if ref.number not in numbers)]


def _reference(data: dict) -> Reference:
    return Reference(data["number"], data.get("doc_type"),
                     dt.date.fromisoformat(data["issued_on"]) if data.get("issued_on") else None)


def _stored_package(package: Package, store) -> dict:
    """The package's attached files put in ``store`` (each once, by its SHA-256), as the reading keeps them:
    the main file first with the role «main», then the others as the package lists them."""
    main = package.main
    ordered = ([main] if main is not None else []) + [a for a in package.attachments if a is not main]
    files = []
    for attachment in ordered:
        sha256 = store.put(attachment.data)
        mime_type = (mimetypes.guess_type(attachment.name)[0] or attachment.content_type
                     or "application/octet-stream")
        files.append(dataclasses.asdict(NewFile(sha256, len(attachment.data), mime_type, attachment.name,
                                                role="main" if attachment is main else attachment.role)))
    return {**package.info(), "files": files}


def create_from_reading(db, reading: Reading, main: NewFile, *, direction: str, fields: dict, user,
                        action: str = "create") -> Document:
    """The document made of a file's reading and the metadata confirmed for it (the caller commits)."""
    return create_document(
        db, direction=direction, fields=fields, user=user, text=reading.text, notation=reading.notation,
        files=reading.files(main), warnings=reading.warnings, references=reading.reference_list(fields.get("number")),
        action=action, pages=reading.page_rows(), signatures=reading.signature_rows())
