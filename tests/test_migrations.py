"""The migrations build exactly the schema the models describe, on this test database."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from events_app.extensions import db as _db


# SQLite cannot reflect an index on expressions (the profile index's sums): alembic leaves it out of the
# comparison there, so test_the_profile_index_holds_the_dashboards_sums checks it on both databases.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index:sqlalchemy.exc.SAWarning")
def test_models_and_migrations_agree(db):
    with _db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, _db.metadata)
    assert differences == []


def test_migrations_reach_head(db):
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate

    config = Migrate().get_config(directory="migrations")
    heads = ScriptDirectory.from_config(config).get_heads()
    with _db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    assert len(heads) == 1, "the migrations must have one head"
    assert tuple(current) == tuple(heads)


def test_the_profile_index_holds_the_dashboards_sums(db):
    """The index the migrations build has every column and expression the model declares, in order."""
    if _db.engine.dialect.name == "postgresql":
        sql = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_registrations_event_profile'"
    else:
        sql = "SELECT sql FROM sqlite_master WHERE name = 'ix_registrations_event_profile'"
    definition = _db.session.execute(text(sql)).scalar_one()
    flat = "".join(definition.split()).replace('"', "").lower()
    expected = ["event_id", "status", "stakeholder_group", "country", "gender", "dietary", "registered_at",
                "needs_visa_letter", "travel_support_requested", "accommodation_needed", "visa_letter_released_at",
                "accessibility_needs", "languages"]
    positions = [flat.index(name) for name in expected]
    assert positions == sorted(positions)


def test_migrations_0017_0018_fill_what_they_keep_and_go_down_again(app, db, make_event, make_registration):
    """The way up fills each registration's attendance from its check-ins (and languages' cell); the way down
    removes columns and triggers; neither loses the profile index's expressions (SQLite: no batch copy)."""
    import flask_migrate

    from events_app.attendance.services import check_in
    from tests.attendance_kept import attendance_drift, stored_attendance

    event = make_event()
    first, _second, third = event.days
    came = make_registration(event, status="approved", languages=["km", "en"])
    absent = make_registration(event, status="approved", languages=["lo", "th"])
    check_in(came, day=first)
    check_in(came, day=third)
    _db.session.commit()
    came_id, absent_id = came.id, absent.id
    _db.session.remove()
    flask_migrate.downgrade(revision="0016")
    try:
        with _db.engine.begin() as connection:
            columns = {column["name"] for column in inspect(connection).get_columns("registrations")}
            assert "attended_days" not in columns and "checkin_count" not in columns
            connection.execute(text("DELETE FROM checkins WHERE day = :day"), {"day": first})  # no trigger now
    finally:
        flask_migrate.upgrade()
    with _db.engine.connect() as connection:
        assert attendance_drift(connection) == {}
        stored = stored_attendance(connection)
        languages = dict(connection.execute(text("SELECT id, languages_text FROM registrations")).all())
    assert (stored[came_id], stored[absent_id]) == ((0b100, 1), (0, 0))
    assert (languages[came_id], languages[absent_id]) == ("km en", "lo th"), "0018's cell, filled on the way up"
    test_the_profile_index_holds_the_dashboards_sums(db)
