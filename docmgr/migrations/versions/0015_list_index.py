"""the lists' covering index: filters, permission conditions, sorts and counts of a list read from it alone

Revision ID: 0015
Revises: 0014
"""

from alembic import op


revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

COLUMNS = ["direction", "state", "created_by_id", "confidentiality", "unit_id", "case_file_id", "due_date",
           "arrival_date", "arrival_number", "issued_on", "sequence", "number", "doc_type", "issuer", "signer",
           "created_at", "updated_at", "id"]


def upgrade() -> None:
    op.create_index("ix_documents_list", "documents", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_documents_list", table_name="documents")
