"""The workspace at 10,000 delegates: one index for the dashboard's counts and the list's filters.

ix_registrations_event_profile (event, status, stakeholder group, country, gender, diet, registration
time) lets the dashboard's balance and per-day counts and the list's status and group filters read the
index instead of every registration's row. It begins with (event_id, status), so it replaces
ix_registrations_event_status, whose every use it serves. Figures in bench/RESULTS.md.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 09:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

PROFILE = ['event_id', 'status', 'stakeholder_group', 'country', 'gender', 'dietary', 'registered_at']


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_event_profile', PROFILE, unique=False)
        batch_op.drop_index('ix_registrations_event_status')


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_event_status', ['event_id', 'status'], unique=False)
        batch_op.drop_index('ix_registrations_event_profile')
