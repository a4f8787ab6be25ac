"""document signatures: a main file's digital signatures as verified on receipt

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op


revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=255), nullable=False),
        sa.Column("signer", sa.String(length=255), nullable=True),
        sa.Column("organization", sa.String(length=255), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("intact", sa.Boolean(), nullable=False),
        sa.Column("covers_whole_file", sa.Boolean(), nullable=False),
        sa.Column("modified_after", sa.String(length=20), nullable=False),
        sa.Column("trusted", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.String(length=20), nullable=False),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_document_signatures_document_id_documents"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_signatures")),
    )
    with op.batch_alter_table("document_signatures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_signatures_document_id"), ["document_id"], unique=False)


def downgrade() -> None:
    op.drop_table("document_signatures")
