"""Users, their global roles, the units (groups) they belong to, and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from docmgr.db import Base, utcnow


group_members = Table(
    "group_members",
    Base.metadata,
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Group(Base):
    """A unit of the agency (phòng, ban): a group of users, a principal for local roles ("group:N")."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)  # "Phòng Tổ chức - Hành chính"
    code: Mapped[str] = mapped_column(String(30), default="")  # "TCHC", used in filing lines and numbers
    description: Mapped[str] = mapped_column(Text, default="")
    members: Mapped[list[User]] = relationship(secondary=group_members, back_populates="groups",
                                               order_by="User.username")

    @property
    def principal(self) -> str:
        return f"group:{self.id}"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    groups: Mapped[list[Group]] = relationship(secondary=group_members, back_populates="members",
                                               lazy="selectin", order_by="Group.name")

    # Set for the request by the login (or the session loader): which login session this is. Flask-Login
    # keeps get_id() in the session cookie and the remember-me cookie, so both name the login session.
    login_key = None  # str: "<login session id>.<secret>"

    @property
    def is_active(self) -> bool:  # flask-login
        return self.active

    def get_id(self) -> str:  # flask-login: never the bare user id, which no logout could ever revoke
        if not self.login_key:
            raise RuntimeError("User.get_id() needs a login session (docmgr.auth.sessions.start).")
        return self.login_key

    @property
    def roles(self) -> set[str]:
        return {r.role for r in self.role_rows}

    @property
    def group_ids(self) -> frozenset[int]:
        return frozenset(g.id for g in self.groups)

    def set_roles(self, roles: set[str]) -> None:
        self.role_rows = [UserRole(role=r) for r in sorted(roles)]

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(30))


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user: Mapped[User] = relationship()

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class LoginSession(Base):
    """One login (a browser's session cookie and its remember-me cookie name it): checked on every request,
    ended by logging out, by "log out everywhere", a password change, or disabling the account. Only the
    SHA-256 of its secret is stored."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
    remember: Mapped[bool] = mapped_column(default=False)
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """One failed login, kept for a while to throttle password guessing (see auth.throttle)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), index=True)  # as typed, lower-cased
    remote_addr: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
