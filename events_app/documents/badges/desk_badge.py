"""The check-in desk's badge download: one delegate's badge on a CR80 card that opens to print (card.py).

Posted from the desk (a walk-in, a lost badge) into a new tab: it records the print, so it is a POST (no
link from another site can print). Attendance cannot import documents, which reads its check-ins, so the
desk's form points here rather than calling the renderer.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, url_for
from sqlalchemy import select

from events_app.choices import Status
from events_app.documents.badges.card import render_card_badge
from events_app.documents.data import badge_data, event_info
from events_app.documents.views import bp, log_download, pdf_buffer, send_pdf
from events_app.events.access import TEAM_ROLES, event_view
from events_app.events.models import Event
from events_app.extensions import db
from events_app.models import utcnow
from events_app.registration.models import Registration


@bp.route("/events/<slug>/badges/desk/<int:registration_id>.pdf", methods=["POST"])
@event_view(*TEAM_ROLES)
def desk_badge(event: Event, registration_id: int):
    """The delegate's badge for the desk's card printer, opened in the browser; a POST, as it records the print."""
    registration = db.session.scalar(select(Registration).where(Registration.id == registration_id,
                                                                Registration.event_id == event.id))
    if registration is None:
        abort(404)
    if registration.status != Status.APPROVED:
        # Only approved delegates get a badge: the desk admits no one else.
        flash(f"No badge: the registration of {registration.full_name} is {registration.status.label}.", "error")
        return redirect(url_for("attendance.desk", slug=event.slug), code=303)
    out = pdf_buffer(1024 * 1024)
    info = event_info(event)
    render_card_badge(info, badge_data(registration, colour_by=info.colour_by), out,
                      font_dirs=current_app.config.get("FONT_DIRS", []))
    registration.badge_printed_at = utcnow()
    name = f"badge-{event.slug}-{registration.id}.pdf"
    log_download(event, f"{name} (desk)")  # commits the printed time with the audit entry
    return send_pdf(out, name, as_attachment=False)
