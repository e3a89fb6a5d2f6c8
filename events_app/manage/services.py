"""Read models of the workspace: counts for the events index, the filtered delegate list, likely duplicates."""
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, or_, select

from events_app.attendance.models import CheckIn
from events_app.choices import Dietary, Gender, ParticipantRole, StakeholderGroup, Status
from events_app.database import LIKE_ESCAPE, contains_pattern
from events_app.extensions import db
from events_app.registration.models import Registration

PAGE_SIZE = 100
# The list's orders: the form's value -> (column, descending). Ties are broken by Latin name, then id.
SORTS = {
    "name": ("sort_name", False), "-name": ("sort_name", True),
    "organisation": ("organisation", False), "-organisation": ("organisation", True),
    "country": ("country", False), "-country": ("country", True),
    "registered": ("registered_at", False), "-registered": ("registered_at", True),
}
NOT_CHECKED_IN = "none"
ANY_DAY = "any"


@dataclass(frozen=True)
class ListCriteria:
    """Which registrations the list shows (every criterion optional), and in which order."""

    q: str = ""
    status: Status | None = None
    stakeholder_group: StakeholderGroup | None = None
    country: str = ""
    participant_role: ParticipantRole | None = None
    gender: Gender | None = None
    dietary: Dietary | None = None
    needs_visa_letter: bool | None = None
    accessibility_needs: bool | None = None
    badge_printed: bool | None = None
    checked_in: date | str | None = None  # a day, ANY_DAY or NOT_CHECKED_IN
    sort: str = "name"
    search_email: bool = True  # staff search by name and organisation only (email addresses are organisers')


@dataclass(frozen=True)
class DelegatePage:
    """One page of the delegate list and where it sits in the whole."""

    rows: list[Registration]
    total: int
    page: int
    pages: int

    @property
    def first(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def status_counts_by_event(event_ids: list[int]) -> dict[int, dict[Status, int]]:
    """{event id: {status: registrations}} for every listed event, zeros included, in one grouped query."""
    counts = {event_id: dict.fromkeys(Status, 0) for event_id in event_ids}
    rows = db.session.execute(
        select(Registration.event_id, Registration.status, func.count())
        .where(Registration.event_id.in_(event_ids))
        .group_by(Registration.event_id, Registration.status)
    )
    for event_id, status, number in rows:
        counts[event_id][status] = number
    return counts


def matching(event_id: int, criteria: ListCriteria = ListCriteria()) -> Select:
    """A SELECT of the event's registrations that meet every criterion (unordered)."""
    query = select(Registration).where(Registration.event_id == event_id)
    for column in ("status", "stakeholder_group", "country", "participant_role", "gender", "dietary"):
        value = getattr(criteria, column)
        if value:
            query = query.where(getattr(Registration, column) == value)
    if criteria.needs_visa_letter is not None:
        query = query.where(Registration.needs_visa_letter.is_(criteria.needs_visa_letter))
    if criteria.accessibility_needs is not None:
        has_needs = Registration.accessibility_needs != ""
        query = query.where(has_needs if criteria.accessibility_needs else ~has_needs)
    if criteria.badge_printed is not None:
        printed = Registration.badge_printed_at.is_not(None)
        query = query.where(printed if criteria.badge_printed else ~printed)
    if criteria.checked_in:
        query = query.where(_checked_in(criteria.checked_in))
    return _searched(query, criteria.q.strip(), email=criteria.search_email)


def _checked_in(day: date | str):
    """Checked in on that day, on any day, or (NOT_CHECKED_IN) on none."""
    check_ins = select(CheckIn.id).where(CheckIn.registration_id == Registration.id)
    if isinstance(day, date):
        return check_ins.where(CheckIn.day == day).exists()
    return ~check_ins.exists() if day == NOT_CHECKED_IN else check_ins.exists()


def _searched(query: Select, q: str, *, email: bool = True) -> Select:
    if not q:
        return query
    folded, raw = contains_pattern(q.casefold()), contains_pattern(q)
    found = [Registration.sort_name.like(folded, escape=LIKE_ESCAPE),
             Registration.full_name.ilike(raw, escape=LIKE_ESCAPE),
             Registration.organisation.ilike(raw, escape=LIKE_ESCAPE)]
    if email:
        found.append(Registration.email.like(folded, escape=LIKE_ESCAPE))
    return query.where(or_(*found))


def ordered(query: Select, sort: str) -> Select:
    """The query in the list's order (`sort` is a key of SORTS)."""
    column, descending = SORTS[sort]
    first = getattr(Registration, column)
    first = first.desc() if descending else first
    if column == "sort_name":
        # Not "sort_name, sort_name, id": SQLite then sorts every row again instead of reading the name index.
        return query.order_by(first, Registration.id)
    return query.order_by(first, Registration.sort_name, Registration.id)


def count_matching(event_id: int, criteria: ListCriteria) -> int:
    """How many registrations meet the criteria (one statement)."""
    query = matching(event_id, criteria).with_only_columns(Registration.id)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def delegate_list(event_id: int, criteria: ListCriteria = ListCriteria(), *, page: int = 1) -> DelegatePage:
    """One page of an event's registrations that meet the criteria, in their order.

    Two statements whatever the size of the event and the criteria: the count, then the page.
    """
    total = count_matching(event_id, criteria)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        ordered(matching(event_id, criteria), criteria.sort).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    )
    return DelegatePage(list(rows), total, page, pages)


def _name_key(text: str) -> str:
    """A spelling-tolerant key: letters only, accents dropped, word order ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    words = ["".join(c for c in word if c.isalnum() and not unicodedata.combining(c)) for word in decomposed.split()]
    return " ".join(sorted(w for w in words if w))


def _person_keys(full_name: str, name_latin: str, phone: str) -> set[tuple[str, str]]:
    """The keys under which two records may be one person: either name, spelling-tolerant, and the phone."""
    keys = {("name", _name_key(full_name or "")), ("name", _name_key(name_latin or "")), ("phone", phone or "")}
    return {key for key in keys if key[1]}


def _active(event_id: int) -> list[Registration]:
    return list(db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event_id, Registration.status.not_in([Status.CANCELLED, Status.DECLINED]))
        .order_by(Registration.id)
    ))


def likely_duplicates(event_id: int) -> list[list[Registration]]:
    """Groups of active registrations that may be one person: same name in either script
    (across spellings: case, accents, spaces, word order), or the same phone number."""
    rows = _active(event_id)
    parent = {r.id: r.id for r in rows}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple[str, str], int] = {}
    for r in rows:
        for key in _person_keys(r.full_name, r.name_latin, r.phone):
            if key in seen:
                parent[find(r.id)] = find(seen[key])
            else:
                seen[key] = r.id
    groups: dict[int, list[Registration]] = {}
    for r in rows:
        groups.setdefault(find(r.id), []).append(r)
    return [group for group in groups.values() if len(group) > 1]


def likely_existing(event_id: int, rows: list[dict[str, str]]) -> dict[int, list[Registration]]:
    """{spreadsheet row number: active registrations that may be the same person} for rows of a table
    about to be imported (by the same keys as likely_duplicates; one query)."""
    index: dict[tuple[str, str], list[Registration]] = {}
    for registration in _active(event_id):
        for key in _person_keys(registration.full_name, registration.name_latin, registration.phone):
            index.setdefault(key, []).append(registration)
    found = {}
    for number, row in enumerate(rows, start=2):
        keys = _person_keys(row.get("full_name", ""), row.get("name_latin", ""), (row.get("phone") or "").strip())
        matches = {r.id: r for key in keys for r in index.get(key, [])}
        if matches:
            found[number] = sorted(matches.values(), key=lambda r: r.id)
    return found
