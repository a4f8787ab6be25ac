"""Case files and the local roles granted on them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docmgr.auth.models import Group, User
from docmgr.db import Base, utcnow


STATUSES = {"open": "Đang mở", "closed": "Đã kết thúc", "archived": "Đã nộp lưu"}
PERMANENT = "Vĩnh viễn"
ARCHIVE_AFTER = dt.timedelta(days=365)  # Điều 30.2.b: within a year of the work's end
ARCHIVE_WARNING = dt.timedelta(days=30)
ARCHIVE_MIN_YEARS = 5  # files kept less than this stay with the unit (Điều 29.4.c, 30)


class CaseFile(Base):
    __tablename__ = "case_files"
    __table_args__ = (UniqueConstraint("year", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("case_files.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))  # số và ký hiệu hồ sơ, "01.TCCB"
    title: Mapped[str] = mapped_column(Text)
    year: Mapped[int]
    retention_years: Mapped[int | None]  # None: Vĩnh viễn
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # người lập
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="open")
    opened_on: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    archived_on: Mapped[dt.date | None] = mapped_column(Date)
    inherit_roles: Mapped[bool] = mapped_column(default=True)  # local roles of the files above apply here
    note: Mapped[str] = mapped_column(Text, default="")
    contents_sha256: Mapped[str | None] = mapped_column(String(64))  # the Mục lục PDF printed at closing
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parent: Mapped[CaseFile | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[CaseFile]] = relationship(back_populates="parent", order_by="CaseFile.code")
    creator: Mapped[User | None] = relationship(foreign_keys=[creator_id], lazy="joined")
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    unit: Mapped[Group | None] = relationship(lazy="joined")
    local_roles: Mapped[list[LocalRole]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                        order_by="LocalRole.id")

    @property
    def retention_title(self) -> str:
        return PERMANENT if self.retention_years is None else f"{self.retention_years} năm"

    @property
    def status_title(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def is_closed(self) -> bool:
        return self.status != "open"

    @property
    def label(self) -> str:
        return f"{self.code} — {self.title} ({self.year})"

    @property
    def goes_to_archive(self) -> bool:
        return self.retention_years is None or self.retention_years >= ARCHIVE_MIN_YEARS

    @property
    def archive_due(self) -> dt.date | None:
        """The last day to hand the file to the agency archive (closed files kept 5 years or more)."""
        if self.status != "closed" or not self.closed_on or not self.goes_to_archive:
            return None
        return self.closed_on + ARCHIVE_AFTER

    def archive_warning(self, today: dt.date) -> bool:
        due = self.archive_due
        return due is not None and today >= due - ARCHIVE_WARNING

    def ancestors(self) -> list[CaseFile]:
        """The files above this one, nearest first (a cycle cannot be saved, but is stopped here too)."""
        out, seen, node = [], {self.id}, self.parent
        while node is not None and node.id not in seen:
            out.append(node)
            seen.add(node.id)
            node = node.parent
        return out

    def path(self) -> list[CaseFile]:
        return [*reversed(self.ancestors()), self]


class LocalRole(Base):
    """A role granted to a user ("user:N") or a unit ("group:N") on a case file and what lies below it."""

    __tablename__ = "local_roles"
    __table_args__ = (UniqueConstraint("case_file_id", "principal", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_file_id: Mapped[int] = mapped_column(ForeignKey("case_files.id", ondelete="CASCADE"), index=True)
    principal: Mapped[str] = mapped_column(String(40), index=True)
    role: Mapped[str] = mapped_column(String(30))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
