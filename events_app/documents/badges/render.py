"""Name badges: a pure function from plain data (EventInfo, BadgeData) to a PDF on a stream.

Each badge shows the event title (beside the event's logo when it has one), the badge name large
(shaped, per-script fonts, shrunk then wrapped to fit), the Latin name beneath when it differs, the
honorific, organisation, country, a colour band with its label, and exactly one QR code: the
check-in code.
"""
from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

from PIL import Image
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFZCompress
from reportlab.pdfgen.canvas import Canvas

from events_app.documents.badges.layouts import Layout, draw_cut_marks, get_layout
from events_app.documents.badges.qr import draw_qr
from events_app.documents.fonts import FontReport, FontSet, font_set
from events_app.documents.records import BadgeData, EventInfo
from events_app.documents.text import draw_fitted, draw_line, fit_text

log = logging.getLogger(__name__)

INK = (0.1, 0.1, 0.1)
GREY = (0.3, 0.3, 0.3)
CAP_HEIGHT = 0.714  # Noto Sans capitals, per 1 pt of size
# A logo is printed at most ~35 mm wide: 1,000 pixels is over 700 dpi there, and bounds the PDF's size.
LOGO_MAX_PIXELS = 1000
LOGO_FORM = "EventLogo"


@dataclass
class RenderReport(FontReport):
    """What a badge run produced, and which delegates' text had no font for its script."""

    badges: int = 0
    pages: int = 0

    @property
    def item_word(self) -> str:
        return "badge"


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in badge coordinates (points, origin bottom-left of the badge)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> float:
        """The y of the top edge."""
        return self.y + self.h


@dataclass(frozen=True, slots=True)
class Geometry:
    """Where each element goes on a badge of one size; computed once per layout."""

    portrait: bool
    title: Box
    name_zone: Box  # honorific, name and Latin name share this zone
    info: Box  # organisation above country
    qr: Box
    band: Box
    scale: float


@lru_cache(maxsize=32)
def geometry(w: float, h: float) -> Geometry:
    """Lay out a badge of w x h points: landscape puts the QR beside the organisation, portrait below."""
    if w >= h:  # designed on 105 x 74 mm (A7), scaled by height
        s = h / (74 * mm)
        pad = max(3 * mm, 4 * mm * s)
        band = Box(pad, pad, w - 2 * pad, 8 * mm * s)
        title = Box(pad, h - pad - 7 * mm * s, w - 2 * pad, 7 * mm * s)
        qr_size = 26 * mm * s
        qr = Box(w - pad - qr_size + 2.5 * mm * s, band.top + 1 * mm * s, qr_size, qr_size)
        # The QR's quiet zone (4 of 33 modules) is white margin: text may come close to it.
        quiet = qr_size * 4 / 33
        info = Box(pad, qr.y + quiet * 0.5, qr.x - pad, qr_size - quiet)
        name_bottom = qr.top
        name_zone = Box(pad, name_bottom, w - 2 * pad, title.y - 1 * mm * s - name_bottom)
        return Geometry(False, title, name_zone, info, qr, band, s)
    s = w / (105 * mm)  # designed on 105 x 148 mm (A6), scaled by width
    pad = 5 * mm * s
    band = Box(pad, pad, w - 2 * pad, 13 * mm * s)
    qr_size = 36 * mm * s
    qr = Box((w - qr_size) / 2, band.top + 1.5 * mm * s, qr_size, qr_size)
    info = Box(pad, qr.top + 1 * mm * s, w - 2 * pad, 20 * mm * s)
    title = Box(pad, h - pad - 12 * mm * s, w - 2 * pad, 12 * mm * s)
    name_zone = Box(pad, info.top + 2 * mm * s, w - 2 * pad, title.y - 3 * mm * s - info.top - 2 * mm * s)
    return Geometry(True, title, name_zone, info, qr, band, s)


@dataclass(frozen=True, slots=True)
class Logo:
    """The event logo, drawn once per PDF into a form XObject that every badge reuses."""

    form: str
    aspect: float  # width / height


def logo_image(data: bytes | None) -> ImageReader | None:
    """The logo bytes as an ImageReader, downscaled to LOGO_MAX_PIXELS a side (None if absent or unreadable)."""
    if not data:
        return None
    try:
        image = Image.open(io.BytesIO(data))
        image.draft("RGB", (LOGO_MAX_PIXELS, LOGO_MAX_PIXELS))  # JPEG: decode at a reduced scale
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
        image.thumbnail((LOGO_MAX_PIXELS, LOGO_MAX_PIXELS))
        return ImageReader(image)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        # Checked on upload; a logo damaged since must not stop a print run.
        log.warning("The event logo could not be read (%s); printing without it", error)
        return None


def register_logo(canv, image: ImageReader | None, name: str = LOGO_FORM) -> Logo | None:
    """Put the logo into the PDF once, as a 1 x 1 form; each use scales it (no image data per badge)."""
    if image is None:
        return None
    width, height = image.getSize()
    canv.beginForm(name, 0, 0, 1, 1)
    canv.drawImage(image, 0, 0, 1, 1, mask="auto")
    canv.endForm()
    return Logo(name, width / height if height else 1.0)


def draw_logo(canv, logo: Logo, box: Box) -> None:
    """Draw the registered logo filling box (the box already has the logo's aspect ratio)."""
    canv.saveState()
    canv.transform(box.w, 0, 0, box.h, box.x, box.y)
    canv.doForm(logo.form)
    canv.restoreState()


def fit_logo(aspect: float, x: float, y: float, max_w: float, max_h: float) -> Box:
    """The largest box of this aspect ratio inside max_w x max_h, left-aligned and vertically centred."""
    w = min(max_w, max_h * aspect)
    h = w / aspect
    return Box(x, y + (max_h - h) / 2, w, h)


@lru_cache(maxsize=64)
def title_beside_logo(title: Box, aspect: float, scale: float, portrait: bool) -> tuple[Box, Box]:
    """Split the title box: the logo at its left (aspect kept, at most a third of the width), the title beside."""
    logo = fit_logo(aspect, title.x, title.y, title.w * (0.34 if portrait else 0.3), title.h)
    gap = 2.5 * mm * scale
    return Box(logo.x + logo.w + gap, title.y, title.w - logo.w - gap, title.h), logo


@lru_cache(maxsize=64)
def _colour(hex_colour: str):
    try:
        return HexColor(hex_colour)
    except (ValueError, TypeError):
        return HexColor("#566573")


def _text_on(colour) -> tuple[float, float, float]:
    # White text on dark bands, ink on light ones (yellow press badges), by relative luminance.
    lum = 0.2126 * colour.red + 0.7152 * colour.green + 0.0722 * colour.blue
    return INK if lum > 0.6 else (1, 1, 1)


def _band_label(event: EventInfo, badge: BadgeData) -> tuple[str, str]:
    entry = event.colour(badge.colour_key)
    label = entry.label
    # Coloured by group, a speaker or moderator still needs to be seen as one.
    if event.colour_by == "stakeholder_group" and badge.participant_role and \
            badge.participant_role.lower() != "participant":
        label = f"{label} \u00b7 {badge.participant_role}"
    return label, entry.colour


def draw_badge(canv, fonts: FontSet, event: EventInfo, badge: BadgeData,
               x: float, y: float, w: float, h: float, *, logo: Logo | None = None) -> None:
    """Draw one badge with its bottom-left corner at (x, y); logo is the run's registered event logo."""
    g = geometry(round(w, 3), round(h, 3))
    canv.saveState()
    canv.translate(x, y)
    canv.setFillColorRGB(*INK)
    _draw_title(canv, fonts, g, event.title, logo)
    _draw_names(canv, fonts, g, badge)
    _draw_affiliation(canv, fonts, g, badge)
    # Exactly one QR code: the check-in code.
    draw_qr(canv, badge.checkin_code, g.qr.x, g.qr.y, g.qr.w)
    _draw_band(canv, fonts, g, *_band_label(event, badge))
    canv.restoreState()


def _draw_title(canv, fonts: FontSet, g: Geometry, title: str, logo: Logo | None) -> None:
    """The event title: small, bold, at most two lines (three on portrait badges).

    The logo (if any) takes the left of the title box, so it can never reach the name below.
    """
    s = g.scale
    t = g.title
    title_x, title_align = t.x + t.w / 2, "centre"
    if logo is not None:
        t, logo_box = title_beside_logo(t, logo.aspect, s, g.portrait)
        draw_logo(canv, logo, logo_box)
        title_x, title_align = t.x, "left"
    title_size = (11 if g.portrait else 8) * s
    # Beside a logo the title is narrower: wrap it rather than let it shrink to a whisper.
    fitted = fit_text(fonts, title, t.w, t.h, max_size=title_size,
                      min_size=title_size * 0.8 if logo else 5.5 * s, max_lines=3 if g.portrait else 2, bold=True)
    canv.setFillColorRGB(*GREY)
    draw_fitted(canv, fitted, title_x, t.top, align=title_align, box_height=t.h)


def _draw_names(canv, fonts: FontSet, g: Geometry, badge: BadgeData) -> None:
    """The name zone: honorific (small), badge name (large), Latin name beneath when it differs."""
    s = g.scale
    z = g.name_zone
    hon_h = (5 if g.portrait else 3.8) * mm * s if badge.honorific else 0
    latin_h = (8 if g.portrait else 5.5) * mm * s if badge.name_latin else 0
    name_h = z.h - hon_h - latin_h
    name = fit_text(fonts, badge.badge_name, z.w, name_h, max_size=(48 if g.portrait else 28) * s,
                    min_size=(18 if g.portrait else 13) * s, max_lines=3 if g.portrait else 2, bold=True)
    hon = fit_text(fonts, badge.honorific, z.w, hon_h, max_size=(12 if g.portrait else 9) * s,
                   min_size=6 * s) if hon_h else None
    latin = fit_text(fonts, badge.name_latin, z.w, latin_h, max_size=(16 if g.portrait else 12) * s,
                     min_size=7 * s, max_lines=1) if latin_h else None
    # Stack the three blocks tightly and centre the stack vertically in the zone.
    gap = 2.2 * mm * s
    used = name.height + (hon.height + gap if hon else 0) + (latin.height + gap if latin else 0)
    top = z.top - max(0.0, z.h - used) / 2
    cx = z.x + z.w / 2
    if hon:
        canv.setFillColorRGB(*GREY)
        top = draw_fitted(canv, hon, cx, top, align="centre") - gap
    canv.setFillColorRGB(*INK)
    top = draw_fitted(canv, name, cx, top, align="centre")
    if latin:
        canv.setFillColorRGB(*GREY)
        draw_fitted(canv, latin, cx, top - gap, align="centre")


def _draw_affiliation(canv, fonts: FontSet, g: Geometry, badge: BadgeData) -> None:
    """Organisation above country, centred as one block in the info box."""
    s = g.scale
    i = g.info
    ix = i.x + i.w / 2 if g.portrait else i.x
    align = "centre" if g.portrait else "left"
    country_h = (5.5 if g.portrait else 4) * mm * s if badge.country else 0
    gap = 1 * mm * s if badge.country else 0
    org = fit_text(fonts, badge.organisation, i.w, i.h - country_h - gap,
                   max_size=(12 if g.portrait else 9) * s, min_size=6.5 * s, max_lines=3)
    country = fit_text(fonts, badge.country, i.w, country_h, max_size=(11 if g.portrait else 8.5) * s,
                       min_size=6 * s, bold=True) if badge.country else None
    used = org.height + (gap + country.height if country else 0)
    top = i.top - max(0.0, i.h - used) / 2
    canv.setFillColorRGB(*INK)
    top = draw_fitted(canv, org, ix, top, align=align)
    if country:
        canv.setFillColorRGB(*GREY)
        draw_fitted(canv, country, ix, top - gap, align=align)


def _draw_band(canv, fonts: FontSet, g: Geometry, label: str, hex_colour: str) -> None:
    """The colour band at the foot of the badge, with its label."""
    s = g.scale
    colour = _colour(hex_colour)
    b = g.band
    canv.setFillColor(colour)
    canv.roundRect(b.x, b.y, b.w, b.h, 1.5 * mm * s, stroke=0, fill=1)
    canv.setFillColorRGB(*_text_on(colour))
    band_text = fit_text(fonts, label.upper(), b.w - 4 * mm * s, b.h * 0.7,
                         max_size=(16 if g.portrait else 11) * s, min_size=6 * s, bold=True)
    # Centred on cap height, not ink, so every band's label sits on the same baseline.
    for line in band_text.lines[:1]:
        baseline = b.y + (b.h - CAP_HEIGHT * band_text.size) / 2
        draw_line(canv, line, b.x + b.w / 2, baseline, band_text.size, align="centre")


def render_badges(event: EventInfo, badges: Iterable[BadgeData], out: BinaryIO, *, layout: str = "a4-8up",
                  cut_marks: bool = False, offset_mm: tuple[float, float] = (0.0, 0.0), font_dirs=(),
                  system_fonts: bool = True) -> RenderReport:
    """Render badges onto pages of the named layout, streaming page by page into out."""
    lay: Layout = get_layout(layout)
    fonts = font_set(font_dirs, system=system_fonts)
    report = RenderReport()
    title_missing = fonts.missing_scripts(event.title)
    if title_missing:
        report.note_missing(title_missing, f"(event title) {event.title}")
    # The initial font is embedded too, so no page refers to an unembedded Helvetica (preflight).
    canv = Canvas(out, pagesize=lay.page_size, pageCompression=1, invariant=1,
                  initialFontName=fonts.base_font(), initialFontSize=8)
    canv.setTitle(f"Badges: {event.title}")
    canv.setCreator("events_app")
    logo = register_logo(canv, logo_image(event.logo))  # read and embedded once per run
    cells = lay.cells(offset_mm)
    slot = 0
    for badge in badges:
        if slot == len(cells):
            _finish_page(canv, lay, cut_marks, offset_mm, report)
            slot = 0
        missing = fonts.missing_scripts(badge.badge_name + badge.name_latin + badge.organisation)
        if missing:
            report.note_missing(missing, badge.display_name)
        draw_badge(canv, fonts, event, badge, *cells[slot], logo=logo)
        slot += 1
        report.badges += 1
    if slot or not report.badges:
        _finish_page(canv, lay, cut_marks, offset_mm, report)
    canv.save()
    for warning in report.warnings:
        log.warning(warning)
    return report


def _finish_page(canv, lay: Layout, cut_marks: bool, offset_mm, report: RenderReport) -> None:
    if cut_marks:
        draw_cut_marks(canv, lay, offset_mm)
    canv.showPage()
    _seal_page(canv)
    report.pages += 1


def _seal_page(canv) -> None:
    """Compress the page just finished, so a long run holds kilobytes per page rather than its raw code.

    reportlab keeps every page's content as text until save() and compresses it only then; a stream
    that already carries its Filter is written as it is (pdfdoc.PDFStream.format).
    """
    try:
        page = canv._doc.Pages.pages[-1]
    except (AttributeError, IndexError):  # another reportlab: keep its default behaviour
        return
    stream = getattr(page, "stream", None)
    if not stream or getattr(page, "Contents", None):
        return
    page.Contents = PDFStream(PDFDictionary({"Filter": PDFArray([PDFName("FlateDecode")])}),
                              PDFZCompress.encode(stream))
    page.stream = None
