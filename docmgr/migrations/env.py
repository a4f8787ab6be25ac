"""Alembic environment: docmgr runs migrations through docmgr.migrations.schema.upgrade()."""

from alembic import context

from docmgr.db import Base
from docmgr.migrations.schema import for_dialect, load_models


load_models()
connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=for_dialect(connection.dialect.name),
)
with context.begin_transaction():
    context.run_migrations()
