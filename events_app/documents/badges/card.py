"""One badge on its own card-sized page that asks to be printed: the check-in desk's card printer.

The badge is the same drawing as every other (render.draw_badge); only the page differs: one page the
size of the badge, printed at 100% (PrintScaling None), with a print dialog on opening where the viewer
allows it. A pure function of plain records, like every renderer.
"""
from __future__ import annotations

from typing import BinaryIO

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFString
from reportlab.pdfgen.canvas import Canvas

from events_app.documents.badges.layouts import get_layout
from events_app.documents.badges.render import draw_badge, logo_image, register_logo
from events_app.documents.fonts import font_set
from events_app.documents.records import BadgeData, EventInfo

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
