"""Badge use cases: check a selection, render it, record what was printed; the delegate's ticket.

The CLI and the workspace (badges page, download, one delegate's reprint) call the same functions
with the same `BadgeSelection`, and commit once afterwards (services never commit). Rows are
streamed from the database into the renderer, so a 10,000-badge run holds only the current page's
badges, not every registration. Rendering only reads; `record_printed` is the short write after it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from events_app.choices import Status
from events_app.documents.badges.queries import BadgeSelection, badge_query, conditions
from events_app.documents.badges.render import RenderReport, render_badges
from events_app.documents.badges.ticket_labels import ticket_in_language
from events_app.documents.badges.tickets import render_ticket
from events_app.documents.data import badge_data, event_info
from events_app.extensions import db
from events_app.models import utcnow
from events_app.registration.models import Registration

_CHUNK = 500  # rows per database round trip, and ids per UPDATE


class BadgeError(ValueError):
    """A badge run was refused (unknown delegate, not approved, a day outside the event); says why."""


class UnknownDelegate(BadgeError):
    """A reprint names no registration of this event."""


@dataclass
class BadgeRun:
    """The outcome of a badge run: the render report, whose badges it holds, how many were recorded."""

    report: RenderReport
    registration_ids: list[int] = field(default_factory=list)
    printed: int = 0


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
    registration = db.session.scalar(select(Registration).where(*conditions(event, selection)))
    if registration is None:
        who = selection.email or f"#{selection.registration_id}"
        raise UnknownDelegate(_("No delegate %(who)s is registered for this event.", who=who))
    if registration.status != Status.APPROVED:
        raise BadgeError(_("Badges are printed only for approved delegates (the check-in desk admits no one "
                           "else); the registration of %(name)s is “%(status)s”.", name=registration.full_name,
                           status=registration.status.label))
    return registration


def badge_run(event, out: BinaryIO, *, selection: BadgeSelection | None = None, layout: str = "a4-8up",
              cut_marks: bool = False, offset_mm: tuple[float, float] = (0.0, 0.0), record: bool = True,
              font_dirs=None, progress: Callable[[int], None] | None = None) -> BadgeRun:
    """Render the selected badges into out and (unless record is False) record badge_printed_at.

    `progress(done)` is told how many badges have gone to the renderer so far (a command's progress
    bar, a job's page); the renderer itself knows nothing of it. BadgeError when the selection cannot
    be printed (see check_selection); the caller commits.
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
            if progress is not None:
                progress(len(printed_ids))

    if font_dirs is None:
        font_dirs = current_app.config.get("FONT_DIRS", [])
    report = render_badges(info, badges(), out, layout=layout, cut_marks=cut_marks, offset_mm=offset_mm,
                           font_dirs=font_dirs)
    run = BadgeRun(report, printed_ids)
    if record:
        run.printed = record_printed(printed_ids)
    return run


def record_printed(registration_ids: list[int]) -> int:
    """Stamp badge_printed_at on these registrations (in chunks); returns how many. The caller commits."""
    if not registration_ids:
        return 0
    now = utcnow()
    for start in range(0, len(registration_ids), _CHUNK):
        chunk = registration_ids[start:start + _CHUNK]
        db.session.execute(
            update(Registration).where(Registration.id.in_(chunk)).values(badge_printed_at=now),
            execution_options={"synchronize_session": False},
        )
    db.session.expire_all()  # loaded rows must not keep a stale badge_printed_at
    db.session.flush()
    return len(registration_ids)


def ticket_pdf(registration: Registration, *, font_dirs=()) -> bytes:
    """The delegate's one-page ticket with the check-in QR (private page and approval email).

    In the delegate's language: its labels, the event's dates (Babel), country and role names.
    """
    info, badge, labels = ticket_in_language(registration)
    return render_ticket(info, badge, labels=labels, font_dirs=font_dirs)
