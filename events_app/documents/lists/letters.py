"""Visa invitation letters: one letter (normally one A4 page) per delegate who asked for one.

A pure function of plain data (`EventInfo`, `LetterRow`) to a PDF on a stream: the event's
letterhead text, date and reference, the invitation with the event's dates and venue, the
delegate's passport details (name as written and in Latin letters, nationality, passport number,
date of birth, passport expiry), arrival and departure when given, and the signatory: their
signature image when there is one, name, title and organisation.
"""
from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from datetime import date
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from events_app.documents.fonts import FontSet, font_set
from events_app.documents.paragraphs import Block, cell_block, draw_block, missing_scripts, paragraph, plain
from events_app.documents.records import DocumentReport, EventInfo, LetterRow

NAVY = (0.12, 0.25, 0.45)
INK = (0.1, 0.1, 0.1)
GREY = (0.35, 0.35, 0.35)
LEFT, RIGHT, TOP, BOTTOM = 24 * mm, 22 * mm, 16 * mm, 22 * mm
BODY = 10.5
LABEL_W = 48 * mm
SIGNATURE_H, SIGNATURE_MAX_W = 16 * mm, 60 * mm  # the room left to sign in

log = logging.getLogger(__name__)


def long_date(value: date | str | None) -> str:
    """'2 March 1985'; text that is not a date is printed as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def _addressed(row: LetterRow) -> str:
    return " ".join(p for p in (row.honorific, row.name_latin or row.full_name) if p)


def details(row: LetterRow) -> list[tuple[str, str]]:
    """The delegate's details as (label, value) pairs, in the order the letter lists them."""
    pairs = [
        ("Full name", row.full_name),
        ("Name in Latin letters", row.name_latin),
        ("Nationality", row.nationality),
        ("Passport number", row.passport_number),
        ("Date of birth", long_date(row.date_of_birth)),
        ("Passport expiry date", long_date(row.passport_expiry)),
        ("Organisation", row.organisation),
        ("Position", row.position),
        ("Country", row.country),
        ("Intended arrival", long_date(row.arrival_date)),
        ("Intended departure", long_date(row.departure_date)),
    ]
    return [(label, value) for label, value in pairs if value]


class _Flow:
    """A top-down cursor on the canvas that starts a new page when the next block would not fit."""

    def __init__(self, canv, fonts: FontSet, event: EventInfo, row: LetterRow):
        self.canv, self.fonts, self.event, self.row = canv, fonts, event, row
        self.width = A4[0] - LEFT - RIGHT
        self.page = 0
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        if self.page:
            self.canv.showPage()
        self.page += 1
        self.y = A4[1] - TOP
        canv = self.canv
        canv.setFillColorRGB(*GREY)
        foot = cell_block(self.fonts, f"Ref. {self.row.reference} \u00b7 page {self.page}", self.width, 7.5)
        draw_block(canv, foot, A4[0] - RIGHT, BOTTOM - 10 * mm, align="right")
        if self.page == 1:
            self._letterhead()
        else:
            canv.setFillColorRGB(*GREY)
            head = cell_block(self.fonts, f"{self.event.title} \u2013 {_addressed(self.row)} (continued)",
                              self.width, 8.5, max_lines=2)
            self.y = draw_block(canv, head, LEFT, self.y) - 8 * mm

    def _letterhead(self) -> None:
        lines = [plain(t) for t in (self.event.letterhead_text or "").splitlines() if plain(t)]
        if not lines:
            lines = [self.event.title] + ([self.event.contact_email] if self.event.contact_email else [])
        centre = A4[0] / 2
        first = cell_block(self.fonts, lines[0], self.width, 15, bold=True, max_lines=2)
        self.canv.setFillColorRGB(*NAVY)
        y = draw_block(self.canv, first, centre, self.y, align="centre")
        self.canv.setFillColorRGB(*GREY)
        for text in lines[1:6]:
            y = draw_block(self.canv, cell_block(self.fonts, text, self.width, 8.5, max_lines=2), centre,
                           y - 1.3 * mm, align="centre")
        y -= 3 * mm
        self.canv.setStrokeColorRGB(*NAVY)
        self.canv.setLineWidth(1.2)
        self.canv.line(LEFT, y, A4[0] - RIGHT, y)
        self.y = y - 8 * mm

    def block(self, block: Block, *, x: float = LEFT, gap: float = 0.0, colour=INK, align: str = "left") -> None:
        """Place a block below the previous one (after gap), on a new page if it does not fit."""
        if self.y - gap - block.height < BOTTOM:
            self.new_page()
            gap = 0.0
        self.canv.setFillColorRGB(*colour)
        self.y = draw_block(self.canv, block, x, self.y - gap, align=align)

    def text(self, text: str, *, gap: float = 4 * mm, size: float = BODY, bold: bool = False, colour=INK) -> None:
        """A paragraph of running text."""
        self.block(paragraph(self.fonts, text, self.width, size, bold=bold), gap=gap, colour=colour)


def signature_image(data: bytes | None) -> ImageReader | None:
    """The signature as an ImageReader (None if absent, or unreadable: the letter is then signed by hand)."""
    if not data:
        return None
    try:
        reader = ImageReader(io.BytesIO(data))
        reader.getSize()
        return reader
    except (OSError, ValueError) as error:  # checked on upload; damaged since must not stop the letters
        log.warning("The signature image could not be read (%s); printing without it", error)
        return None


def draw_letter(canv, fonts: FontSet, event: EventInfo, row: LetterRow, *, issued_on: date,
                signature: ImageReader | None = None) -> int:
    """Draw one letter from a fresh page; returns the number of pages it took."""
    flow = _Flow(canv, fonts, event, row)
    where = f"{event.city}, " if event.city else ""
    # Reference on the left, place and date on the right, on one baseline.
    dated = cell_block(fonts, f"{where}{long_date(issued_on)}", flow.width * 0.55, BODY)
    ref = cell_block(fonts, f"Ref. {row.reference}", flow.width * 0.45, 9)
    first = max(dated.ascent, ref.ascent)
    canv.setFillColorRGB(*INK)
    draw_block(canv, dated, A4[0] - RIGHT, flow.y - first + dated.ascent, align="right")
    canv.setFillColorRGB(*GREY)
    draw_block(canv, ref, LEFT, flow.y - first + ref.ascent)
    flow.y -= first + max(dated.height - dated.ascent, ref.height - ref.ascent)
    flow.text("To the Embassy or Consulate concerned", gap=7 * mm)
    subject = f"Invitation to {event.title}, {event.dates}" + (f", {event.city}" if event.city else "")
    flow.text(f"Subject: {subject}", gap=6 * mm, bold=True)
    flow.text("Dear Sir or Madam,", gap=6 * mm)
    who = _addressed(row)
    role = ", ".join(p for p in (row.position, row.organisation) if p)
    venue = f" at {event.place}" if event.place else ""
    span = (f"on {long_date(event.starts_on)}" if event.starts_on == event.ends_on
            else f"from {long_date(event.starts_on)} to {long_date(event.ends_on)}")
    flow.text(f"We are pleased to invite {who}{f' ({role})' if role else ''} to participate in {event.title}, "
              f"which will take place{venue} {span}.")
    flow.text("The details of the invited participant are as follows:")
    flow.y -= 2 * mm
    for label, value in details(row):
        label_block = cell_block(fonts, label, LABEL_W - 7 * mm, 9.5, max_lines=2)
        value_block = cell_block(fonts, value, flow.width - LABEL_W, BODY,
                                 bold=label in ("Full name", "Passport number"), max_lines=3)
        if flow.y - 2 * mm - max(label_block.height, value_block.height) < BOTTOM:
            flow.new_page()
        top = flow.y - 2 * mm
        # Label and value share a first baseline.
        first = max(label_block.ascent, value_block.ascent)
        canv.setFillColorRGB(*GREY)
        draw_block(canv, label_block, LEFT + 4 * mm, top - first + label_block.ascent)
        canv.setFillColorRGB(*INK)
        draw_block(canv, value_block, LEFT + LABEL_W, top - first + value_block.ascent)
        flow.y = top - first - max(b.height - b.ascent for b in (label_block, value_block))
    flow.text(f"We kindly request that you grant {who} the visa needed to attend this event. "
              + (f"Should you need any further information, please contact us at {event.contact_email}."
                 if event.contact_email else ""), gap=6 * mm)
    # The closing, the room to sign (or the signature) and the signatory stay together on one page.
    closing = paragraph(fonts, "Yours faithfully,", flow.width, BODY)
    name = cell_block(fonts, event.signatory_name, flow.width, BODY, bold=True, max_lines=2)
    below = [cell_block(fonts, text, flow.width, 9.5, max_lines=2)
             for text in (event.signatory_title, event.signatory_organisation)]
    if flow.y - (6 * mm + closing.height + SIGNATURE_H + name.height
                 + sum(1.2 * mm + b.height for b in below)) < BOTTOM:
        flow.new_page()
    flow.block(closing, gap=6 * mm)
    flow.y -= SIGNATURE_H
    if signature is not None:
        width, height = signature.getSize()
        scale = min(SIGNATURE_H * 0.92 / height, SIGNATURE_MAX_W / width)
        canv.drawImage(signature, LEFT, flow.y + 0.5 * mm, width * scale, height * scale, mask="auto")
    if name.lines:
        flow.block(name)
    for block in below:
        if block.lines:
            flow.block(block, gap=1.2 * mm, colour=GREY)
    canv.showPage()
    return flow.page


def render_letters(event: EventInfo, rows: Iterable[LetterRow], out: BinaryIO, *, issued_on: date,
                   font_dirs=(), system_fonts: bool = True) -> DocumentReport:
    """Render one letter per row into out, dated the row's issued_on or else issued_on (one page if none)."""
    fonts = font_set(font_dirs, system=system_fonts)
    report = DocumentReport(kind="letter")
    if missing := missing_scripts(fonts, event.title, event.letterhead_text, event.signatory_name,
                                  event.signatory_title, event.signatory_organisation):
        report.note_missing(missing, "(event letterhead)")
    signature = signature_image(event.signature)
    canv = Canvas(out, pagesize=A4, pageCompression=1, invariant=1, initialFontName=fonts.base_font(),
                  initialFontSize=10)
    canv.setTitle(f"Visa invitation letters: {event.title}")
    canv.setCreator("events_app")
    for row in rows:
        if missing := missing_scripts(fonts, row.full_name, row.name_latin, row.organisation, row.position):
            report.note_missing(missing, row.display_name)
        report.pages += draw_letter(canv, fonts, event, row, issued_on=row.issued_on or issued_on,
                                    signature=signature)
        report.items += 1
    if not report.items:
        canv.setFillColorRGB(*GREY)
        note = paragraph(fonts, f"No approved delegate of {event.title} has asked for a visa invitation letter.",
                         A4[0] - LEFT - RIGHT, 12)
        draw_block(canv, note, LEFT, A4[1] / 2)
        canv.showPage()
        report.pages = 1
    canv.save()
    return report
