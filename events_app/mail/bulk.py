"""Organisers' messages to a filtered set of delegates, with placeholders, a preview, and the outbox."""
from dataclasses import dataclass, field

from sqlalchemy import func, select

from events_app.choices import Status
from events_app.extensions import db
from events_app.mail import messages
from events_app.mail.placeholders import PLACEHOLDERS, fill, unknown_placeholders  # noqa: F401 - imported from here
from events_app.mail.render import render_message
from events_app.registration.models import Registration


@dataclass(frozen=True)
class Audience:
    """Which delegates of an event a message goes to; an empty tuple means any."""

    statuses: tuple[str, ...] = (Status.APPROVED.value,)
    stakeholder_groups: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    participant_roles: tuple[str, ...] = ()


@dataclass
class Preview:
    """How many delegates a message reaches, and how it reads for the first few."""

    count: int
    samples: list[tuple[str, str, str]] = field(default_factory=list)  # (full_name, subject, text of the email)


def audience_query(event_id: int, audience: Audience):
    """The registrations a message with this audience goes to, in name order."""
    query = select(Registration).where(Registration.event_id == event_id)
    if audience.statuses:
        query = query.where(Registration.status.in_([Status(s) for s in audience.statuses]))
    if audience.stakeholder_groups:
        query = query.where(Registration.stakeholder_group.in_(audience.stakeholder_groups))
    if audience.countries:
        query = query.where(Registration.country.in_(audience.countries))
    if audience.participant_roles:
        query = query.where(Registration.participant_role.in_(audience.participant_roles))
    return query.order_by(Registration.sort_name, Registration.id)


def count_audience(event_id: int, audience: Audience) -> int:
    """How many delegates the audience holds now."""
    subquery = audience_query(event_id, audience).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(subquery)) or 0


def preview(event, *, subject: str, body: str, audience: Audience, samples: int = 3) -> Preview:
    """The message as the first delegates will read it, and how many will get it; changes nothing.

    Each sample is written as the worker will write it (render_message), from the message not yet queued.
    """
    result = Preview(count=count_audience(event.id, audience))
    for registration in db.session.scalars(audience_query(event.id, audience).limit(samples)):
        written = render_message(messages.bulk_draft(registration, subject=subject, body=body))
        result.samples.append((registration.full_name, written.subject, written.text))
    return result


def send_bulk(event, *, subject: str, body: str, audience: Audience) -> int:
    """Queue the message for every delegate of the audience; flushes, caller commits; returns the count.

    Placeholders are filled when each message is written (render.py), not here.
    """
    count = 0
    for registration in db.session.scalars(audience_query(event.id, audience)):
        messages.bulk(registration, subject=subject, body=body)
        count += 1
    db.session.flush()
    return count
