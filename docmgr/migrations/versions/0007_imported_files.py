"""imported files: one document per imported file, even with concurrent imports

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imported_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_imported_files_document_id_documents"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_imported_files")),
    )
    with op.batch_alter_table("imported_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_imported_files_document_id"), ["document_id"], unique=False)
    # Files already in the archive count as imported (the first document holding them).
    op.execute("INSERT INTO imported_files (sha256, document_id) "
               "SELECT blob_sha256, MIN(document_id) FROM document_files GROUP BY blob_sha256")


def downgrade() -> None:
    op.drop_table("imported_files")
