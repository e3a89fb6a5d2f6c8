"""The dashboard's numbers for one event: a handful of grouped aggregate statements, whatever its size.

Every count is made by the database (GROUP BY, COUNT … FILTER); Python only arranges the grouped
rows, so the statements and the work per page stay the same at 10 or 10,000 registrations.
"""
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from sqlalchemy import Text, and_, cast, func, literal_column, select, text, true

from events_app.attendance.models import CheckIn
from events_app.choices import LANGUAGE_CODES, Dietary, Gender, StakeholderGroup, Status
from events_app.extensions import db
from events_app.models import UTCDateTime
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


# Needs other than diet and language, each the condition a registration meets when it has it, written as
# the profile index stores it (accessibility compared with a literal '', as in the index) so SQLite reads
# the sums from the index.
NEEDS = {
    "accessibility": Registration.accessibility_needs != literal_column("''"),
    "visa_requested": Registration.needs_visa_letter.is_(true()),
    "visa_released": Registration.visa_letter_released_at.is_not(None),
    "visa_pending": and_(Registration.needs_visa_letter.is_(true()), Registration.visa_letter_released_at.is_(None)),
    "travel_support": Registration.travel_support_requested.is_(true()),
    "accommodation": Registration.accommodation_needed.is_(true()),
}


def event_numbers(event) -> EventNumbers:
    """Count an event's registrations by status, balance, needs, day of registration and day of attendance."""
    statuses, first, last = _statuses_and_span(event.id)
    return EventNumbers(
        statuses=statuses,
        **_profile_counts(event.id),
        registered_per_day=_registered_per_day(event, first, last),
        checked_in_per_day=_checked_in_per_day(event.id),
    )


def _profile_counts(event_id: int) -> dict:
    """Balance, gender, diet, needs and languages of the active registrations, from one pass over them.

    The database groups by status, stakeholder group, country, gender and diet, the order of the
    registrations' profile index, adds up each need in every group and lists the group's languages (JSON
    texts, SEP-joined; PostgreSQL groups by them instead): every column it reads is in that index, so
    SQLite reads neither a row nor sorts.
    Python then adds the groups (a few hundred at most, however many registrations) up for each figure,
    reading each distinct language list once.
    """
    keys = (Registration.status, Registration.stakeholder_group, Registration.country, Registration.gender,
            Registration.dietary)
    spoken = cast(Registration.languages, Text)
    if db.engine.dialect.name == "postgresql":
        # Grouped by the language list too: with string_agg PostgreSQL sorts every row (it expects the
        # lists too big to hash in work_mem), 2-3x the time of hashing them (bench/RESULTS.md).
        sums, keys, listed = [func.count().filter(condition) for condition in NEEDS.values()], (*keys, spoken), None
    else:  # SQLite's comparisons are 0 or 1 already: a plain sum, without a CAST per row
        sums, listed = [func.sum(condition) for condition in NEEDS.values()], func.group_concat(spoken, SEP)
    rows = db.session.execute(
        select(*keys, func.count(), *sums, *([] if listed is None else [listed]))
        .where(Registration.event_id == event_id, Registration.status.in_(ACTIVE))
        .group_by(*keys)
    ).all()
    balance, genders, diets = {}, {}, {}  # each {key: [approved, active]}
    needs = {name: [0, 0] for name in NEEDS}
    lists = (Counter(), Counter())  # how often each language list (JSON text) occurs: approved, active
    for status, group, country, gender, diet, *counts in rows:
        if listed is None:  # PostgreSQL: (..., one list, count, sums)
            text_of_list, total, *sums = counts
        else:  # SQLite: (..., count, sums, every row's list)
            total, *sums, text_of_list = counts
        for side in (0, 1) if status == Status.APPROVED else (1,):
            for tally, key in ((balance, (group, country)), (genders, gender), (diets, diet)):
                tally.setdefault(key, [0, 0])[side] += total
            for tally, count in zip(needs.values(), sums, strict=True):
                tally[side] += count
            if listed is None:
                lists[side][text_of_list] += total
            else:
                lists[side].update(text_of_list.split(SEP))
    languages = {code: [0, 0] for code in LANGUAGE_CODES}
    for side, counted in enumerate(lists):
        for json_text, count in counted.items():  # each distinct list read once
            for code in _codes(json_text):
                if code in languages:
                    languages[code][side] += count
    return {"balance": _as_splits(balance), "genders": _as_splits(genders),
            "diets": _as_splits(diets), "needs": _as_splits(needs), "languages": _as_splits(languages)}


def _codes(text: str | None) -> set[str]:
    """The language codes in a registration's languages (JSON text such as '["km", "en"]'), each once."""
    spoken = json.loads(text) if text else []
    return {code for code in spoken if isinstance(code, str)} if isinstance(spoken, list) else set()


def _as_splits(tallies: dict) -> dict:
    return {key: Split(*counts) for key, counts in tallies.items()}


# Registrations per day: a JSON list of [start, end] pairs, one a day, each counted as a range of
# ix_registrations_event_registered. Plain text, so it is compiled once whatever the number of days.
PER_DAY = {
    "sqlite": text(
        "SELECT CAST(key AS INTEGER), (SELECT count(*) FROM registrations WHERE event_id = :event"
        " AND registered_at >= json_extract(value, '$[0]') AND registered_at < json_extract(value, '$[1]'))"
        " FROM json_each(:days)"),
    "postgresql": text(
        "SELECT n - 1, (SELECT count(*) FROM registrations WHERE event_id = :event"
        " AND registered_at >= CAST(d ->> 0 AS timestamptz) AND registered_at < CAST(d ->> 1 AS timestamptz))"
        " FROM json_array_elements(CAST(:days AS json)) WITH ORDINALITY AS t(d, n)"),
}


def _statuses_and_span(event_id: int) -> tuple[dict[Status, int], datetime | None, datetime | None]:
    """{status: count} (every status, zeros included), and the first and last registration times.

    The times are two look-ups in ix_registrations_event_registered (subqueries run once), so the
    per-day counts need no statement of their own.
    """
    at, mine = Registration.registered_at, Registration.event_id == event_id
    first, last = select(func.min(at)).where(mine).scalar_subquery(), select(func.max(at)).where(mine).scalar_subquery()
    rows = db.session.execute(
        select(Registration.status, func.count(Registration.id), first, last).where(mine).group_by(Registration.status)
    ).all()
    statuses = dict.fromkeys(Status, 0)
    statuses.update({status: count for status, count, _first, _last in rows})
    return statuses, *(rows[0][2:] if rows else (None, None))


def _registered_per_day(event, first: datetime | None, last: datetime | None) -> dict[date, int]:
    """{day in the event's time zone: registrations received that day}, whatever their status now.

    Python turns each local midnight from the first registration's day to the last's into UTC (so a day
    of a summer-time change has its 23 or 25 hours), and the database counts each day as one range of
    ix_registrations_event_registered: no function of every row's time and no sort, however many
    registrations.
    """
    if first is None:
        return {}
    start = first.astimezone(event.tz).date()
    # The times as the column stores them (SQLite: naive UTC text), so the ranges compare like with like.
    dialect = db.engine.dialect
    stored = UTCDateTime().dialect_impl(dialect).bind_processor(dialect) or (lambda value: value)
    midnights = [str(stored(datetime.combine(start + timedelta(days=n), time(), tzinfo=event.tz)))
                 for n in range((last.astimezone(event.tz).date() - start).days + 2)]
    days = json.dumps(list(pairwise(midnights)))
    rows = db.session.execute(PER_DAY[dialect.name], {"event": event.id, "days": days}).all()
    return {start + timedelta(days=n): count for n, count in rows if count}


def _checked_in_per_day(event_id: int) -> dict[date, int]:
    """{event day: check-ins}, counted in ix_checkins_event_day alone (no join to the registrations)."""
    rows = db.session.execute(
        select(CheckIn.day, func.count()).where(CheckIn.event_id == event_id).group_by(CheckIn.day)
    ).all()
    return dict(rows)
