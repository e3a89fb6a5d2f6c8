"""Each registration keeps its attendance: the days attended as bits and its count of check-ins, kept by triggers.

registrations.attended_days holds bit i for a check-in on the event's start date + i (i from 0 to 62; a
check-in outside those days sets no bit), registrations.checkin_count the number of its check-ins, so
the CSV export reads both instead of aggregating the check-ins of every row. Triggers on checkins keep
them on every write, whoever makes it (the ORM, SQLite's first-scan INSERT, PostgreSQL's desk_scan, the
desk batch, undo, sessions, walk-ins, imports, a cascade): a check-in adds its bit and 1, its removal takes
them off, a changed day or registration does both. A trigger on events recomputes an event's bits from
its check-ins when its start date moves (the days shift). On PostgreSQL a check-in takes a shared advisory
lock on its event (class ATTENDANCE_LOCK) and a start date change an exclusive one, so a check-in made
during the change is counted with the start date it will be read with. The existing check-ins are
counted in the upgrade. On PostgreSQL registrations gets fillfactor 80 (new pages keep a fifth free), so the
trigger's UPDATE is a HOT update, without new index entries: a scan's CPU was ~25% more without it
(bench/bench_checkin.py; a table filled before the upgrade gains room as its pages are rewritten, e.g. by
VACUUM FULL). registrations only gains columns (ALTER TABLE ... ADD COLUMN; DROP COLUMN on the
way down, SQLite 3.35+): no batch copy, which would lose its expression index (0015). Figures in
bench/RESULTS.md ("CSV export, fourth pass").

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 22:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

PG_FILLFACTOR = 80
ATTENDANCE_LOCK = 17  # pg_advisory_xact_lock's first key (this migration's number); the event's id second

# Frozen here: bit i of a check-in on the event's start date + i (0 <= i <= 62), as PostgreSQL computes it.
PG_BIT = "(CASE WHEN {day} - {start} BETWEEN 0 AND 62 THEN 1::bigint << ({day} - {start}) ELSE 0 END)"
SQLITE_BIT = ("(CASE WHEN julianday({day}) - julianday({start}) BETWEEN 0 AND 62"
              " THEN 1 << CAST(julianday({day}) - julianday({start}) AS INTEGER) ELSE 0 END)")

PG_RECOUNT = """
UPDATE registrations r SET attended_days = a.days, checkin_count = a.n
FROM (SELECT c.registration_id, count(*) AS n, bit_or({bit}) AS days
      FROM checkins c JOIN events e ON e.id = c.event_id {where} GROUP BY c.registration_id) a
WHERE r.id = a.registration_id
""".format(bit=PG_BIT.format(day="c.day", start="e.starts_on"), where="{where}")

PG_FUNCTIONS = """
CREATE FUNCTION checkins_keep_attendance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM pg_advisory_xact_lock_shared({lock}, OLD.event_id);
        UPDATE registrations r SET attended_days = r.attended_days & ~{old_bit}, checkin_count = r.checkin_count - 1
        FROM events e WHERE r.id = OLD.registration_id AND e.id = OLD.event_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM pg_advisory_xact_lock_shared({lock}, NEW.event_id);
        UPDATE registrations r SET attended_days = r.attended_days | {new_bit}, checkin_count = r.checkin_count + 1
        FROM events e WHERE r.id = NEW.registration_id AND e.id = NEW.event_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION events_shift_attendance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({lock}, NEW.id);  -- after the event's check-ins in progress are committed
    UPDATE registrations SET attended_days = 0 WHERE event_id = NEW.id AND attended_days <> 0;
    {recount};
    RETURN NULL;
END
$$;
""".format(lock=ATTENDANCE_LOCK, old_bit=PG_BIT.format(day="OLD.day", start="e.starts_on"),
           new_bit=PG_BIT.format(day="NEW.day", start="e.starts_on"),
           recount=PG_RECOUNT.format(where="WHERE c.event_id = NEW.id").strip())

PG_TRIGGERS = """
CREATE TRIGGER checkins_keep_attendance AFTER INSERT OR DELETE OR UPDATE OF registration_id, event_id, day
    ON checkins FOR EACH ROW EXECUTE FUNCTION checkins_keep_attendance();
CREATE TRIGGER events_shift_attendance AFTER UPDATE OF starts_on ON events
    FOR EACH ROW WHEN (OLD.starts_on IS DISTINCT FROM NEW.starts_on) EXECUTE FUNCTION events_shift_attendance();
"""

SQLITE_TAKE = """
UPDATE registrations SET checkin_count = checkin_count - 1, attended_days = attended_days &
    ~(SELECT {bit} FROM events WHERE id = OLD.event_id) WHERE id = OLD.registration_id;
""".format(bit=SQLITE_BIT.format(day="OLD.day", start="starts_on"))
SQLITE_ADD = """
UPDATE registrations SET checkin_count = checkin_count + 1, attended_days = attended_days |
    (SELECT {bit} FROM events WHERE id = NEW.event_id) WHERE id = NEW.registration_id;
""".format(bit=SQLITE_BIT.format(day="NEW.day", start="starts_on"))
SQLITE_RECOUNT = """
UPDATE registrations SET
    checkin_count = (SELECT count(*) FROM checkins c WHERE c.registration_id = registrations.id),
    attended_days = coalesce((SELECT sum({bit}) FROM checkins c JOIN events e ON e.id = c.event_id
                              WHERE c.registration_id = registrations.id), 0)
WHERE {where}
""".format(bit=SQLITE_BIT.format(day="c.day", start="e.starts_on"), where="{where}")
# sum() is bit_or here: a registration has one check-in a day (unique), so each bit is added once.
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER checkins_attendance_insert AFTER INSERT ON checkins BEGIN {SQLITE_ADD} END",
    f"CREATE TRIGGER checkins_attendance_delete AFTER DELETE ON checkins BEGIN {SQLITE_TAKE} END",
    "CREATE TRIGGER checkins_attendance_update AFTER UPDATE OF registration_id, event_id, day ON checkins"
    f" BEGIN {SQLITE_TAKE} {SQLITE_ADD} END",
    "CREATE TRIGGER events_shift_attendance AFTER UPDATE OF starts_on ON events"
    " WHEN OLD.starts_on IS NOT NEW.starts_on BEGIN "
    + SQLITE_RECOUNT.format(where="event_id = NEW.id") + "; END",
]
SQLITE_NAMES = ["checkins_attendance_insert", "checkins_attendance_delete", "checkins_attendance_update",
                "events_shift_attendance"]


def upgrade():
    op.add_column('registrations', sa.Column('attended_days', sa.BigInteger(), server_default='0', nullable=False))
    op.add_column('registrations', sa.Column('checkin_count', sa.Integer(), server_default='0', nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_RECOUNT.format(where=""))
        op.execute(f"ALTER TABLE registrations SET (fillfactor = {PG_FILLFACTOR})")
        op.execute(PG_FUNCTIONS)
        op.execute(PG_TRIGGERS)
        return
    op.execute(SQLITE_RECOUNT.format(where="id IN (SELECT registration_id FROM checkins)"))
    for trigger in SQLITE_TRIGGERS:
        op.execute(trigger)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER events_shift_attendance ON events")
        op.execute("DROP TRIGGER checkins_keep_attendance ON checkins")
        op.execute("DROP FUNCTION events_shift_attendance()")
        op.execute("DROP FUNCTION checkins_keep_attendance()")
        op.execute("ALTER TABLE registrations RESET (fillfactor)")
        op.drop_column('registrations', 'checkin_count')
        op.drop_column('registrations', 'attended_days')
        return
    for name in SQLITE_NAMES:
        op.execute(f"DROP TRIGGER {name}")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+) keeps the table and its indexes, the expression index too
    op.execute("ALTER TABLE registrations DROP COLUMN checkin_count")
    op.execute("ALTER TABLE registrations DROP COLUMN attended_days")
