"""Sign-in sheets: one day of an event, every approved delegate in Latin-name order, room to sign.

A pure function of plain data to a PDF on a stream, drawn with the attendee list's table: a full
grid, rows tall enough to sign in, the header row and the day repeated on every page, and a few
numbered empty rows at the end for walk-ins.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import BinaryIO

from reportlab.lib.units import mm

from events_app.documents.fonts import font_set
from events_app.documents.lists.attendees import CellText, Column, Furniture, Row, TableDocument
from events_app.documents.paragraphs import missing_scripts
from events_app.documents.records import Delegate, DocumentReport, EventInfo

COLUMNS = (
    Column("number", "No.", 9, size=8),
    Column("name", "Name", 54, size=9.5),
    Column("organisation", "Organisation", 46),
    Column("country", "Country", 24),
    Column("signature", "Signature", 49),
)
ROW_HEIGHT = 13 * mm  # room for a signature at a table, pen in hand


class NotAnEventDay(ValueError):
    """The day asked for is not one of the event's days."""


def day_label(day: date) -> str:
    """'Wednesday 4 March 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def render_signin_sheet(event: EventInfo, day: date, delegates: Iterable[Delegate], out: BinaryIO, *,
                        blank_rows: int = 5, font_dirs=(), system_fonts: bool = True) -> DocumentReport:
    """Render the sign-in sheet of one event day into out; a day outside the event is refused."""
    if day not in event.days:
        raise NotAnEventDay(f"{day.isoformat()} is not a day of {event.title} ({event.dates})")
    fonts = font_set(font_dirs, system=system_fonts)
    delegates = list(delegates)
    report = DocumentReport(kind="sign-in row", items=len(delegates))
    if missing := missing_scripts(fonts, event.title):
        report.note_missing(missing, "(event title)")

    def items():
        n = 0
        for n, d in enumerate(delegates, 1):
            if missing := missing_scripts(fonts, d.full_name, d.name_latin, d.organisation):
                report.note_missing(missing, d.display_name)
            yield Row((CellText(str(n)), CellText(d.full_name, d.name_latin, bold=True), CellText(d.organisation),
                       CellText(d.country), CellText()), d.display_name)
        for extra in range(n + 1, n + 1 + max(blank_rows, 0)):
            yield Row((CellText(str(extra)), CellText(), CellText(), CellText(), CellText()))

    number = event.days.index(day) + 1
    furniture = Furniture(
        title=event.title,
        subtitle=" \u00b7 ".join(p for p in (event.dates, event.place) if p),
        kind=day_label(day),
        detail=f"Sign-in sheet \u00b7 day {number} of {len(event.days)} \u00b7 {len(delegates)} delegates",
        note="Please sign beside your name. Not on the list? Write your name in an empty row at the end.",
    )
    table = TableDocument(fonts, furniture, COLUMNS, min_row_height=ROW_HEIGHT, grid=True)
    report.pages = table.render(out, items(), pdf_title=f"Sign-in sheet {day.isoformat()}: {event.title}")
    return report
