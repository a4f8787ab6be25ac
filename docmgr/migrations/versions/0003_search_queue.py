"""search queue: documents the index must catch up with

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_queue")),
    )
    with op.batch_alter_table("search_queue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_queue_document_id"), ["document_id"], unique=False)


def downgrade() -> None:
    op.drop_table("search_queue")
