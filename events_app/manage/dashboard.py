"""The dashboard's numbers for one event: a handful of grouped aggregate statements, whatever its size.

Every count is made by the database (GROUP BY, COUNT … FILTER); Python only arranges the grouped
rows, so the statements and the work per page stay the same at 10 or 10,000 registrations.
"""
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import Integer, Text, and_, cast, func, select, true

from events_app.attendance.models import CheckIn
from events_app.choices import LANGUAGE_CODES, Dietary, Gender, StakeholderGroup, Status
from events_app.extensions import db
from events_app.registration.capacity import status_counts
from events_app.registration.models import Registration

# Registrations that hold or may still get a place.
ACTIVE = (Status.PENDING, Status.APPROVED, Status.WAITLISTED)
# Joins a group's language lists: a character no JSON text holds unescaped.
SEP = "\x1f"


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
        **_profile_counts(event.id),
        registered_per_day=registered_per_day(event),
        checked_in_per_day=_checked_in_per_day(event.id),
    )


def _profile_counts(event_id: int) -> dict:
    """Balance, gender, diet, needs and languages of the active registrations, from one pass over them.

    The database groups by status, stakeholder group, country, gender and diet, the order of the
    registrations' profile index, so SQLite reads them in that index's order without sorting them; it
    adds up each need in every group and lists the group's languages (JSON texts, SEP-joined). Python then
    adds the groups (a few hundred at most, however many registrations) up for each figure, reading each
    distinct language list once. Grouping by the languages too (not in the index) sorted every row, and 14
    filtered counts a row cost twice these sums (SQLite 15 -> 11 ms at 10,000, bench/RESULTS.md).
    """
    keys = (Registration.status, Registration.stakeholder_group, Registration.country, Registration.gender,
            Registration.dietary)
    spoken = cast(Registration.languages, Text)
    listed = func.string_agg(spoken, SEP) if db.engine.dialect.name == "postgresql" else func.group_concat(spoken, SEP)
    rows = db.session.execute(
        select(*keys, func.count(), *(func.sum(cast(condition, Integer)) for condition in NEEDS.values()), listed)
        .where(Registration.event_id == event_id, Registration.status.in_(ACTIVE))
        .group_by(*keys)
    ).all()
    balance, genders, diets, needs = {}, {}, {}, {}  # each {key: [approved, active]}
    codes: dict[str, set[str]] = {}
    for status, group, country, gender, diet, total, *counts in rows:
        approved = status == Status.APPROVED
        for tally, key in ((balance, (group, country)), (genders, gender), (diets, diet)):
            _add(tally.setdefault(key, [0, 0]), total, approved)
        for name, count in zip(NEEDS, counts[:-1], strict=True):
            _add(needs.setdefault(name, [0, 0]), count, approved)
        for text, count in Counter(counts[-1].split(SEP)).items():
            for code in codes.setdefault(text, _codes(text)):
                _add(needs.setdefault(code, [0, 0]), count, approved)
    return {"balance": _as_splits(balance), "genders": _as_splits(genders), "diets": _as_splits(diets),
            "needs": {name: Split(*needs.get(name, (0, 0))) for name in NEEDS},
            "languages": {code: Split(*needs.get(code, (0, 0))) for code in LANGUAGE_CODES}}


def _codes(text: str | None) -> set[str]:
    """The language codes in a registration's languages (JSON text such as '["km", "en"]'), each once."""
    spoken = json.loads(text) if text else []
    return {code for code in spoken if isinstance(code, str)} if isinstance(spoken, list) else set()


def _add(total: list[int], count: int, approved: bool) -> None:
    """Count `count` registrations in an [approved, active] tally."""
    if approved:
        total[0] += count
    total[1] += count


def _as_splits(tallies: dict) -> dict:
    return {key: Split(*counts) for key, counts in tallies.items()}


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
