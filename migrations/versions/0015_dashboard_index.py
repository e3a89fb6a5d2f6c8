"""The dashboard at 10,000 delegates: its sums in the profile index, and an index per registration time.

ix_registrations_event_profile gains the columns the dashboard adds up per group (visa letter asked and
released, travel support, accommodation, accessibility given or not, the languages' JSON text), so
SQLite counts every figure from the index without reading a row. ix_registrations_event_registered
(event, registration time) gives each day's count of registrations as one range of the index. Figures
in bench/RESULTS.md ("Workspace at 10,000").

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 15:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

PROFILE = ['event_id', 'status', 'stakeholder_group', 'country', 'gender', 'dietary', 'registered_at']
SUMS = ['needs_visa_letter', 'travel_support_requested', 'accommodation_needed', 'visa_letter_released_at',
        sa.text("(accessibility_needs <> '')"), sa.text('CAST(languages AS TEXT)')]


def upgrade():
    op.drop_index('ix_registrations_event_profile', table_name='registrations')
    op.create_index('ix_registrations_event_profile', 'registrations', PROFILE + SUMS, unique=False)
    op.create_index('ix_registrations_event_registered', 'registrations', ['event_id', 'registered_at'], unique=False)


def downgrade():
    op.drop_index('ix_registrations_event_registered', table_name='registrations')
    op.drop_index('ix_registrations_event_profile', table_name='registrations')
    op.create_index('ix_registrations_event_profile', 'registrations', PROFILE, unique=False)
