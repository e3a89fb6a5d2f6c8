"""Live counts for the desk: expected and checked in on a day or at a session, by stakeholder group and country."""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, or_, select

from events_app.attendance.models import EventSession
from events_app.attendance.services import arrivals
from events_app.choices import StakeholderGroup, Status
from events_app.extensions import db
from events_app.registration.models import Registration


@dataclass
class Tally:
    """Expected (approved) and checked in, for the day or for one group or country."""

    label: str
    key: str
    expected: int = 0
    checked_in: int = 0


@dataclass
class DayCounts:
    """The day's totals and their breakdowns, largest first."""

    day: date
    total: Tally
    groups: list[Tally] = field(default_factory=list)
    countries: list[Tally] = field(default_factory=list)

    def as_json(self, country_name) -> dict:
        """Plain values for desk.js (country names in the reader's language)."""
        return {
            "day": self.day.isoformat(),
            "expected": self.total.expected,
            "checked_in": self.total.checked_in,
            "groups": [[t.label, t.expected, t.checked_in] for t in self.groups],
            "countries": [[country_name(t.key), t.expected, t.checked_in] for t in self.countries],
        }


def live_counts(event, day: date, session: EventSession | None = None) -> DayCounts:
    """One grouped query: every approved delegate, and anyone checked in that day (or session) whatever their status."""
    arrival, joined = arrivals(day, session)
    checked = arrival.id.isnot(None)
    approved = Registration.status == Status.APPROVED
    rows = db.session.execute(
        select(Registration.stakeholder_group, Registration.country,
               func.sum(case((approved, 1), else_=0)), func.count(arrival.id))
        .outerjoin(arrival, joined)
        .where(Registration.event_id == event.id, or_(approved, checked))
        .group_by(Registration.stakeholder_group, Registration.country)
    ).all()
    total = Tally("", "")
    groups: dict[str, Tally] = {}
    countries: dict[str, Tally] = {}
    for group, country, expected, came in rows:
        group = StakeholderGroup(group)
        for tally in (total, groups.setdefault(group.value, Tally(str(group.label), group.value)),
                      countries.setdefault(country, Tally(country, country))):
            tally.expected += int(expected or 0)
            tally.checked_in += int(came or 0)

    def biggest(tallies):
        return sorted(tallies.values(), key=lambda t: (-t.expected, t.label))

    return DayCounts(day, total, biggest(groups), biggest(countries))
