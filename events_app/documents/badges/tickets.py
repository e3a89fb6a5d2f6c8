"""A delegate's one-page ticket: event logo, title, dates, venue, name and the badge's check-in QR.

Attached to the approval email and offered on the delegate's private page; a pure function of plain
data, like every renderer here.
"""
from __future__ import annotations

import io

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from events_app.documents.badges.qr import draw_qr
from events_app.documents.badges.render import GREY, INK, logo_image
from events_app.documents.fonts import font_set
from events_app.documents.records import BadgeData, EventInfo
from events_app.documents.text import draw_fitted, fit_text

PAGE_SIZES = {"a4": A4, "a6": A6}


def render_ticket(event: EventInfo, badge: BadgeData, *, page: str = "a4", font_dirs=(),
                  system_fonts: bool = True) -> bytes:
    """Render a one-page ticket PDF (A4 or A6 portrait) and return its bytes."""
    fonts = font_set(font_dirs, system=system_fonts)
    w, h = PAGE_SIZES[page]
    s = w / A4[0]  # everything is designed on A4 and scaled to the page width
    margin = 18 * mm * s
    inner = w - 2 * margin
    out = io.BytesIO()
    canv = Canvas(out, pagesize=(w, h), pageCompression=1, invariant=1, initialFontName=fonts.base_font())
    canv.setTitle(f"Ticket: {event.title}")
    canv.setCreator("events_app")
    centre = w / 2

    def block(text: str, top: float, height: float, size: float, *, bold=False, lines=2, colour=INK,
              min_size=None) -> float:
        if not text:
            return top
        fitted = fit_text(fonts, text, inner, height, max_size=size * s,
                          min_size=(min_size or size * 0.6) * s, max_lines=lines, bold=bold)
        canv.setFillColorRGB(*colour)
        return draw_fitted(canv, fitted, centre, top, align="centre") - 3 * mm * s

    top = h - margin
    logo = logo_image(event.logo)
    if logo is not None:  # centred above the title, aspect kept
        lw, lh = logo.getSize()
        box_w, box_h = 70 * mm * s, 22 * mm * s
        scale = min(box_w / lw, box_h / lh)
        canv.drawImage(logo, centre - lw * scale / 2, top - lh * scale, lw * scale, lh * scale, mask="auto")
        top -= lh * scale + 6 * mm * s
    top = block(event.title, top, 24 * mm * s, 20, bold=True, lines=3)
    top = block(event.dates, top, 8 * mm * s, 13, colour=GREY)
    top = block(event.place, top, 12 * mm * s, 11, colour=GREY)

    # The colour band of the badge, so the ticket and the badge are recognisably the same.
    entry = event.colour(badge.colour_key)
    band_h = 2.5 * mm * s
    top -= 3 * mm * s
    canv.setFillColor(HexColor(entry.colour))
    canv.rect(margin, top - band_h, inner, band_h, stroke=0, fill=1)
    top -= band_h + 8 * mm * s

    top = block(badge.honorific, top, 7 * mm * s, 12, colour=GREY, lines=1)
    top = block(badge.badge_name, top, 30 * mm * s, 30, bold=True, lines=2, min_size=16)
    top = block(badge.name_latin, top, 9 * mm * s, 14, colour=GREY, lines=1)
    top = block(badge.organisation, top, 14 * mm * s, 12, lines=2)
    role = " \u00b7 ".join(p for p in (badge.country, entry.label) if p)
    top = block(role, top, 7 * mm * s, 11, bold=True, colour=GREY, lines=1)

    qr_size = min(60 * mm * s, top - margin - 16 * mm * s)
    qr_y = top - 4 * mm * s - qr_size
    draw_qr(canv, badge.checkin_code, centre - qr_size / 2, qr_y, qr_size)
    canv.setFillColorRGB(*GREY)
    canv.setFont(fonts.base_font(), 10 * s)
    canv.drawCentredString(centre, qr_y - 4 * mm * s, "Show this code at the check-in desk.")
    canv.setFont(fonts.base_font(), 8 * s)
    canv.drawCentredString(centre, qr_y - 9 * mm * s, f"Check-in code: {badge.checkin_code}")
    if event.contact_email:
        canv.drawCentredString(centre, margin * 0.6, f"Questions: {event.contact_email}")
    canv.showPage()
    canv.save()
    return out.getvalue()
