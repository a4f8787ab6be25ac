"""address book: organizations, internal units and groups

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("short_name", sa.String(length=120), nullable=False),
        sa.Column("code", sa.String(length=35), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=False),
        sa.Column("email", sa.String(length=120), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("key", name=op.f("uq_organizations_key")),
    )
    op.create_table(
        "address_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address_groups")),
        sa.UniqueConstraint("key", name=op.f("uq_address_groups_key")),
    )
    op.create_table(
        "address_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["address_groups.id"],
                                name=op.f("fk_address_group_members_group_id_address_groups"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"],
                                name=op.f("fk_address_group_members_organization_id_organizations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id", "organization_id", name=op.f("pk_address_group_members")),
    )


def downgrade() -> None:
    op.drop_table("address_group_members")
    op.drop_table("address_groups")
    op.drop_table("organizations")
