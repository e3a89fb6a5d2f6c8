"""The queries of the badges: which registrations a run prints, how many, what was printed, missing fonts.

`BadgeSelection` is what the badges page, the download and `flask documents badges` choose; these
functions turn it into SQL (column selects and counts, never a row per delegate in Python).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select

from events_app.choices import ParticipantRole, StakeholderGroup, Status
from events_app.documents.fonts import FontReport, font_set
from events_app.extensions import db
from events_app.registration.models import Registration


@dataclass(frozen=True)
class BadgeSelection:
    """Which registrations a badge run prints; the web form and the command line build the same one.

    `registration_id` or `email` picks one delegate (a reprint): the other filters are then ignored,
    and the delegate must be approved (see `services.single_registration`).
    """

    status: Status | None = Status.APPROVED  # None: every status
    role: ParticipantRole | None = None
    group: StakeholderGroup | None = None
    day: date | None = None  # delegates whose arrival and departure dates cover it (or who gave none)
    not_printed: bool = False
    registration_id: int | None = None
    email: str | None = None

    def __post_init__(self):
        # Plain strings from forms and the command line become the model's enums.
        for name, kind in (("status", Status), ("role", ParticipantRole), ("group", StakeholderGroup)):
            value = getattr(self, name)
            object.__setattr__(self, name, kind(value) if value else None)
        object.__setattr__(self, "email", (self.email or "").strip().lower() or None)

    @property
    def single(self) -> bool:
        """Whether this picks one delegate rather than filtering the event's list."""
        return self.registration_id is not None or self.email is not None


@dataclass(frozen=True)
class BadgeOverview:
    """What the badges page says about past runs: approved delegates, how many printed, and when last."""

    approved: int
    printed: int
    last_printed_at: datetime | None


def conditions(event, selection: BadgeSelection) -> list:
    """The WHERE clauses of a selection (one delegate's, or the event's filtered list)."""
    if selection.single:
        if selection.registration_id is not None:
            return [Registration.event_id == event.id, Registration.id == selection.registration_id]
        return [Registration.event_id == event.id, Registration.email == selection.email]
    where = [Registration.event_id == event.id]
    if selection.status:
        where.append(Registration.status == selection.status)
    if selection.role:
        where.append(Registration.participant_role == selection.role)
    if selection.group:
        where.append(Registration.stakeholder_group == selection.group)
    if selection.day:
        where += [or_(Registration.arrival_date.is_(None), Registration.arrival_date <= selection.day),
                  or_(Registration.departure_date.is_(None), Registration.departure_date >= selection.day)]
    if selection.not_printed:
        where.append(Registration.badge_printed_at.is_(None))
    return where


def badge_query(event, selection: BadgeSelection | None = None):
    """The registrations a badge run prints, ordered by their sort name."""
    selection = selection or BadgeSelection()
    return (select(Registration).where(*conditions(event, selection))
            .order_by(Registration.sort_name, Registration.id))


def badge_count(event, selection: BadgeSelection | None = None) -> int:
    """How many badges a run with this selection would print (one COUNT query)."""
    selection = selection or BadgeSelection()
    return db.session.scalar(select(func.count(Registration.id)).where(*conditions(event, selection))) or 0


def badge_overview(event) -> BadgeOverview:
    """Approved delegates, how many of them have a printed badge, and when a badge was last printed."""
    approved, printed, last = db.session.execute(
        select(func.count(Registration.id), func.count(Registration.badge_printed_at),
               func.max(Registration.badge_printed_at))
        .where(Registration.event_id == event.id, Registration.status == Status.APPROVED)
    ).one()
    return BadgeOverview(approved or 0, printed or 0, last)


def font_warnings(event, *, font_dirs=(), system_fonts: bool = True) -> list[str]:
    """Before printing: one sentence per script in the event's active registrations that has no font,
    naming the delegates affected (empty when every script is covered)."""
    fonts = font_set(font_dirs, system=system_fonts)
    report = FontReport()
    rows = db.session.execute(
        select(Registration.full_name, Registration.badge_name, Registration.name_latin, Registration.organisation)
        .where(Registration.event_id == event.id, Registration.status.in_([Status.APPROVED, Status.PENDING]))
    )
    for full_name, badge_name, name_latin, organisation in rows:
        missing = fonts.missing_scripts(" ".join(filter(None, (full_name, badge_name, organisation))))
        if missing:
            report.note_missing(missing, name_latin or full_name)
    return report.warnings
