"""The recommendations document as a PDF: a pure function of a `RecommendationsDocument` to a stream.

The event's title, dates and place; the preamble; the adopted recommendations by theme and then by
addressee, numbered 1, 2, 3 … straight through in a left margin; the participating (and endorsing)
organisations by country. Every script is shaped with HarfBuzz in a font of its own (documents'
paragraphs), and every page says "Page N of M".
"""
from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from events_app.documents.fonts import FontSet, font_set
from events_app.documents.paragraphs import Block, cell_block, draw_block, missing_scripts, paragraph
from events_app.documents.records import DocumentReport
from events_app.recommendations.records import CountryOrganisations, RecommendationsDocument

NAVY = (0.12, 0.25, 0.45)
INK = (0.1, 0.1, 0.1)
GREY = (0.38, 0.38, 0.38)
LEFT, RIGHT, TOP, BOTTOM = 25 * mm, 25 * mm, 20 * mm, 22 * mm
WIDTH = A4[0] - LEFT - RIGHT
GUTTER = 11 * mm  # the numbers' column
BODY = 10.5


class _PagedCanvas(Canvas):
    """A canvas that keeps its pages until save, so each can say how many there are."""

    def __init__(self, *args, footer, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._footer = footer

    def showPage(self):  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(self, number, len(self._pages))
            super().showPage()
        super().save()


class _Flow:
    """A top-down cursor that starts a new page when the next blocks would not fit."""

    def __init__(self, canv, fonts: FontSet):
        self.canv, self.fonts = canv, fonts
        self.y = A4[1] - TOP
        self.started = False

    def room(self, height: float) -> None:
        """Start a new page unless height fits below the cursor."""
        if self.y - height < BOTTOM:
            self.canv.showPage()
            self.y = A4[1] - TOP

    def place(self, block: Block, *, x: float = LEFT, gap: float = 0.0, colour=INK, keep: float = 0.0,
              align: str = "left") -> None:
        """Draw a block below the cursor after gap; keep is room wanted below it (a heading's first line)."""
        self.room(gap + block.height + keep)
        self.canv.setFillColorRGB(*colour)
        self.y = draw_block(self.canv, block, x, self.y - gap if self.y < A4[1] - TOP else self.y, align=align)


def _title(flow: _Flow, doc: RecommendationsDocument) -> None:
    fonts, event = flow.fonts, doc.event
    flow.place(cell_block(fonts, doc.wording.kind.upper(), WIDTH, 10, bold=True), colour=NAVY)
    flow.place(cell_block(fonts, event.title, WIDTH, 17, bold=True, max_lines=3), gap=2.5 * mm)
    where = ", ".join(p for p in (event.venue, event.city, event.country) if p)
    flow.place(cell_block(fonts, " \u00b7 ".join(p for p in (event.dates, where) if p), WIDTH, 10, max_lines=2),
               gap=2 * mm, colour=GREY)
    flow.y -= 4 * mm
    flow.canv.setStrokeColorRGB(*NAVY)
    flow.canv.setLineWidth(1.2)
    flow.canv.line(LEFT, flow.y, A4[0] - RIGHT, flow.y)
    flow.y -= 2 * mm


def _heading(flow: _Flow, text: str, *, size: float = 13, gap: float = 8 * mm) -> None:
    block = cell_block(flow.fonts, text, WIDTH, size, bold=True, max_lines=3)
    flow.place(block, gap=gap, colour=NAVY, keep=14 * mm)  # never alone at the foot of a page


def _recommendations(flow: _Flow, doc: RecommendationsDocument) -> None:
    fonts, canv = flow.fonts, flow.canv
    for section in doc.sections:
        _heading(flow, section.theme, gap=9 * mm)
        for group in section.groups:
            to = cell_block(fonts, f"{doc.wording.addressed_to}: {'; '.join(group.addressees)}", WIDTH, 9.5,
                            bold=True, max_lines=4)
            flow.place(to, gap=4 * mm, colour=GREY, keep=10 * mm)
            for rec in group.recommendations:
                text = paragraph(fonts, rec.text, WIDTH - GUTTER, BODY, leading=1.45)
                english = paragraph(fonts, rec.english, WIDTH - GUTTER, 8.5) if rec.english else None
                source = (cell_block(fonts, f"{doc.wording.source}: {rec.source}", WIDTH - GUTTER, 7.5, max_lines=2)
                          if rec.source else None)
                number = cell_block(fonts, f"{rec.number}.", GUTTER, BODY, bold=True)
                extra = sum(b.height + 1.5 * mm for b in (english, source) if b)
                flow.room(3.5 * mm + text.height + extra)
                top = flow.y - 3.5 * mm
                canv.setFillColorRGB(*NAVY)
                draw_block(canv, number, LEFT, top - text.ascent + number.ascent)
                flow.y = top
                flow.place(text, x=LEFT + GUTTER)
                if english:
                    flow.place(english, x=LEFT + GUTTER, gap=1.5 * mm, colour=GREY)
                if source:
                    flow.place(source, x=LEFT + GUTTER, gap=1.5 * mm, colour=GREY)


def _organisations(flow: _Flow, heading: str, countries: tuple[CountryOrganisations, ...]) -> None:
    if not countries:
        return
    _heading(flow, heading, gap=10 * mm)
    for entry in countries:
        flow.place(cell_block(flow.fonts, entry.country, WIDTH, 9.5, bold=True), gap=3.5 * mm, keep=5 * mm)
        flow.place(paragraph(flow.fonts, "; ".join(entry.organisations), WIDTH, 9.5), gap=1 * mm)


def _footer_for(doc: RecommendationsDocument, fonts: FontSet):
    left = cell_block(fonts, f"{doc.event.title} \u2013 {doc.wording.kind}", WIDTH * 0.7, 7.5)

    def footer(canv, page: int, pages: int) -> None:
        canv.setFillColorRGB(*GREY)
        draw_block(canv, left, LEFT, BOTTOM - 9 * mm)
        right = cell_block(fonts, doc.wording.page % {"page": page, "pages": pages}, WIDTH * 0.3, 7.5)
        draw_block(canv, right, A4[0] - RIGHT, BOTTOM - 9 * mm, align="right")

    return footer


def render_recommendations(doc: RecommendationsDocument, out: BinaryIO, *, font_dirs=(),
                           system_fonts: bool = True) -> DocumentReport:
    """Draw the recommendations document into out; the report names any script that had no font."""
    fonts = font_set(font_dirs, system=system_fonts)
    report = DocumentReport(kind="recommendation")
    for rec in doc.recommendations:
        if missing := missing_scripts(fonts, rec.text):
            report.note_missing(missing, f"recommendation {rec.number}")
    if missing := missing_scripts(fonts, doc.event.title, doc.preamble):
        report.note_missing(missing, "(title and preamble)")
    canv = _PagedCanvas(out, pagesize=A4, pageCompression=1, invariant=1, initialFontName=fonts.base_font(),
                        initialFontSize=10, lang=doc.language, footer=_footer_for(doc, fonts))
    canv.setTitle(f"{doc.wording.kind}: {doc.event.title}")
    canv.setCreator("events_app")
    flow = _Flow(canv, fonts)
    _title(flow, doc)
    if doc.preamble_paragraphs:
        _heading(flow, doc.wording.preamble, size=11.5, gap=6 * mm)
        for text in doc.preamble_paragraphs:
            flow.place(paragraph(fonts, text, WIDTH, BODY, leading=1.45), gap=2.5 * mm)
    _recommendations(flow, doc)
    if not doc.sections:
        flow.place(paragraph(fonts, doc.wording.none_adopted, WIDTH, BODY), gap=8 * mm, colour=GREY)
    _organisations(flow, doc.wording.endorsers, doc.endorsers)
    _organisations(flow, doc.wording.participants, doc.participants)
    canv.showPage()
    canv.save()
    report.items = len(doc.recommendations)
    report.pages = len(canv._pages)
    return report
