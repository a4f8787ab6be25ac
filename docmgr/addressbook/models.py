"""Organizations (cơ quan, tổ chức), internal units (phòng, ban) and groups of them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docmgr.db import Base, utcnow


KINDS = {"org": "Cơ quan, tổ chức", "unit": "Đơn vị nội bộ"}
CODE_MAX = 35  # mã định danh (Phụ lục VI)

group_members = Table(
    "address_group_members",
    Base.metadata,
    Column("group_id", Integer, ForeignKey("address_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("organization_id", Integer, ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class Organization(Base):
    """An addressee: an outside body (receives mail) or one of the office's own units (hand delivery)."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="org")
    name: Mapped[str] = mapped_column(String(255))
    key: Mapped[str] = mapped_column(String(255), unique=True)  # matching.name_key(name)
    short_name: Mapped[str] = mapped_column(String(120), default="")
    code: Mapped[str] = mapped_column(String(CODE_MAX), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    # Other ways recipient lines name it, one per line; a clerk's confirmed match adds one.
    aliases: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def is_internal(self) -> bool:
        return self.kind == "unit"

    @property
    def alias_list(self) -> list[str]:
        return [a for a in self.aliases.split("\n") if a.strip()]


class AddressGroup(Base):
    """A named list of organizations: "UBND các huyện, thị xã, thành phố" → the district bodies."""

    __tablename__ = "address_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    key: Mapped[str] = mapped_column(String(255), unique=True)
    aliases: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    members: Mapped[list[Organization]] = relationship(
        secondary=group_members, order_by=group_members.c.position, lazy="selectin")

    @property
    def alias_list(self) -> list[str]:
        return [a for a in self.aliases.split("\n") if a.strip()]
