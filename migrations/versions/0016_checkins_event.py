"""Check-ins carry their registration's event: the dashboard counts an event's check-ins per day from an index.

checkins.event_id is filled from the registrations, then made NOT NULL; the foreign key becomes the pair
(registration_id, event_id) -> registrations (id, event_id), over a new unique index on the pair, so a
check-in cannot name any event but its registration's. ix_checkins_event_day (event, day) gives each
day's count as one range of an index, without the registrations. PostgreSQL's desk_scan function
(0013) now inserts the event it found with the badge. SQLite alters checkins in batch mode (a copy of
that table only; registrations gets an index, never a batch copy, which would lose its expression
index). Figures in bench/RESULTS.md ("Dashboard, third pass").

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

OLD_FK, NEW_FK = 'fk_checkins_registration_id_registrations', 'fk_checkins_registration_event'
# SQLite's batch copy reflects checkins alone, not the tables it refers to (registrations' expression index
# cannot be reflected, and nothing of that table is copied).
REFLECT = {'resolve_fks': False}

# 0013's function, with the event inserted as well ({event_column}, {event_value}); frozen here.
SCAN = """
CREATE OR REPLACE FUNCTION desk_scan(p_code text, p_day date, p_at timestamptz, p_by_user_id integer,
                                     p_method text, p_event_id integer)
RETURNS TABLE (id integer, event_id integer, status varchar, full_name varchar, name_latin varchar,
               organisation varchar, checkin_id integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH found AS (
        SELECT r.id, r.event_id, r.status, r.full_name, r.name_latin, r.organisation
        FROM registrations r WHERE r.checkin_code = p_code
    ), inserted AS (
        INSERT INTO checkins AS c (registration_id, {event_column}day, checked_in_at, by_user_id, method)
        SELECT f.id, {event_value}p_day, p_at, p_by_user_id, p_method FROM found f
        WHERE f.event_id = p_event_id AND f.status = 'approved'
        ON CONFLICT (registration_id, day) DO NOTHING
        RETURNING c.id
    )
    SELECT f.id, f.event_id, f.status, f.full_name, f.name_latin, f.organisation, (SELECT i.id FROM inserted i)
    FROM found f;
END
$$
"""


def upgrade():
    op.create_index('uq_registrations_id_event_id', 'registrations', ['id', 'event_id'], unique=True)
    op.add_column('checkins', sa.Column('event_id', sa.Integer(), nullable=True))
    op.execute("UPDATE checkins SET event_id ="
               " (SELECT r.event_id FROM registrations r WHERE r.id = checkins.registration_id)")
    with op.batch_alter_table('checkins', schema=None, reflect_kwargs=REFLECT) as batch_op:
        batch_op.alter_column('event_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(OLD_FK, type_='foreignkey')
        batch_op.create_foreign_key(NEW_FK, 'registrations', ['registration_id', 'event_id'], ['id', 'event_id'],
                                    ondelete='CASCADE')
        batch_op.create_index('ix_checkins_event_day', ['event_id', 'day'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(SCAN.format(event_column="event_id, ", event_value="f.event_id, "))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(SCAN.format(event_column="", event_value=""))
    with op.batch_alter_table('checkins', schema=None, reflect_kwargs=REFLECT) as batch_op:
        batch_op.drop_index('ix_checkins_event_day')
        batch_op.drop_constraint(NEW_FK, type_='foreignkey')
        batch_op.create_foreign_key(OLD_FK, 'registrations', ['registration_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_column('event_id')
    op.drop_index('uq_registrations_id_event_id', table_name='registrations')
