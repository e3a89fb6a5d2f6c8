"""The fastest plain-reportlab badge script we could write, as the benchmark's yardstick.

Same content and page layout as the app (A4 8-up: title, honorific, name, Latin name, organisation,
country, QR, colour band with label) drawn the quick way: fonts registered once, one font per string
(picked from its first letter's script), HarfBuzz shaping via shapeStr (cached for repeated strings),
fixed font sizes (no fitting, no wrapping), QR from segno with a fixed mask as one path of merged runs.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import BinaryIO

import segno
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, shapeStr
from reportlab.pdfgen.canvas import Canvas

NOTO = "/usr/share/fonts/truetype/noto/"
FONTS = {
    "latin": NOTO + "NotoSans-{}.ttf",
    "khmer": NOTO + "NotoSansKhmer-{}.ttf",
    "myanmar": NOTO + "NotoSansMyanmar-{}.ttf",
    "lao": NOTO + "NotoSansLao-{}.ttf",
    "thai": NOTO + "NotoSansThai-{}.ttf",
}
HAN = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
_RUN = re.compile(rb"\x01+")


def register() -> None:
    """Register every font once."""
    for script, pattern in FONTS.items():
        for weight in ("Regular", "Bold"):
            pdfmetrics.registerFont(TTFont(f"bl-{script}-{weight}", pattern.format(weight)))
    pdfmetrics.registerFont(TTFont("bl-han-Regular", HAN))


def font_for(text: str, bold: bool) -> str:
    """One font for the whole string, from the script of its first letter."""
    weight = "Bold" if bold else "Regular"
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            if name.startswith("KHMER"):
                return f"bl-khmer-{weight}"
            if name.startswith("MYANMAR"):
                return f"bl-myanmar-{weight}"
            if name.startswith("LAO"):
                return f"bl-lao-{weight}"
            if name.startswith("THAI"):
                return f"bl-thai-{weight}"
            if name.startswith("CJK"):
                return "bl-han-Regular"
            break
    return f"bl-latin-{weight}"


@lru_cache(maxsize=4096)
def shaped(s: str, bold: bool, size: float):
    """Font, shaped string and width, cached: titles, organisations and labels repeat."""
    font = font_for(s, bold)
    return font, shapeStr(s, font, size), pdfmetrics.stringWidth(s, font, size)


def text(canv, s: str, x: float, y: float, size: float, bold: bool = False, centre: bool = False) -> None:
    """Draw one shaped string."""
    font, shaped_str, width = shaped(s, bold, size)
    if centre:
        x -= width / 2
    t = canv.beginText(x, y)
    t.setFont(font, size)
    t.textOut(shaped_str)
    canv.drawText(t)


def qr(canv, data: str, x: float, y: float, size: float) -> None:
    """Segno with a fixed mask, modules as one path of merged horizontal runs."""
    matrix = segno.make_qr(data, error="m", mask=0, boost_error=False).matrix
    n = len(matrix)
    m = size / (n + 8)
    ops = [f"q {m:.4f} 0 0 {m:.4f} {x + 4 * m:.3f} {y + 4 * m:.3f} cm"]  # module units, integer rects
    for r, row in enumerate(matrix):
        for match in _RUN.finditer(bytes(row)):
            a, b = match.span()
            ops.append(f"{a} {n - 1 - r} {b - a} 1 re")
    ops.append("f Q")
    canv.addLiteral("\n".join(ops))


def render(event, badges: Iterable, out: BinaryIO) -> int:
    """Render badges 8 to an A4 page; returns the number of pages."""
    register()
    canv = Canvas(out, pagesize=A4, pageCompression=1, invariant=1)
    w, h = 105 * mm, 74 * mm
    colours = {entry.key: (entry.label.upper(), HexColor(entry.colour)) for entry in event.legend}
    pages, slot = 0, 0
    for badge in badges:
        if slot == 8:
            canv.showPage()
            pages, slot = pages + 1, 0
        x = (slot % 2) * w
        y = A4[1] - 0.5 * mm - (slot // 2 + 1) * h
        slot += 1
        cx = x + w / 2
        canv.setFillColorRGB(0.3, 0.3, 0.3)
        text(canv, event.title, cx, y + h - 8 * mm, 8, bold=True, centre=True)
        if badge.honorific:
            text(canv, badge.honorific, cx, y + h - 14 * mm, 9, centre=True)
        canv.setFillColorRGB(0.1, 0.1, 0.1)
        text(canv, badge.badge_name, cx, y + h - 25 * mm, 24, bold=True, centre=True)
        if badge.name_latin:
            text(canv, badge.name_latin, cx, y + h - 32 * mm, 12, centre=True)
        text(canv, badge.organisation, x + 4 * mm, y + 24 * mm, 9)
        text(canv, badge.country, x + 4 * mm, y + 20 * mm, 8.5, bold=True)
        qr(canv, badge.checkin_code, x + w - 27.5 * mm, y + 13 * mm, 26 * mm)
        label, colour = colours.get(badge.colour_key, (badge.colour_key.upper(), HexColor("#566573")))
        canv.setFillColor(colour)
        canv.roundRect(x + 4 * mm, y + 4 * mm, w - 8 * mm, 8 * mm, 1.5 * mm, stroke=0, fill=1)
        canv.setFillColorRGB(1, 1, 1)
        text(canv, label, cx, y + 6.6 * mm, 11, bold=True, centre=True)
    canv.showPage()
    canv.save()
    return pages + 1
