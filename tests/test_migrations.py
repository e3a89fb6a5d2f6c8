"""The migrations build exactly the schema the models describe, on this test database."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

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
