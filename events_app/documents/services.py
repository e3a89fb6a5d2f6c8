"""Document use cases that touch the database: select registrations, render, record what was printed.

The CLI and the workspace (badges page, download, one delegate's reprint) call the same functions
with the same `BadgeSelection`, and commit once afterwards (services never commit). Rows are
streamed from the database into the renderer, so a 10,000-badge run holds only the current page's
badges, not every registration.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from events_app.choices import ParticipantRole, StakeholderGroup, Status
from events_app.documents.badges import RenderReport, render_badges
from events_app.documents.data import badge_data, event_info
from events_app.documents.fonts import FontReport, font_set
from events_app.documents.tickets import render_ticket
from events_app.extensions import db
from events_app.models import utcnow
from events_app.registration.models import Registration

_CHUNK = 500  # rows per database round trip, and ids per UPDATE


class BadgeError(ValueError):
    """A badge run was refused (unknown delegate, not approved, a day outside the event); says why."""


class UnknownDelegate(BadgeError):
    """A reprint names no registration of this event."""


@dataclass(frozen=True)
class BadgeSelection:
    """Which registrations a badge run prints; the web form and the command line build the same one.

    `registration_id` or `email` picks one delegate (a reprint): the other filters are then ignored,
    and the delegate must be approved (see `single_registration`).
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


@dataclass
class BadgeRun:
    """The outcome of a badge run: the render report and how many registrations were marked printed."""

    report: RenderReport
    printed: int


@dataclass(frozen=True)
class BadgeOverview:
    """What the badges page says about past runs: approved delegates, how many printed, and when last."""

    approved: int
    printed: int
    last_printed_at: datetime | None


def _conditions(event, selection: BadgeSelection) -> list:
    if selection.single:
        if selection.registration_id is not None:
            return [Registration.event_id == event.id, Registration.id == selection.registration_id]
        return [Registration.event_id == event.id, Registration.email == selection.email]
    conditions = [Registration.event_id == event.id]
    if selection.status:
        conditions.append(Registration.status == selection.status)
    if selection.role:
        conditions.append(Registration.participant_role == selection.role)
    if selection.group:
        conditions.append(Registration.stakeholder_group == selection.group)
    if selection.day:
        conditions += [or_(Registration.arrival_date.is_(None), Registration.arrival_date <= selection.day),
                       or_(Registration.departure_date.is_(None), Registration.departure_date >= selection.day)]
    if selection.not_printed:
        conditions.append(Registration.badge_printed_at.is_(None))
    return conditions


def check_selection(event, selection: BadgeSelection) -> None:
    """Refuse what cannot be meant: a day outside the event, or a reprint for a delegate without a badge."""
    if selection.day and not selection.single and selection.day not in event.days:
        raise BadgeError(_("%(day)s is not a day of this event.", day=selection.day.isoformat()))
    if selection.single:
        single_registration(event, selection)


def single_registration(event, selection: BadgeSelection) -> Registration:
    """The one delegate a reprint is for; BadgeError if unknown or not approved.

    Only approved delegates get a badge: the check-in desk turns every other status away, so a
    badge for a pending, waitlisted, declined or cancelled delegate would look valid and not work.
    """
    registration = db.session.scalar(select(Registration).where(*_conditions(event, selection)))
    if registration is None:
        who = selection.email or f"#{selection.registration_id}"
        raise UnknownDelegate(_("No delegate %(who)s is registered for this event.", who=who))
    if registration.status != Status.APPROVED:
        raise BadgeError(_("Badges are printed only for approved delegates (the check-in desk admits no one "
                           "else); the registration of %(name)s is “%(status)s”.", name=registration.full_name,
                           status=registration.status.label))
    return registration


def badge_query(event, selection: BadgeSelection | None = None):
    """The registrations a badge run prints, ordered by their sort name."""
    selection = selection or BadgeSelection()
    return (select(Registration).where(*_conditions(event, selection))
            .order_by(Registration.sort_name, Registration.id))


def badge_count(event, selection: BadgeSelection | None = None) -> int:
    """How many badges a run with this selection would print (one COUNT query)."""
    selection = selection or BadgeSelection()
    return db.session.scalar(select(func.count(Registration.id)).where(*_conditions(event, selection))) or 0


def badge_overview(event) -> BadgeOverview:
    """Approved delegates, how many of them have a printed badge, and when a badge was last printed."""
    approved, printed, last = db.session.execute(
        select(func.count(Registration.id), func.count(Registration.badge_printed_at),
               func.max(Registration.badge_printed_at))
        .where(Registration.event_id == event.id, Registration.status == Status.APPROVED)
    ).one()
    return BadgeOverview(approved or 0, printed or 0, last)


def badge_run(event, out: BinaryIO, *, selection: BadgeSelection | None = None, layout: str = "a4-8up",
              cut_marks: bool = False, offset_mm: tuple[float, float] = (0.0, 0.0), record: bool = True,
              font_dirs=None) -> BadgeRun:
    """Render the selected badges into out and (unless record is False) record badge_printed_at.

    BadgeError when the selection cannot be printed (see check_selection); the caller commits.
    """
    selection = selection or BadgeSelection()
    check_selection(event, selection)
    info = event_info(event)
    printed_ids: list[int] = []

    def badges() -> Iterator:
        rows = db.session.scalars(badge_query(event, selection).execution_options(yield_per=_CHUNK))
        for registration in rows:
            printed_ids.append(registration.id)
            yield badge_data(registration, colour_by=info.colour_by)

    if font_dirs is None:
        font_dirs = current_app.config.get("FONT_DIRS", [])
    report = render_badges(info, badges(), out, layout=layout, cut_marks=cut_marks, offset_mm=offset_mm,
                           font_dirs=font_dirs)
    if record and printed_ids:
        now = utcnow()
        for start in range(0, len(printed_ids), _CHUNK):
            chunk = printed_ids[start:start + _CHUNK]
            db.session.execute(
                update(Registration).where(Registration.id.in_(chunk)).values(badge_printed_at=now),
                execution_options={"synchronize_session": False},
            )
        db.session.expire_all()  # loaded rows must not keep a stale badge_printed_at
    db.session.flush()
    return BadgeRun(report, len(printed_ids) if record else 0)


def ticket_pdf(registration: Registration, *, font_dirs=()) -> bytes:
    """The delegate's one-page ticket with the check-in QR (private page and approval email)."""
    event = registration.event
    colour_by = event.badge_colour_by or "participant_role"
    return render_ticket(event_info(event), badge_data(registration, colour_by=colour_by), font_dirs=font_dirs)


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
