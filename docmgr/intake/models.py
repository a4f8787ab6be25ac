"""A pending intake: a file received and kept, being read or waiting for the clerk to confirm it — not yet a
document (not in the lists, the registers or search)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docmgr.auth.models import User
from docmgr.db import Base, utcnow
from docmgr.documents.models import DIRECTIONS, Document
from docmgr.jobs.models import Job


STATES = {
    "reading": "Đang đọc",
    "read": "Chờ xác nhận",
    "failed": "Không đọc được",
    "refused": "Không nhận (không phải văn bản)",
    "done": "Đã lưu thành văn bản",
    "discarded": "Đã bỏ",
}
PENDING = ("reading", "read", "failed")  # waiting for a worker or for the clerk


class Intake(Base):
    __tablename__ = "intakes"
    search_ignore = True

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))  # the original, kept from the start
    size: Mapped[int]
    direction: Mapped[str] = mapped_column(String(10), default="incoming")
    state: Mapped[str] = mapped_column(String(10), default="reading", index=True)
    reading: Mapped[dict | None]  # docmgr.intake.results.Reading.as_json() once read
    overrides: Mapped[dict] = mapped_column(default=dict)  # fields given with the file (API), over what is read
    auto: Mapped[bool] = mapped_column(default=False)  # make the document as soon as it is read (bulk import)
    source_path: Mapped[str | None] = mapped_column(String(1000))  # where a bulk import found it
    error: Mapped[str | None] = mapped_column(String(1000))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    job: Mapped[Job | None] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship(lazy="joined")
    document: Mapped[Document | None] = relationship()

    @property
    def state_title(self) -> str:
        return STATES.get(self.state, self.state)

    @property
    def direction_title(self) -> str:
        return DIRECTIONS.get(self.direction, self.direction)

    @property
    def pending(self) -> bool:
        return self.state in PENDING
