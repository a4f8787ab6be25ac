"""office settings: the office's name, parent body, place and routing-slip notation, editable without a restart

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op


revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office_settings",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_office_settings_updated_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_office_settings")),
    )


def downgrade() -> None:
    op.drop_table("office_settings")
