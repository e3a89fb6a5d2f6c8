"""A delegate's one-page ticket: event logo, title, dates, venue, name and the badge's check-in QR.

Attached to the approval email and offered on the delegate's private page; a pure function of plain
data, like every renderer here: the caller passes the ticket's words (TicketLabels) and the event's
dates already in the delegate's language.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

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


@dataclass(frozen=True)
class TicketLabels:
    """The ticket's own lines, finished and translated by the caller (an empty line is left out)."""

    document_title: str
    show_code: str
    check_in_code: str
    questions: str = ""

    @classmethod
    def english(cls, event: EventInfo, badge: BadgeData) -> TicketLabels:
        return cls(f"Ticket: {event.title}", "Show this code at the check-in desk.",
                   f"Check-in code: {badge.checkin_code}",
                   f"Questions: {event.contact_email}" if event.contact_email else "")


def render_ticket(event: EventInfo, badge: BadgeData, *, page: str = "a4", labels: TicketLabels | None = None,
                  font_dirs=(), system_fonts: bool = True) -> bytes:
    """Render a one-page ticket PDF (A4 or A6 portrait) and return its bytes (English labels unless given)."""
    labels = labels or TicketLabels.english(event, badge)
    fonts = font_set(font_dirs, system=system_fonts)
    w, h = PAGE_SIZES[page]
    s = w / A4[0]  # everything is designed on A4 and scaled to the page width
    margin = 18 * mm * s
    inner = w - 2 * margin
    out = io.BytesIO()
    canv = Canvas(out, pagesize=(w, h), pageCompression=1, invariant=1, initialFontName=fonts.base_font())
    canv.setTitle(labels.document_title)
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
    # Shaped like every other line, so the labels show in Thai, Khmer, Burmese, Lao or Chinese too.
    below = block(labels.show_code, qr_y - 2 * mm * s, 6 * mm * s, 10, colour=GREY, lines=2, min_size=7)
    block(labels.check_in_code, below + 2 * mm * s, 5 * mm * s, 8, colour=GREY, lines=1, min_size=6)
    block(labels.questions, margin * 0.6 + 4 * mm * s, 5 * mm * s, 8, colour=GREY, lines=1, min_size=6)
    canv.showPage()
    canv.save()
    return out.getvalue()
