"""sorting a list by subject, on SQLite (PostgreSQL sorts fast without it, and could not index the longest
subjects)

Revision ID: 0016
Revises: 0015
"""

from alembic import op


revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.create_index("ix_documents_subject", "documents", ["direction", "subject"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_documents_subject", table_name="documents")
