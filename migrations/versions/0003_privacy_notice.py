"""Each event's own privacy notice and its version (existing events show the default text, version 1).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 07:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('privacy_notice', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('privacy_notice_version', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('privacy_notice_version')
        batch_op.drop_column('privacy_notice')
