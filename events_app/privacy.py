"""Retention: erase passport details after the event, and old email bodies (PRODUCT.md: collect little, keep less)."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from events_app.choices import VISA_FIELDS
from events_app.events.models import Event
from events_app.extensions import db
from events_app.mail import outbox
from events_app.models import utcnow
from events_app.registration.models import Registration


@dataclass(frozen=True)
class PurgeReport:
    """How much was erased, for the command's one-line summary."""

    passports_erased: int
    emails_blanked: int


def purge(*, visa_days_after_event: int, mail_days: int, now: datetime | None = None) -> PurgeReport:
    """Erase passport details of events that ended `visa_days_after_event` days ago; blank mail sent
    more than `mail_days` ago. Names and attendance stay (certificates and reports need them)."""
    now = now or utcnow()
    ended_before: date = now.date() - timedelta(days=visa_days_after_event)
    registrations = db.session.scalars(
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(Event.ends_on < ended_before, Registration.passport_number.is_not(None))
    ).all()
    for registration in registrations:
        for field in VISA_FIELDS:
            setattr(registration, field, None)
    db.session.flush()
    blanked = outbox.purge_sent(older_than=timedelta(days=mail_days), now=now)
    return PurgeReport(passports_erased=len(registrations), emails_blanked=blanked)
