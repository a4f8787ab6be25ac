"""The migrations build exactly the tables the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from docmgr.db import Base
from docmgr.migrations import schema


def test_the_migrations_match_the_models(database_url):
    engine = create_engine(database_url)
    try:
        assert schema.upgrade(engine) == schema.head_revision()
        schema.load_models()
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "include_object": schema.for_dialect(connection.dialect.name)})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
