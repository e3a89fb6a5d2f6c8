"""The check-in desk: revoked badge codes (lost badges), per-event desk settings (walk-ins), sessions and their check-ins.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'revoked_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('by_user_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_revoked_codes_by_user_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                                name=op.f('fk_revoked_codes_registration_id_registrations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_revoked_codes')),
        sa.UniqueConstraint('code', name=op.f('uq_revoked_codes_code')),
    )
    with op.batch_alter_table('revoked_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revoked_codes_registration_id'), ['registration_id'], unique=False)
    op.create_table(
        'desk_settings',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('walkins_approved', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_desk_settings_event_id_events'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id', name=op.f('pk_desk_settings')),
    )

    op.create_table(
        'event_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_sessions_event_id_events'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_sessions')),
    )
    with op.batch_alter_table('event_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_sessions_event_id'), ['event_id'], unique=False)
    op.create_table(
        'session_checkins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('by_user_id', sa.Integer(), nullable=True),
        sa.Column('method', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_session_checkins_by_user_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                                name=op.f('fk_session_checkins_registration_id_registrations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['session_id'], ['event_sessions.id'],
                                name=op.f('fk_session_checkins_session_id_event_sessions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_session_checkins')),
        sa.UniqueConstraint('registration_id', 'session_id', name=op.f('uq_session_checkins_registration_id_session_id')),
    )
    with op.batch_alter_table('session_checkins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_checkins_session_id'), ['session_id'], unique=False)


def downgrade():
    op.drop_table('session_checkins')
    op.drop_table('event_sessions')
    op.drop_table('desk_settings')
    with op.batch_alter_table('revoked_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revoked_codes_registration_id'))
    op.drop_table('revoked_codes')
