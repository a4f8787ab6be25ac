"""Database: the declarative base, engines and the per-app-context session."""

from __future__ import annotations

import datetime as dt
import os

from flask import current_app, g
from sqlalchemy import JSON, DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: DateTime(timezone=True), dict: JSON, list: JSON}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _create_private(path: str | None) -> None:
    """Create the SQLite file readable by its owner only (0600) before SQLite creates it (0644): it holds
    password hashes and confidential text. Its -wal and -shm files take the same mode."""
    if not path or path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets WAL, a busy timeout and enforced foreign keys."""
    if url.startswith("sqlite"):
        _create_private(make_url(url).database)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            # SQLite's lower() knows only ASCII: Python's knows «Ủ» → «ủ», as PostgreSQL's does (filters,
            # unique names compared without case).
            dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

        return engine
    return create_engine(url, pool_pre_ping=True)


def make_sessionmaker(engine: Engine, info: dict | None = None) -> sessionmaker[Session]:
    """Sessions of one app; ``info`` (copied into each Session.info) carries app settings the
    operations need without an app context, e.g. the number series."""
    return sessionmaker(bind=engine, expire_on_commit=False, info=info or {})


def session() -> Session:
    """The session of the current app context (one per request or CLI command)."""
    if "docmgr_session" not in g:
        g.docmgr_session = current_app.extensions["docmgr"].sessionmaker()
    return g.docmgr_session


def close_session(_exc: BaseException | None = None) -> None:
    db_session = g.pop("docmgr_session", None)
    if db_session is not None:
        db_session.close()
