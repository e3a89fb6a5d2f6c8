"""The migrations build exactly the schema the models describe, on this test database."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from events_app.extensions import db as _db


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
