"""Counting places: capacity and per-group / per-country quotas, read under the event lock."""
from dataclasses import dataclass

from sqlalchemy import func, select

from events_app.choices import Status
from events_app.extensions import db
from events_app.registration.models import Registration


@dataclass(frozen=True)
class PlaceCheck:
    """Whether a registration would fit, and if not, which limit is full."""

    fits: bool
    full: str = ""  # "capacity", "quota:stakeholder_group:ngo", "quota:country:KH"


def approved_count(event_id: int, **filters) -> int:
    """Approved registrations of the event, optionally for one stakeholder group or country."""
    query = select(func.count(Registration.id)).where(
        Registration.event_id == event_id, Registration.status == Status.APPROVED
    )
    for column, value in filters.items():
        query = query.where(getattr(Registration, column) == value)
    return db.session.scalar(query) or 0


def check_place(event, registration: Registration) -> PlaceCheck:
    """Would approving this registration stay within capacity and every quota?

    Call only while holding the event lock (events.locking.lock_event), or the answer can be stale.
    """
    if event.capacity is not None and approved_count(event.id) >= event.capacity:
        return PlaceCheck(False, "capacity")
    for quota in event.quotas:
        mine = getattr(registration, quota.kind)
        if getattr(mine, "value", mine) != quota.value:
            continue
        if approved_count(event.id, **{quota.kind: mine}) >= quota.places:
            return PlaceCheck(False, f"quota:{quota.kind}:{quota.value}")
    return PlaceCheck(True)


def places_left(event) -> int | None:
    """Free places at the event, or None when it has no capacity limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - approved_count(event.id), 0)


def status_counts(event_id: int) -> dict[Status, int]:
    """{status: count} for one event, every status present (zeros included)."""
    rows = db.session.execute(
        select(Registration.status, func.count(Registration.id))
        .where(Registration.event_id == event_id)
        .group_by(Registration.status)
    ).all()
    counts = {status: 0 for status in Status}
    counts.update({status: count for status, count in rows})
    return counts
