"""units (groups of users), case files (hồ sơ) and the local roles granted on them

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op


revision = "0009"
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups')),
    sa.UniqueConstraint('name', name=op.f('uq_groups_name'))
    )
    op.create_table('case_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('retention_years', sa.Integer(), nullable=True),
    sa.Column('creator_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('archived_on', sa.Date(), nullable=True),
    sa.Column('inherit_roles', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('contents_sha256', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_case_files_closed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['creator_id'], ['users.id'], name=op.f('fk_case_files_creator_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['case_files.id'], name=op.f('fk_case_files_parent_id_case_files')),
    sa.ForeignKeyConstraint(['unit_id'], ['groups.id'], name=op.f('fk_case_files_unit_id_groups'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_files')),
    sa.UniqueConstraint('year', 'code', name=op.f('uq_case_files_year'))
    )
    with op.batch_alter_table('case_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_files_parent_id'), ['parent_id'], unique=False)

    op.create_table('group_members',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_members_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'user_id', name=op.f('pk_group_members'))
    )
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_members_user_id'), ['user_id'], unique=False)

    op.create_table('local_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_file_id', sa.Integer(), nullable=False),
    sa.Column('principal', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_file_id'], ['case_files.id'], name=op.f('fk_local_roles_case_file_id_case_files'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_local_roles_granted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_roles')),
    sa.UniqueConstraint('case_file_id', 'principal', 'role', name=op.f('uq_local_roles_case_file_id'))
    )
    with op.batch_alter_table('local_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_local_roles_case_file_id'), ['case_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_local_roles_principal'), ['principal'], unique=False)

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lead_group_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_assignments_lead_group_id'), ['lead_group_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_assignments_lead_group_id_groups'), 'groups', ['lead_group_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('case_file_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('security_rev', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_documents_case_file_id'), ['case_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_unit_id'), ['unit_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_documents_unit_id_groups'), 'groups', ['unit_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_documents_case_file_id_case_files'), 'case_files', ['case_file_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_documents_case_file_id_case_files'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_documents_unit_id_groups'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_documents_unit_id'))
        batch_op.drop_index(batch_op.f('ix_documents_case_file_id'))
        batch_op.drop_column('security_rev')
        batch_op.drop_column('case_file_id')
        batch_op.drop_column('unit_id')

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assignments_lead_group_id_groups'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_assignments_lead_group_id'))
        batch_op.drop_column('lead_group_id')

    with op.batch_alter_table('local_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_local_roles_principal'))
        batch_op.drop_index(batch_op.f('ix_local_roles_case_file_id'))

    op.drop_table('local_roles')
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_members_user_id'))

    op.drop_table('group_members')
    with op.batch_alter_table('case_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_files_parent_id'))

    op.drop_table('case_files')
    op.drop_table('groups')
