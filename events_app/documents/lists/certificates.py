"""Certificates of attendance: one A4 landscape page per delegate who attended enough days.

A pure function of plain data (`EventInfo`, `CertificateRow`) to a PDF on a stream. The name
is printed in the delegate's own script (shaped, shrunk and then wrapped to fit), the Latin form
beneath; then the event, its place and dates, the days the delegate attended, and the signatory.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from events_app.documents.fonts import FontSet, font_set
from events_app.documents.paragraphs import missing_scripts
from events_app.documents.records import CertificateRow, DocumentReport, EventInfo
from events_app.documents.text import draw_fitted, fit_text

NAVY = (0.12, 0.25, 0.45)
INK = (0.1, 0.1, 0.1)
GREY = (0.35, 0.35, 0.35)
PAGE = landscape(A4)


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def format_days(days: Iterable[date]) -> str:
    """'3, 4 and 5 March 2026'; '30 March and 1 April 2026' across months."""
    days = sorted(set(days))
    if not days:
        return ""
    parts: list[str] = []
    for i, d in enumerate(days):
        last_of_month = i == len(days) - 1 or (days[i + 1].year, days[i + 1].month) != (d.year, d.month)
        last_of_year = i == len(days) - 1 or days[i + 1].year != d.year
        text = str(d.day)
        if last_of_month:
            text += f" {d:%B}"
        if last_of_year:
            text += f" {d:%Y}"
        parts.append(text)
    return _join(parts)


def attendance_line(row: CertificateRow, event: EventInfo) -> str:
    """'Attended all 3 days' or 'Attended 2 of 3 days: 3 and 5 March 2026'."""
    total, attended = len(event.days), len(row.days)
    if attended >= total > 1:
        return f"Attended all {total} days: {format_days(row.days)}"
    unit = "day" if total == 1 else "days"
    return f"Attended {attended} of {total} {unit}: {format_days(row.days)}"


def _frame(canv) -> None:
    w, h = PAGE
    canv.setStrokeColorRGB(*NAVY)
    canv.setLineWidth(2.2)
    canv.rect(10 * mm, 10 * mm, w - 20 * mm, h - 20 * mm, stroke=1, fill=0)
    canv.setLineWidth(0.6)
    canv.rect(13 * mm, 13 * mm, w - 26 * mm, h - 26 * mm, stroke=1, fill=0)


def _text(canv, fonts: FontSet, text: str, top: float, height: float, size: float, *, colour=INK,
          bold: bool = False, lines: int = 1, min_size: float | None = None, width: float | None = None) -> float:
    """Centre text in a band of the page starting at top; returns the band's bottom."""
    w = PAGE[0]
    if text:
        fitted = fit_text(fonts, text, width or w - 70 * mm, height, max_size=size,
                          min_size=min_size or size * 0.7, max_lines=lines, bold=bold)
        canv.setFillColorRGB(*colour)
        draw_fitted(canv, fitted, w / 2, top, align="centre", box_height=height)
    return top - height


def draw_certificate(canv, fonts: FontSet, event: EventInfo, row: CertificateRow, *,
                     issued_on: date) -> None:
    """Draw one certificate on the current page."""
    w, h = PAGE
    _frame(canv)
    top = h - 30 * mm
    top = _text(canv, fonts, "CERTIFICATE OF ATTENDANCE", top, 14 * mm, 28, colour=NAVY, bold=True)
    canv.setStrokeColorRGB(*NAVY)
    canv.setLineWidth(0.8)
    canv.line(w / 2 - 30 * mm, top - 1 * mm, w / 2 + 30 * mm, top - 1 * mm)
    top = _text(canv, fonts, "This is to certify that", top - 6 * mm, 8 * mm, 13, colour=GREY)
    # The name: the same band on every certificate, so a short name and a long one sit alike.
    top = _text(canv, fonts, row.full_name, top - 2 * mm, 26 * mm, 34, bold=True, lines=2, min_size=20)
    top = _text(canv, fonts, row.name_latin, top, 9 * mm, 16, colour=GREY) if row.name_latin else top - 4 * mm
    org = ", ".join(p for p in (row.organisation, row.country) if p)
    top = _text(canv, fonts, org, top - 1 * mm, 12 * mm, 12, lines=2)
    top = _text(canv, fonts, "attended", top - 2 * mm, 8 * mm, 13, colour=GREY)
    top = _text(canv, fonts, event.title, top, 17 * mm, 20, colour=NAVY, bold=True, lines=2, min_size=13)
    held = " ".join(p for p in (f"held at {event.place}" if event.place else "", f"on {event.dates}") if p)
    top = _text(canv, fonts, held, top - 1 * mm, 8 * mm, 12, lines=2)
    _text(canv, fonts, attendance_line(row, event), top, 8 * mm, 11, colour=GREY)

    # Signature block on the right, place and date of issue on the left, on one baseline.
    line_y = 32 * mm
    sig_w = 85 * mm
    sx = w - 30 * mm - sig_w
    canv.setStrokeColorRGB(*INK)
    canv.setLineWidth(0.6)
    canv.line(sx, line_y, sx + sig_w, line_y)
    cx = sx + sig_w / 2
    top = line_y - 2 * mm
    for text, size, colour, bold, lines in (
        (event.signatory_name, 11, INK, True, 1),
        (event.signatory_title, 9.5, GREY, False, 2),
    ):
        if text:
            fitted = fit_text(fonts, text, sig_w + 20 * mm, 4.5 * mm * lines, max_size=size, min_size=7.5,
                              max_lines=lines, bold=bold)
            canv.setFillColorRGB(*colour)
            top = draw_fitted(canv, fitted, cx, top, align="centre") - 1.5 * mm
    issued = f"Issued{f' in {event.city}' if event.city else ''} on {issued_on.day} {issued_on:%B %Y}"
    fitted = fit_text(fonts, issued, 95 * mm, 6 * mm, max_size=10, min_size=7, max_lines=1)
    canv.setFillColorRGB(*GREY)
    draw_fitted(canv, fitted, 30 * mm, line_y - 2 * mm)


def render_certificates(event: EventInfo, rows: Iterable[CertificateRow], out: BinaryIO, *,
                        issued_on: date | None = None, font_dirs=(), system_fonts: bool = True) -> DocumentReport:
    """Render one certificate page per row into out (a single explanatory page when there are none)."""
    fonts = font_set(font_dirs, system=system_fonts)
    report = DocumentReport(kind="certificate")
    if missing := missing_scripts(fonts, event.title):
        report.note_missing(missing, "(event title)")
    canv = Canvas(out, pagesize=PAGE, pageCompression=1, invariant=1, initialFontName=fonts.base_font(),
                  initialFontSize=10)
    canv.setTitle(f"Certificates of attendance: {event.title}")
    canv.setCreator("events_app")
    issued_on = issued_on or event.ends_on
    for row in rows:
        if missing := missing_scripts(fonts, row.full_name, row.name_latin, row.organisation):
            report.note_missing(missing, row.display_name)
        draw_certificate(canv, fonts, event, row, issued_on=issued_on)
        canv.showPage()
        report.items += 1
    if not report.items:
        days = event.attendance_threshold_days
        _text(canv, fonts, f"No delegate of {event.title} has been checked in on at least {days} "
                           f"day{'s' if days != 1 else ''} yet.", PAGE[1] / 2 + 10 * mm, 20 * mm, 14,
              colour=GREY, lines=2)
        canv.showPage()
    report.pages = max(report.items, 1)
    canv.save()
    return report
