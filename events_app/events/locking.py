"""The event-row lock that capacity and quota decisions are made under."""
from functools import lru_cache

from sqlalchemy import bindparam, select

from events_app.events.models import Event
from events_app.extensions import db


def _locking(query, dialect: str = ""):
    if (dialect or db.session.get_bind().dialect.name) != "sqlite":
        # FOR NO KEY UPDATE: exclusive among lockers, yet inserts whose foreign key points at the
        # event (registrations, outbox rows) need not wait for it.
        query = query.with_for_update(key_share=True)
    return query


def lock_event(event_id: int):
    """Lock the event row for the rest of the transaction and return the event.

    PostgreSQL: SELECT ... FOR NO KEY UPDATE. SQLite: the transaction already holds the write
    lock (see _sqlite_begin), so a plain SELECT is enough.
    """
    query = select(Event).where(Event.id == event_id).execution_options(populate_existing=True)
    return db.session.execute(_locking(query)).scalar_one()


@lru_cache(maxsize=4)
def _version_query(dialect: str):
    # Built once, on the table's columns (cheaper to execute than ORM attributes).
    return _locking(select(Event.__table__.c.updated_at).where(Event.__table__.c.id == bindparam("id")), dialect)


def lock_event_version(event):
    """Lock the event row as lock_event does, reading only its updated_at; returns the event as it is now.

    `event` itself (with the capacity, quotas and questions it holds, e.g. from events.cache) while
    its updated_at is the row's, which any change to the event, a quota or a question bumps; else
    the event read again under the lock (lock_event).
    """
    version = db.session.execute(_version_query(db.session.get_bind().dialect.name), {"id": event.id}).scalar_one()
    if version == event.updated_at:
        return event
    return lock_event(event.id)
