"""The desk's scan as a PostgreSQL function: find the badge and insert the day's check-in, planned once.

PL/pgSQL keeps the plan of its statement for the life of the database connection, so a scan no longer
parses and plans its data-modifying CTE each time (psycopg's own prepared statements are dropped at every
rollback, e.g. when a read-only request hands its connection back to the pool). SQLite: nothing to do.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 12:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# Frozen here: a later change to the scan is a new migration with a new CREATE OR REPLACE.
CREATE = """
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
        INSERT INTO checkins AS c (registration_id, day, checked_in_at, by_user_id, method)
        SELECT f.id, p_day, p_at, p_by_user_id, p_method FROM found f
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
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CREATE)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS desk_scan(text, date, timestamptz, integer, text, integer)")
