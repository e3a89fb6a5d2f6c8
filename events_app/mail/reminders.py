"""Reminders N days before an event: queued once per delegate, never repeated."""
import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from events_app.choices import Status
from events_app.events.models import Event
from events_app.extensions import db
from events_app.mail import messages
from events_app.mail.models import OutboxMessage
from events_app.models import utcnow
from events_app.registration.models import Registration

log = logging.getLogger(__name__)


def queue_due_reminders(*, days: int, now: datetime | None = None) -> int:
    """Queue the `days`-before reminder for approved delegates of events starting within `days` days.

    An event is due when it starts in 1..`days` days, counted in the event's own time zone.
    Each (delegate, days) reminder is recorded by the outbox's unique dedupe key, so running
    this again (or from two processes at once) never sends it twice. Flushes; the caller commits.
    Returns how many reminders were queued.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    now = now or utcnow()
    window_start = (now - timedelta(days=1)).date()
    window_end = (now + timedelta(days=days + 1)).date()
    events = db.session.scalars(
        select(Event).where(Event.starts_on > window_start, Event.starts_on <= window_end)
    ).all()
    queued = 0
    for event in events:
        until = (event.starts_on - event.today(now)).days
        if 0 < until <= days:
            queued += _queue_for_event(event, days=days, starts_in=until)
    return queued


def _queue_for_event(event: Event, *, days: int, starts_in: int) -> int:
    prefix = f"reminder:{days}:"
    already = set(db.session.scalars(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.event_id == event.id,
                                               OutboxMessage.dedupe_key.like(prefix + "%"))
    ))
    delegates = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id, Registration.status == Status.APPROVED)
        .order_by(Registration.id)
    ).all()
    queued = 0
    for registration in delegates:
        if messages.reminder_key(registration.id, days) in already:
            continue
        try:
            with db.session.begin_nested():  # another run got there first: skip, keep the rest
                messages.reminder(registration, days=days, starts_in=starts_in)
        except IntegrityError:
            continue
        queued += 1
    if queued:
        log.info("queued %s reminders (%s days) for event %s", queued, days, event.id)
    return queued
