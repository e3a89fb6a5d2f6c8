"""Message-IDs are unique across installations: two fresh databases never give their first messages the same one."""
import re

import flask_migrate
from sqlalchemy import select

from config import TestingConfig
from events_app import create_app
from events_app.extensions import db as _db
from events_app.mail import outbox
from events_app.mail.models import OutboxMessage

MESSAGE_ID = re.compile(r"<[^<>@\s]*[0-9a-f]{32}@mekong\.test>")


def _first_message_ids(tmp_path, name: str) -> list[str]:
    """A new installation (its own SQLite file, migrated from nothing) queues its first two messages."""

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / name}.sqlite"
        MAIL_DEFAULT_SENDER = "Mekong Events <events@mekong.test>"

    app = create_app(Config)
    with app.app_context():
        flask_migrate.upgrade()
        for address in ("first@example.org", "second@example.org"):
            outbox.queue("bulk", recipient=address, subject="Hello", body_text="hi")
        _db.session.commit()
        rows = _db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        ids = [(row.id, row.message_id) for row in rows]
        _db.session.remove()
        _db.engine.dispose()
    assert [row_id for row_id, _ in ids] == [1, 2]  # both start from outbox row 1
    return [message_id for _, message_id in ids]


def test_two_databases_never_share_a_message_id(tmp_path):
    first, reset = _first_message_ids(tmp_path, "network-a"), _first_message_ids(tmp_path, "network-b")

    assert all(MESSAGE_ID.fullmatch(message_id) for message_id in first + reset), first + reset
    assert len(set(first + reset)) == 4
