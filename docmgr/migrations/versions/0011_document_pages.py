"""document pages: the pages of a scan as OCR read them (lines with boxes, confidence)

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_document_pages_document_id_documents"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_pages")),
        sa.UniqueConstraint("document_id", "number", name=op.f("uq_document_pages_document_id")),
    )
    with op.batch_alter_table("document_pages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_pages_document_id"), ["document_id"], unique=False)


def downgrade() -> None:
    op.drop_table("document_pages")
