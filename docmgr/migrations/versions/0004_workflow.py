"""workflow: document states, transition history, assignments, number series

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state", sa.String(length=20), nullable=False, server_default="draft"))
        batch_op.create_index(batch_op.f("ix_documents_state"), ["state"], unique=False)
    # Documents archived before workflows were visible to every account: incoming ones stay so as registered
    # (with or without a số đến), numbered outgoing ones as issued; unnumbered outgoing ones become drafts.
    op.execute("UPDATE documents SET state = CASE "
               "WHEN direction = 'incoming' THEN 'registered' "
               "WHEN number IS NOT NULL AND number <> '' THEN 'issued' ELSE 'draft' END")
    op.create_table(
        "workflow_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("transition", sa.String(length=30), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=False),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_workflow_history_actor_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_workflow_history_document_id_documents"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_history")),
    )
    with op.batch_alter_table("workflow_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workflow_history_document_id"), ["document_id"], unique=False)
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("lead_unit", sa.String(length=255), nullable=False),
        sa.Column("cooperating_units", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assigned_by_id"], ["users.id"],
                                name=op.f("fk_assignments_assigned_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_assignments_document_id_documents"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint("document_id", name=op.f("uq_assignments_document_id")),
    )
    op.create_table(
        "number_series",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "year", name=op.f("pk_number_series")),
    )


def downgrade() -> None:
    op.drop_table("number_series")
    op.drop_table("assignments")
    op.drop_table("workflow_history")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_state"))
        batch_op.drop_column("state")
