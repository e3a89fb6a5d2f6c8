"""One badge for the check-in desk's card printer (a walk-in, a lost badge): a CR80 page that opens to print.

The badge is the same drawing as every other (render.draw_badge); only the page differs: one card-sized
page, printed at 100% (PrintScaling None) and a print dialog on opening where the viewer allows it.
"""
from __future__ import annotations

from typing import BinaryIO

from flask import abort, current_app, flash, redirect, url_for
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFString
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from events_app.choices import Status
from events_app.database import writes_on_get
from events_app.documents.badges.layouts import get_layout
from events_app.documents.badges.render import draw_badge, logo_image, register_logo
from events_app.documents.data import badge_data, event_info
from events_app.documents.fonts import font_set
from events_app.documents.records import BadgeData, EventInfo
from events_app.documents.views import bp, log_download, pdf_buffer, send_pdf
from events_app.events.access import TEAM_ROLES, event_view
from events_app.events.models import Event
from events_app.extensions import db
from events_app.models import utcnow
from events_app.registration.models import Registration

DESK_LAYOUT = "cr80"
_PRINT_ON_OPEN = "this.print({bUI: true, bSilent: false, bShrinkToFit: false});"


def render_card_badge(event: EventInfo, badge: BadgeData, out: BinaryIO, *, layout: str = DESK_LAYOUT,
                      font_dirs=()) -> None:
    """Write a one-page PDF of one badge, the page the size of the badge, that asks to be printed."""
    lay = get_layout(layout)
    fonts = font_set(font_dirs)
    canv = Canvas(out, pagesize=lay.page_size, pageCompression=1, invariant=1,
                  initialFontName=fonts.base_font(), initialFontSize=8)
    canv.setTitle(f"Badge: {badge.display_name}")
    canv.setCreator("events_app")
    canv.setViewerPreference("PrintScaling", "None")  # a card printer needs 100%, not "fit to page"
    canv.setCatalogEntry("OpenAction", PDFDictionary({"S": PDFName("JavaScript"), "JS": PDFString(_PRINT_ON_OPEN)}))
    logo = register_logo(canv, logo_image(event.logo))
    draw_badge(canv, fonts, event, badge, *lay.cells()[0], logo=logo)
    canv.showPage()
    canv.save()


@bp.route("/events/<slug>/badges/desk/<int:registration_id>.pdf")
@event_view(*TEAM_ROLES)
@writes_on_get
def desk_badge(event: Event, registration_id: int):
    """The delegate's badge for the desk's card printer, opened in the browser (records it as printed)."""
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
