"""The event-row lock that capacity and quota decisions are made under."""
from sqlalchemy import select

from events_app.events.models import Event
from events_app.extensions import db


def lock_event(event_id: int):
    """Lock the event row for the rest of the transaction and return the event.

    PostgreSQL: SELECT ... FOR NO KEY UPDATE. SQLite: the transaction already holds the write
    lock (see _sqlite_begin), so a plain SELECT is enough.
    """
    query = select(Event).where(Event.id == event_id).execution_options(populate_existing=True)
    if db.session.get_bind().dialect.name != "sqlite":
        # FOR NO KEY UPDATE: exclusive among lockers, yet inserts whose foreign key points at the
        # event (registrations, outbox rows) need not wait for it.
        query = query.with_for_update(key_share=True)
    return db.session.execute(query).scalar_one()
