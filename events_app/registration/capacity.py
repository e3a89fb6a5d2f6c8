"""Counting places: capacity and per-group / per-country quotas, read under the event lock."""
import enum
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from events_app.choices import Status
from events_app.extensions import db
from events_app.registration.models import Registration


class Limit(enum.StrEnum):
    """What can be full: the event's capacity, or a quota by stakeholder group or by country."""

    CAPACITY = "capacity"
    STAKEHOLDER_GROUP = "stakeholder_group"
    COUNTRY = "country"


@dataclass(frozen=True)
class PlaceCheck:
    """Whether a registration would fit, and if not, which limit is full (and for which value)."""

    fits: bool
    full: Limit | None = None
    value: str = ""  # the quota's stakeholder group or country code

    @property
    def reason(self) -> str:
        """Why there is no place, in words for the delegate and the organiser ("" when it fits)."""
        if self.fits:
            return ""
        if self.full == Limit.CAPACITY:
            return _("The event is full.")
        if self.full == Limit.STAKEHOLDER_GROUP:
            return _("The quota for the stakeholder group %(value)s is full.", value=self.value)
        return _("The quota for the country %(value)s is full.", value=self.value)


FITS = PlaceCheck(True)
QUOTA_KINDS = (Limit.STAKEHOLDER_GROUP, Limit.COUNTRY)  # the registration fields a quota can count


def approved_count(event_id: int, **filters) -> int:
    """Approved registrations of the event, optionally for one stakeholder group or country."""
    query = select(func.count(Registration.id)).where(
        Registration.event_id == event_id, Registration.status == Status.APPROVED
    )
    for column, value in filters.items():
        query = query.where(getattr(Registration, column) == value)
    return db.session.scalar(query) or 0


def check_place(event, registration: Registration) -> PlaceCheck:
    """Would this registration hold an approved place within capacity and every quota?

    The registration itself is not counted, so the answer is the same whether it is approved
    already (its details changed) or asking for a place. Call only while holding the event lock
    (events.locking.lock_event), or the answer can be stale. The capacity and every quota this
    registration falls under are counted in one statement.
    """
    mine = [(quota, getattr(registration, quota.kind)) for quota in event.quotas]
    mine = [(quota, value) for quota, value in mine if getattr(value, "value", value) == quota.value]
    if event.capacity is None and not mine:
        return FITS
    params = {"event_id": event.id, "status": Status.APPROVED, "id": registration.id}
    params.update({f"value_{i}": value for i, (_quota, value) in enumerate(mine)})
    query = _taken_query(tuple(quota.kind for quota, _value in mine), registration.id is not None)
    taken = db.session.execute(query, params).one()
    if event.capacity is not None and taken[0] >= event.capacity:
        return PlaceCheck(False, Limit.CAPACITY)
    for (quota, _value), count in zip(mine, taken[1:], strict=True):
        if count >= quota.places:
            return PlaceCheck(False, Limit(quota.kind), str(quota.value))
    return FITS


@lru_cache(maxsize=64)
def _taken_query(kinds: tuple[str, ...], excluding: bool):
    """Approved registrations, then those of each quota's value: built once per shape, on the table's columns."""
    registrations = Registration.__table__
    counts = [func.count(registrations.c.id)]  # the capacity's (unused without one)
    counts += [func.count(registrations.c.id).filter(registrations.c[kind] == bindparam(f"value_{i}"))
               for i, kind in enumerate(kinds)]
    query = select(*counts).where(registrations.c.event_id == bindparam("event_id"),
                                  registrations.c.status == bindparam("status"))
    return query.where(registrations.c.id != bindparam("id")) if excluding else query


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


class PlaceLedger:
    """Places taken at one event, counted once under the event lock, then decided in memory in order.

    For deciding many registrations at once (an import): `take` answers as check_place would for each in
    turn, counting those it lets in. `exclude` are registrations already counted as approved that are
    to be decided again (rows written provisionally approved in this transaction).
    """

    def __init__(self, event, exclude=()):
        self.event = event
        self.quotas = list(event.quotas)
        self.total = approved_count(event.id) - sum(1 for r in exclude if r.status == Status.APPROVED)
        self.by_quota: dict[tuple[str, str], int] = {}
        for kind in {quota.kind for quota in self.quotas}:
            column = getattr(Registration, kind)
            rows = db.session.execute(select(column, func.count(Registration.id)).where(
                Registration.event_id == event.id, Registration.status == Status.APPROVED).group_by(column))
            for value, count in rows:
                self.by_quota[(kind, getattr(value, "value", value))] = count
        for registration in exclude:
            if registration.status == Status.APPROVED:
                for key in self._quota_keys(registration):
                    self.by_quota[key] = self.by_quota.get(key, 0) - 1

    def _quota_keys(self, registration):
        for kind in {quota.kind for quota in self.quotas}:
            mine = getattr(registration, kind)
            yield kind, getattr(mine, "value", mine)

    def take(self, registration) -> PlaceCheck:
        """Would it fit now? If so the place is counted as taken."""
        if self.event.capacity is not None and self.total >= self.event.capacity:
            return PlaceCheck(False, Limit.CAPACITY)
        for quota in self.quotas:
            mine = getattr(registration, quota.kind)
            taken = self.by_quota.get((quota.kind, quota.value), 0)
            if getattr(mine, "value", mine) == quota.value and taken >= quota.places:
                return PlaceCheck(False, Limit(quota.kind), str(quota.value))
        self.total += 1
        for key in self._quota_keys(registration):
            self.by_quota[key] = self.by_quota.get(key, 0) + 1
        return FITS
