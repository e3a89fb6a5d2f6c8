"""Use cases for events: create one, find one, list what is open."""
import re
from datetime import date

from sqlalchemy import select

from events_app.events.models import Event
from events_app.extensions import db

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")


class EventError(ValueError):
    """An event could not be created or changed; the message says why."""


class EventNotFound(EventError):
    """No event has this slug."""


def create_event(
    slug: str,
    *,
    title: str,
    starts_on: date,
    ends_on: date,
    capacity: int | None = None,
    approval_required: bool = False,
    invitation_only: bool = False,
    **details,
) -> Event:
    """Create an event, open for registration now; slug rules and date order are checked."""
    if not SLUG_RE.match(slug):
        raise EventError(f"the slug {slug!r} must be 3-64 lower-case letters, digits or hyphens")
    if ends_on < starts_on:
        raise EventError("the event ends before it starts")
    if capacity is not None and capacity < 0:
        raise EventError("the capacity cannot be negative")
    if find_event(slug) is not None:
        raise EventError(f"an event with the slug {slug!r} exists already")
    event = Event(
        slug=slug,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        approval_required=approval_required,
        invitation_only=invitation_only,
        **details,
    )
    db.session.add(event)
    db.session.flush()
    return event


def find_event(slug: str) -> Event | None:
    """The event with this slug, or None."""
    return db.session.scalar(select(Event).where(Event.slug == slug))


def event_by_slug(slug: str) -> Event:
    """The event with this slug, or EventNotFound (commands show its message in one line)."""
    event = find_event(slug)
    if event is None:
        raise EventNotFound(f"no event with the slug {slug!r} (see `flask events list`)")
    return event


def event_or_404(slug: str) -> Event:
    """The event with this slug, or a 404 page (for views)."""
    return db.first_or_404(select(Event).where(Event.slug == slug))


def upcoming_events(today: date) -> list[Event]:
    """Events that have not ended yet, soonest first."""
    return list(db.session.scalars(select(Event).where(Event.ends_on >= today).order_by(Event.starts_on)))


def all_events() -> list[Event]:
    """Every event, newest first."""
    return list(db.session.scalars(select(Event).order_by(Event.starts_on.desc())))
