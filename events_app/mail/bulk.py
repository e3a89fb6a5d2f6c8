"""Organisers' messages to a filtered set of delegates, with placeholders, a preview, and the outbox."""
import re
from dataclasses import dataclass, field

from flask_babel import force_locale
from sqlalchemy import func, select

from events_app.choices import Status
from events_app.extensions import db
from events_app.formatting import event_dates
from events_app.mail import messages
from events_app.registration.models import Registration

PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_]+)\}")
PLACEHOLDERS = ("full_name", "badge_name", "name_latin", "honorific", "organisation", "event", "dates",
                "venue", "link", "status")


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
    samples: list[tuple[str, str, str]] = field(default_factory=list)  # (full_name, subject, body)


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders in the text that we cannot fill (typos such as {fullname})."""
    return sorted({name for name in PLACEHOLDER_RE.findall(text or "") if name not in PLACEHOLDERS})


def fill(template: str, registration, *, single_line: bool = False) -> str:
    """Replace the known {placeholders} with this delegate's values (in the language of the email around them).

    Only the names in PLACEHOLDERS are replaced; nothing else in the organiser's text is
    interpreted (no str.format, so no attribute access through braces).
    """
    event = registration.event
    with force_locale(messages.bulk_locale(registration)):
        values = {
            "full_name": registration.full_name,
            "badge_name": registration.display_badge_name,
            "name_latin": registration.name_latin or registration.full_name,
            "honorific": registration.honorific,
            "organisation": registration.organisation,
            "event": event.title,
            "dates": event_dates(event),
            "venue": messages.event_venue(event),
            "link": messages.private_link(registration),
            "status": str(registration.status.label),
        }
    if single_line:
        values = {key: " ".join(str(value).split()) for key, value in values.items()}

    # An empty value takes one space beside it along: "Dear {honorific} {full_name}," for a delegate
    # without a title reads "Dear Sok Dara,", not "Dear  Sok Dara,".
    pieces, position = [], 0
    for match in PLACEHOLDER_RE.finditer(template):
        text, position = template[position:match.start()], match.end()
        if match.group(1) not in values:
            pieces.append(text + match.group(0))
            continue
        value = str(values[match.group(1)])
        if not value and text.endswith(" "):
            text = text[:-1]
        elif not value and template.startswith(" ", position):
            position += 1
        pieces.append(text + value)
    pieces.append(template[position:])
    return "".join(pieces)


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
    """The message as the first delegates will read it, and how many will get it; changes nothing."""
    result = Preview(count=count_audience(event.id, audience))
    for registration in db.session.scalars(audience_query(event.id, audience).limit(samples)):
        result.samples.append((registration.full_name, fill(subject, registration, single_line=True),
                               fill(body, registration)))
    return result


def send_bulk(event, *, subject: str, body: str, audience: Audience) -> int:
    """Queue the message for every delegate of the audience; flushes, caller commits; returns the count."""
    count = 0
    for registration in db.session.scalars(audience_query(event.id, audience)):
        messages.bulk(registration, subject=fill(subject, registration, single_line=True),
                      body=fill(body, registration))
        count += 1
    db.session.flush()
    return count
