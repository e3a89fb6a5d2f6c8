"""Document use cases that touch the database: select registrations, render, record what was printed.

The CLI and the web download call the same function and commit once afterwards (services never
commit). Rows are streamed from the database into the renderer, so a 10,000-badge run holds only
the current page's badges, not every registration.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select, update

from events_app.choices import ParticipantRole, Status
from events_app.documents.badges import RenderReport, render_badges
from events_app.documents.data import badge_data, event_info
from events_app.documents.tickets import render_ticket
from events_app.extensions import db
from events_app.models import utcnow
from events_app.registration.models import Registration

_CHUNK = 500  # rows per database round trip, and ids per UPDATE


@dataclass
class BadgeRun:
    """The outcome of a badge run: the render report and how many registrations were marked printed."""

    report: RenderReport
    printed: int


def badge_query(event, *, status: Status | str | None = Status.APPROVED,
                role: ParticipantRole | str | None = None):
    """The registrations a badge run prints, ordered by their sort name."""
    query = select(Registration).where(Registration.event_id == event.id)
    if status:
        query = query.where(Registration.status == Status(status))
    if role:
        query = query.where(Registration.participant_role == ParticipantRole(role))
    return query.order_by(Registration.sort_name, Registration.id)


def badge_run(event, out: BinaryIO, *, status: Status | str | None = Status.APPROVED,
              role: ParticipantRole | str | None = None, layout: str = "a4-8up", cut_marks: bool = False,
              offset_mm: tuple[float, float] = (0.0, 0.0), record: bool = True, font_dirs=None) -> BadgeRun:
    """Render the badges of an event's registrations into out and (by default) record badge_printed_at."""
    info = event_info(event)
    printed_ids: list[int] = []

    def badges() -> Iterator:
        rows = db.session.scalars(badge_query(event, status=status, role=role).execution_options(
            yield_per=_CHUNK))
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
