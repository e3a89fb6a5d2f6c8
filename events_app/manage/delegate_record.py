"""The delegate's record as organisers read it: check-ins, emails sent, logged actions, masked passports."""
from dataclasses import dataclass

from sqlalchemy import select

from events_app.attendance.models import CheckIn
from events_app.audit import services as audit
from events_app.audit.models import AuditEntry
from events_app.choices import VISA_FIELDS
from events_app.extensions import db
from events_app.mail.models import OutboxMessage

MASK = "••••"
HISTORY_ENTRIES = 50


@dataclass(frozen=True)
class DelegateRecord:
    """What the delegate page shows besides the registration's own columns."""

    check_ins: dict  # event day -> CheckIn
    emails: list[OutboxMessage]
    logged: list[AuditEntry]


def record_of(registration, *, full: bool) -> DelegateRecord:
    """Check-ins for everyone; emails and logged actions only for the full record (organisers)."""
    check_ins = {c.day: c for c in db.session.scalars(
        select(CheckIn).where(CheckIn.registration_id == registration.id))}
    if not full:
        return DelegateRecord(check_ins, [], [])
    emails = list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.registration_id == registration.id)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())))
    logged = audit.entries(registration_id=registration.id, page_size=HISTORY_ENTRIES).entries
    return DelegateRecord(check_ins, emails, logged)


def masked(value: str | None, *, field: str) -> str:
    """A passport detail as shown until revealed: the number's last four characters, nothing of the rest."""
    if not value:
        return "—"
    if field == "passport_number" and len(value) > 4:
        return MASK + value[-4:]
    return MASK


def passport_details(registration, *, revealed: bool) -> list[tuple[str, str]]:
    """(field, shown value) for each passport detail, masked unless revealed."""
    return [(field, (getattr(registration, field) or "—") if revealed
             else masked(getattr(registration, field), field=field)) for field in VISA_FIELDS]
