"""Read models of the workspace: counts for the events index, the delegate list, and likely duplicates."""
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from events_app.choices import Status
from events_app.database import LIKE_ESCAPE, contains_pattern
from events_app.extensions import db
from events_app.registration.models import Registration

PAGE_SIZE = 100


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


def delegate_list(event_id: int, *, q: str = "", status: str = "", page: int = 1) -> DelegatePage:
    """One page of an event's registrations by Latin name, optionally searched and filtered.

    Two statements whatever the size of the event: the count, then the page.
    """
    query = select(Registration).where(Registration.event_id == event_id)
    if status:
        query = query.where(Registration.status == Status(status))
    q = q.strip()
    if q:
        folded, raw = contains_pattern(q.casefold()), contains_pattern(q)
        query = query.where(
            or_(
                Registration.sort_name.like(folded, escape=LIKE_ESCAPE),
                Registration.full_name.ilike(raw, escape=LIKE_ESCAPE),
                Registration.email.like(folded, escape=LIKE_ESCAPE),
                Registration.organisation.ilike(raw, escape=LIKE_ESCAPE),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        query.order_by(Registration.sort_name, Registration.id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    )
    return DelegatePage(list(rows), total, page, pages)


def _name_key(text: str) -> str:
    """A spelling-tolerant key: letters only, accents dropped, word order ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    words = ["".join(c for c in word if c.isalnum() and not unicodedata.combining(c)) for word in decomposed.split()]
    return " ".join(sorted(w for w in words if w))


def likely_duplicates(event_id: int) -> list[list[Registration]]:
    """Groups of active registrations that may be one person: same name in either script
    (across spellings: case, accents, spaces, word order), or the same phone number."""
    rows = list(db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event_id, Registration.status.not_in([Status.CANCELLED, Status.DECLINED]))
        .order_by(Registration.id)
    ))
    parent = {r.id: r.id for r in rows}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[str, int] = {}
    for r in rows:
        keys = {("name", _name_key(r.full_name)), ("name", _name_key(r.name_latin or "")), ("phone", r.phone)}
        for key in keys:
            if not key[1]:
                continue
            if key in seen:
                parent[find(r.id)] = find(seen[key])
            else:
                seen[key] = r.id
    groups: dict[int, list[Registration]] = {}
    for r in rows:
        groups.setdefault(find(r.id), []).append(r)
    return [group for group in groups.values() if len(group) > 1]
