"""The dashboard's numbers for one event: a handful of grouped aggregate statements, whatever its size.

Every count is made by the database (GROUP BY, COUNT … FILTER); Python only arranges the grouped
rows, so the statements and the work per page stay the same at 10 or 10,000 registrations.
"""
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import String, and_, cast, func, select, true

from events_app.attendance.models import CheckIn
from events_app.choices import LANGUAGE_CODES, Dietary, Gender, StakeholderGroup, Status
from events_app.extensions import db
from events_app.registration.capacity import status_counts
from events_app.registration.models import Registration

# Registrations that hold or may still get a place.
ACTIVE = (Status.PENDING, Status.APPROVED, Status.WAITLISTED)
APPROVED = Registration.status == Status.APPROVED


@dataclass(frozen=True)
class Split:
    """A count among approved delegates and among all active ones (pending, approved, waiting list)."""

    approved: int = 0
    active: int = 0


@dataclass(frozen=True)
class EventNumbers:
    """Everything the dashboard shows, counted; keys are the grouped values (None where not given)."""

    statuses: dict[Status, int]
    balance: dict[tuple[StakeholderGroup, str], Split]
    genders: dict[Gender | None, Split]
    diets: dict[Dietary | None, Split]
    needs: dict[str, Split]
    languages: dict[str, Split]
    registered_per_day: dict[date, int]
    checked_in_per_day: dict[date, int]


# Needs other than diet and language, each the condition a registration meets when it has it.
NEEDS = {
    "accessibility": Registration.accessibility_needs != "",
    "visa_requested": Registration.needs_visa_letter.is_(true()),
    "visa_released": Registration.visa_letter_released_at.is_not(None),
    "visa_pending": and_(Registration.needs_visa_letter.is_(true()), Registration.visa_letter_released_at.is_(None)),
    "travel_support": Registration.travel_support_requested.is_(true()),
    "accommodation": Registration.accommodation_needed.is_(true()),
}


def event_numbers(event) -> EventNumbers:
    """Count an event's registrations by status, balance, needs, day of registration and day of attendance."""
    return EventNumbers(
        statuses=status_counts(event.id),
        balance=_splits(event.id, Registration.stakeholder_group, Registration.country),
        genders=_splits(event.id, Registration.gender),
        diets=_splits(event.id, Registration.dietary),
        **_needs_and_languages(event.id),
        registered_per_day=registered_per_day(event),
        checked_in_per_day=_checked_in_per_day(event.id),
    )


def _splits(event_id: int, *columns) -> dict:
    """{value (or tuple of values): Split} over the active registrations, grouped by the columns."""
    rows = db.session.execute(
        select(*columns, func.count(Registration.id).filter(APPROVED), func.count(Registration.id))
        .where(Registration.event_id == event_id, Registration.status.in_(ACTIVE))
        .group_by(*columns)
    ).all()
    width = len(columns)
    return {(row[0] if width == 1 else tuple(row[:width])): Split(row[width], row[width + 1]) for row in rows}


def _needs_and_languages(event_id: int) -> dict:
    """Each need and interpretation language, approved and active, in one row of conditional counts."""
    # A registration's languages are a JSON list such as ["km", "en"]: its text holds "km" in quotes.
    language_text = cast(Registration.languages, String)
    conditions = {**NEEDS, **{code: language_text.like(f'%"{code}"%') for code in LANGUAGE_CODES}}
    counts = []
    for condition in conditions.values():
        counts += [func.count(Registration.id).filter(and_(condition, APPROVED)),
                   func.count(Registration.id).filter(condition)]
    row = db.session.execute(
        select(*counts).where(Registration.event_id == event_id, Registration.status.in_(ACTIVE))
    ).one()
    splits = {name: Split(row[2 * i], row[2 * i + 1]) for i, name in enumerate(conditions)}
    return {"needs": {name: splits[name] for name in NEEDS},
            "languages": {code: splits[code] for code in LANGUAGE_CODES}}


def registered_per_day(event) -> dict[date, int]:
    """{day in the event's time zone: registrations received that day}, whatever their status now."""
    day = _local_day(event, Registration.registered_at)
    rows = db.session.execute(
        select(day, func.count(Registration.id)).where(Registration.event_id == event.id).group_by(day)
    ).all()
    return {_as_date(value): count for value, count in rows}


def _local_day(event, column):
    if db.engine.dialect.name == "postgresql":
        return func.date(func.timezone(event.timezone, column))
    # SQLite keeps naive UTC text and knows no time zones: shift by the zone's offset on the first
    # day of the event (exact for the region's zones, which keep no summer time).
    offset = event.tz.utcoffset(datetime.combine(event.starts_on, time(12)))
    return func.date(column, f"{int(offset.total_seconds() // 60):+d} minutes")


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _checked_in_per_day(event_id: int) -> dict[date, int]:
    rows = db.session.execute(
        select(CheckIn.day, func.count(CheckIn.id))
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(Registration.event_id == event_id)
        .group_by(CheckIn.day)
    ).all()
    return dict(rows)
