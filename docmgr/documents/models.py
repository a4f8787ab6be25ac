"""The document model: metadata, recipient lines, original files, references."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docmgr.auth.models import Group, User
from docmgr.casefiles.models import CaseFile
from docmgr.db import Base, utcnow
from docmgr.signatures import SUMMARIES
from docmgr.workflow.definitions import workflow_for


DIRECTIONS = {"incoming": "Văn bản đến", "outgoing": "Văn bản đi", "internal": "Văn bản nội bộ"}
URGENCIES = ("Khẩn", "Thượng khẩn", "Hỏa tốc")
CONFIDENTIALITIES = ("Mật", "Tối mật", "Tuyệt mật")


LIST_INDEX_COLUMNS = ("direction", "state", "created_by_id", "confidentiality", "unit_id", "case_file_id", "due_date",
                      "arrival_date", "arrival_number", "issued_on", "sequence", "number", "doc_type", "issuer",
                      "signer", "created_at", "updated_at", "id")


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_dup", "number_key", "issuer"),
        # The lists' covering index: every column their filters, permission conditions, sorts and counts read,
        # so a list, a count or a deep page never reads the rows — whose text SQLite keeps in them.
        Index("ix_documents_list", *LIST_INDEX_COLUMNS),
        # Sorting a list by subject (SQLite only: PostgreSQL keeps the text out of the rows and sorts fast
        # without it, and its index entries could not hold the longest subjects).
        Index("ix_documents_subject", "direction", "subject").ddl_if(dialect="sqlite"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(10), index=True)
    number: Mapped[str | None] = mapped_column(String(80))
    number_key: Mapped[str | None] = mapped_column(String(80), index=True)  # text.number_folded_key
    sequence: Mapped[int | None]
    notation: Mapped[str | None] = mapped_column(String(80))
    doc_type: Mapped[str | None] = mapped_column(String(60), index=True)
    doc_type_code: Mapped[str | None] = mapped_column(String(10))
    subject: Mapped[str | None] = mapped_column(Text)
    issued_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    place: Mapped[str | None] = mapped_column(String(120))
    issuer: Mapped[str | None] = mapped_column(String(255), index=True)
    parent_issuer: Mapped[str | None] = mapped_column(String(255))
    signer: Mapped[str | None] = mapped_column(String(120))
    signer_title: Mapped[str | None] = mapped_column(String(255))
    urgency: Mapped[str | None] = mapped_column(String(20))
    confidentiality: Mapped[str | None] = mapped_column(String(20))
    sector: Mapped[str | None] = mapped_column(String(120))
    page_count: Mapped[int | None]
    language: Mapped[str | None] = mapped_column(String(10))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    arrival_number: Mapped[int | None]
    arrival_date: Mapped[dt.date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"), index=True)
    case_file_id: Mapped[int | None] = mapped_column(ForeignKey("case_files.id"), index=True)
    # Bumped when who may see the document changes without the document changing (sharing on its case
    # file): part of the index stamp, so `docmgr index check` sees an entry with the old principals.
    security_rev: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)  # docmgr.workflow
    text: Mapped[str] = mapped_column(Text, default="")
    warnings: Mapped[list] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    recipients: Mapped[list[Recipient]] = relationship(
        order_by="Recipient.position", cascade="all, delete-orphan", lazy="selectin"
    )
    files: Mapped[list[DocumentFile]] = relationship(
        order_by="DocumentFile.position", cascade="all, delete-orphan", lazy="selectin"
    )
    references: Mapped[list[DocumentReference]] = relationship(
        order_by="DocumentReference.position", cascade="all, delete-orphan",
        foreign_keys="DocumentReference.document_id",
    )
    pages: Mapped[list[DocumentPage]] = relationship(  # pages read by OCR (lines, confidence)
        order_by="DocumentPage.number", cascade="all, delete-orphan", passive_deletes=True
    )
    signatures: Mapped[list[DocumentSignature]] = relationship(  # the main file's digital signatures
        order_by="DocumentSignature.position", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def signature_problem(self) -> bool:
        """A digital signature of the main file does not hold (changed after signing, expired, unreadable)."""
        return any(s.summary in ("modified", "expired", "unreadable") for s in self.signatures)

    history: Mapped[list[WorkflowEvent]] = relationship(
        order_by="WorkflowEvent.id", cascade="all, delete-orphan", lazy="selectin"
    )
    assignment: Mapped[Assignment | None] = relationship(cascade="all, delete-orphan", lazy="selectin")
    unit: Mapped[Group | None] = relationship(lazy="joined")
    case_file: Mapped[CaseFile | None] = relationship(lazy="joined")

    @property
    def workflow(self):
        return workflow_for(self.direction)

    @property
    def state_title(self) -> str:
        states = self.workflow.states
        return states[self.state].title if self.state in states else self.state

    @property
    def direction_title(self) -> str:
        return DIRECTIONS.get(self.direction, self.direction)

    @property
    def is_confidential(self) -> bool:
        return bool(self.confidentiality)

    @property
    def year(self) -> int | None:
        return self.issued_on.year if self.issued_on else None

    @property
    def title(self) -> str:
        """One line naming the document: "Kế hoạch 65/KH-UBND"."""
        parts = [self.doc_type or "Văn bản", self.number or (f"…/{self.notation}" if self.notation else "")]
        return " ".join(p for p in parts if p)


class Recipient(Base):
    """One line of the "Nơi nhận" list, in order; "Lưu: …" lines are internal filing lines."""

    __tablename__ = "document_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    @property
    def is_internal(self) -> bool:
        return self.text.lower().startswith("lưu")


class Blob(Base):
    """An original file's bytes, stored once under its SHA-256 (see storage.FileStore)."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    mime_type: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


FILE_ROLES = {"main": "Văn bản chính", "appendix": "Phụ lục", "attachment": "Tài liệu kèm theo",
              "ocr": "Bản có lớp chữ (OCR)", "package": "Gói tin edXML (nguyên gói nhận được)"}
DERIVED_ROLES = frozenset({"ocr"})  # made by docmgr from an original; never an original itself


class DocumentFile(Base):
    __tablename__ = "document_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="main")
    position: Mapped[int] = mapped_column(default=0)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    blob: Mapped[Blob] = relationship(lazy="joined")

    @property
    def role_title(self) -> str:
        return FILE_ROLES.get(self.role, self.role)

    @property
    def is_derived(self) -> bool:
        return self.role in DERIVED_ROLES


class DocumentSignature(Base):
    """A digital signature of a document's main file, as verified when the file was received."""

    __tablename__ = "document_signatures"
    search_ignore = True

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)  # signing order
    field: Mapped[str] = mapped_column(String(255), default="")
    signer: Mapped[str | None] = mapped_column(String(255))  # the certificate's CN
    organization: Mapped[str | None] = mapped_column(String(255))  # O
    signed_at: Mapped[dt.datetime | None]
    intact: Mapped[bool] = mapped_column(default=False)
    covers_whole_file: Mapped[bool] = mapped_column(default=False)
    modified_after: Mapped[str] = mapped_column(String(20), default="none")
    trusted: Mapped[bool] = mapped_column(default=False)
    summary: Mapped[str] = mapped_column(String(20))  # valid | untrusted | expired | modified | unreadable
    error: Mapped[str | None] = mapped_column(String(300))
    checked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def summary_title(self) -> str:
        return SUMMARIES.get(self.summary, self.summary)


class DocumentPage(Base):
    """A page of a document's main file as it was read: by OCR (its lines with their boxes, and how sure
    Tesseract was). The text of the document is composed from these lines; the layout is kept for later
    reading (the extraction reads the header and the closing by their place)."""

    __tablename__ = "document_pages"
    __table_args__ = (UniqueConstraint("document_id", "number"),)
    search_ignore = True  # the document's text is what the index follows

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    source: Mapped[str] = mapped_column(String(10), default="ocr")
    confidence: Mapped[float | None] = mapped_column(Float)  # mean word confidence, 0–100
    seconds: Mapped[float | None] = mapped_column(Float)
    lines: Mapped[list] = mapped_column(default=list)  # [{"page", "box": [x0, y0, x1, y1], "text", "confidence"}]


class DocumentReference(Base):
    """A document cited in this one's text ("Kế hoạch số 65/KH-UBND ngày 20/3/2024")."""

    __tablename__ = "document_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    number: Mapped[str] = mapped_column(String(80))
    number_key: Mapped[str] = mapped_column(String(80), index=True)
    doc_type: Mapped[str | None] = mapped_column(String(60))
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    # Set when the cited document is in the archive (linking comes with search).
    target_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), index=True)


class WorkflowEvent(Base):
    """One transition of a document: what, who, when, why (Phụ lục VI asks for this history)."""

    __tablename__ = "workflow_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    transition: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    comment: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict] = mapped_column(default=dict)  # what the transition set (number, số đến, assignment)
    actor: Mapped[User | None] = relationship(lazy="joined")


class Assignment(Base):
    """Who handles an incoming document (the leader's assignment on the Phiếu giải quyết văn bản đến)."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), unique=True)
    lead_unit: Mapped[str] = mapped_column(String(255))
    lead_group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"), index=True)
    cooperating_units: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    opinion: Mapped[str] = mapped_column(Text, default="")
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    assigned_by: Mapped[User | None] = relationship(lazy="joined")


class NumberSeries(Base):
    """The last number given in a series (outgoing per issuer and year, số đến per year)."""

    __tablename__ = "number_series"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class EditLock(Base):
    """Who is editing a document, until when (taken when the edit form opens, given back on save)."""

    __tablename__ = "edit_locks"
    search_ignore = True  # taking a lock changes nothing the index holds

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    taken_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    user: Mapped[User] = relationship(lazy="joined")


class DocumentVersion(Base):
    """A document as it was after one change: metadata, recipients, text and file list (numbered from 1)."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)
    search_ignore = True  # the document itself is what the index follows

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(default=dict)
    user: Mapped[User | None] = relationship(lazy="joined")


class ImportedFile(Base):
    """A file imported by ``docmgr import``, by its SHA-256: the guard that makes each file one document,
    even when two imports of the same folder run at once (the second one's commit fails and it skips)."""

    __tablename__ = "imported_files"
    search_ignore = True

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
