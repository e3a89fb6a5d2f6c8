"""Each process keeps the events its public pages read, checked against the database on every request.

The registration form reads the event (40 columns), its questions and its quotas on every GET and POST.
Here they are loaded once per process and version: every request asks only for the event's id and
updated_at (one small statement); while that is the cached version, the request gets a copy of the
cached event in its own session (Session.merge without loading: no SQL), else it loads the event
again. So an edit is seen by the very next request in every process. A change to a question or a
quota counts as a change of its event (see _touch_events below), so it bumps updated_at too.

The cached instances are never attached to a session, so threads and requests never share one.
"""
from functools import lru_cache

from sqlalchemy import bindparam, select
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, selectinload

from events_app.events.models import Event, Question, Quota
from events_app.extensions import db
from events_app.models import utcnow

MAX_EVENTS = 256  # far more than the events open at once; beyond it the cache starts again
_cache: dict[str, tuple[object, Event]] = {}


def current_event(slug: str) -> Event | None:
    """The event with this slug as it is now, in the current session (None if there is none)."""
    row = db.session.execute(_version_query(), {"slug": slug}).first()
    if row is None:
        return None
    session = db.session()
    if session.identity_map.get(session.identity_key(Event, row.id)) is not None:
        return session.get(Event, row.id)  # this request has it already: the same instance
    cached = _cache.get(slug)
    if cached is None or cached[0] != row.updated_at or cached[1].id != row.id:
        fresh = session.scalars(select(Event).where(Event.id == row.id)
                                .options(selectinload(Event.questions), selectinload(Event.quotas))).one()
        session.expunge(fresh)  # with its questions and quotas (cascade): the cache keeps a detached copy
        if len(_cache) >= MAX_EVENTS:
            _cache.clear()
        cached = (fresh.updated_at, fresh)
        _cache[slug] = cached
    return session.merge(cached[1], load=False)


def cached_event(slug: str) -> Event | None:
    """This process's copy of the event itself, detached and shared by every request (None if not cached).

    Read it, never change it, and never add it, or a new object that refers to it, to a session: it is not
    copied into the request's session (Session.merge of the event with its questions and quotas cost
    ~0.15 ms CPU a POST), so no flush can write it or expire it under another request's feet. Its version
    is not checked: a caller must compare its updated_at with version_of()'s in a statement of its own before
    relying on it (the registration POST does so in its first statement, and writes its rows without
    referring to it: registration.services.register's in_session=False).
    """
    cached = _cache.get(slug)
    return None if cached is None else cached[1]


def version_of():
    """The updated_at of the event whose id is bound as :event_id, as a scalar subquery (a version to compare)."""
    events = Event.__table__
    return select(events.c.updated_at).where(events.c.id == bindparam("event_id")).scalar_subquery()


@lru_cache(maxsize=1)
def _version_query():
    # Built once: building the comparison costs more CPU than SQLAlchemy's compiled cache saves.
    # On the table's columns: an ORM-attribute SELECT costs ~150 us more CPU to execute, for the same row.
    events = Event.__table__
    return select(events.c.id, events.c.updated_at).where(events.c.slug == bindparam("slug"))


def clear() -> None:
    """Forget every cached event (tests that rebuild the database)."""
    _cache.clear()


@sa_event.listens_for(Session, "before_flush")
def _touch_events(session, flush_context, instances) -> None:
    """A question or quota added, changed or removed makes its event's updated_at new, so caches reload it."""
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Question | Quota):
            parent = obj.event if obj.event is not None else session.get(Event, obj.event_id)
            if parent is not None:
                parent.updated_at = utcnow()
