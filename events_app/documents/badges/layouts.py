"""Badge page layouts as data (paper, badge size, grid), cut marks, printer offset and an alignment sheet.

Label sheet geometry is the makers' published templates (as collected by gLabels, templates/
avery-iso-templates.xml): Avery L4785 name badges 80 x 50 mm 2x5, Avery L7165 99.1 x 67.7 mm 2x4,
Avery L7414 business cards 90 x 52 mm 2x5. Cut-sheet layouts butt badges edge to edge (A7 and A6
on A4, as on micro-perforated badge card) so one guillotine cut separates two badges.

Coordinates here are millimetres from the page's top-left corner, as the makers publish them; the
`cells` method converts to reportlab points (origin bottom-left).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

A4 = (210.0, 297.0)
A6 = (105.0, 148.0)
CR80 = (85.6, 53.98)


@dataclass(frozen=True, slots=True)
class Layout:
    """Where badges sit on a page; all lengths in millimetres from the page's top-left corner."""

    name: str
    description: str
    page: tuple[float, float]
    badge: tuple[float, float]
    columns: int = 1
    rows: int = 1
    left: float = 0.0  # page edge to first badge
    top: float = 0.0
    pitch_x: float = 0.0  # left edge to next left edge
    pitch_y: float = 0.0
    corner_radius: float = 0.0  # die-cut labels have rounded corners
    die_cut: bool = False  # label sheets: cut marks make no sense

    @property
    def per_page(self) -> int:
        """Badges on one page."""
        return self.columns * self.rows

    @property
    def page_size(self) -> tuple[float, float]:
        """Page size in points."""
        return self.page[0] * mm, self.page[1] * mm

    def cells(self, offset_mm: tuple[float, float] = (0.0, 0.0)) -> list[tuple[float, float, float, float]]:
        """Badge rectangles (x, y, width, height) in points, reading order, shifted by the printer offset.

        offset_mm is (right, down): what an alignment test print measured as needed.
        """
        w, h = self.badge
        px = self.pitch_x or w
        py = self.pitch_y or h
        dx, dy = offset_mm
        out = []
        for r in range(self.rows):
            for c in range(self.columns):
                x = self.left + c * px + dx
                top = self.top + r * py + dy
                out.append((x * mm, (self.page[1] - top - h) * mm, w * mm, h * mm))
        return out


LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        Layout("a4-8up", "A4, 8 badges of 105 x 74 mm (A7, butted; A7 holders, micro-perforated card)",
               A4, (105.0, 74.0), 2, 4, 0.0, 0.5),
        Layout("a4-4up", "A4, 4 badges of 105 x 148 mm (A6, butted)", A4, A6, 2, 2, 0.0, 0.5),
        Layout("a6", "A6, one 105 x 148 mm badge per page", A6, A6),
        Layout("cr80", "ID-1 / CR80 card, 85.6 x 54 mm, one per page (card printers)", CR80, CR80),
        Layout("avery-l4785", "Avery L4785 name badge labels, 80 x 50 mm, 10 per A4", A4, (80.0, 50.0),
               2, 5, 18.0, 13.0, 95.0, 55.0, corner_radius=4.0, die_cut=True),
        Layout("avery-l7165", "Avery L7165 labels, 99.1 x 67.7 mm, 8 per A4", A4, (99.1, 67.7),
               2, 4, 4.67, 13.04, 101.64, 67.73, corner_radius=0.0, die_cut=True),
        Layout("avery-l7414", "Avery L7414 business cards, 90 x 52 mm, 10 per A4", A4, (90.0, 52.0),
               2, 5, 15.0, 18.5, 90.0, 52.0, die_cut=True),
    )
}
DEFAULT_LAYOUT = "a4-8up"


def get_layout(name: str) -> Layout:
    """The layout of that name; ValueError naming the known ones otherwise."""
    try:
        return LAYOUTS[name]
    except KeyError:
        raise ValueError(f"unknown layout {name!r}; choose one of: {', '.join(LAYOUTS)}") from None


MARK_LENGTH = 4.0  # mm
MARK_GAP = 1.0  # mm between a mark and the badge edge it points at


def draw_cut_marks(canv, layout: Layout, offset_mm: tuple[float, float] = (0.0, 0.0)) -> None:
    """Crop marks on every cut line, in the page margin (or along the cut line where badges butt)."""
    if layout.die_cut:
        return
    cells = layout.cells(offset_mm)
    xs = sorted({round(x, 3) for x, _, w, _ in cells} | {round(x + w, 3) for x, _, w, _ in cells})
    ys = sorted({round(y, 3) for _, y, _, h in cells} | {round(y + h, 3) for _, y, _, h in cells})
    page_w, page_h = layout.page_size
    length, gap = MARK_LENGTH * mm, MARK_GAP * mm
    grid_left, grid_right, grid_bottom, grid_top = xs[0], xs[-1], ys[0], ys[-1]
    canv.saveState()
    canv.setLineWidth(0.25)
    canv.setStrokeColorRGB(0, 0, 0)
    p = canv.beginPath()

    def ticks(lo_space: float, hi_space: float, lo_edge: float, hi_edge: float, page_end: float):
        # A margin wide enough holds the mark outside the badges; otherwise it runs along the cut
        # line from the page edge, where the blade removes it.
        lo = (lo_edge - gap - length, lo_edge - gap) if lo_space >= length + gap else (0.0, length)
        hi = (hi_edge + gap, hi_edge + gap + length) if hi_space >= length + gap else (page_end - length,
                                                                                       page_end)
        return lo, hi

    v_lo, v_hi = ticks(grid_bottom, page_h - grid_top, grid_bottom, grid_top, page_h)
    for x in xs:
        for a, b in (v_lo, v_hi):
            p.moveTo(x, a)
            p.lineTo(x, b)
    h_lo, h_hi = ticks(grid_left, page_w - grid_right, grid_left, grid_right, page_w)
    for y in ys:
        for a, b in (h_lo, h_hi):
            p.moveTo(a, y)
            p.lineTo(b, y)
    canv.drawPath(p, stroke=1, fill=0)
    canv.restoreState()


def draw_alignment_sheet(canv, layout: Layout, offset_mm: tuple[float, float] = (0.0, 0.0),
                         font: str = "Helvetica") -> None:
    """One page to calibrate a printer: badge outlines, centre crosses and mm rulers, offset applied."""
    page_w, page_h = layout.page_size
    canv.setPageSize(layout.page_size)
    canv.saveState()
    canv.setLineWidth(0.3)
    for i, (x, y, w, h) in enumerate(layout.cells(offset_mm), 1):
        r = layout.corner_radius * mm
        canv.roundRect(x, y, w, h, r, stroke=1, fill=0) if r else canv.rect(x, y, w, h, stroke=1, fill=0)
        cx, cy = x + w / 2, y + h / 2
        canv.line(cx - 5 * mm, cy, cx + 5 * mm, cy)
        canv.line(cx, cy - 5 * mm, cx, cy + 5 * mm)
        canv.setFont(font, 7)
        canv.drawCentredString(cx, cy - 9 * mm, f"{i}  ({w / mm:.1f} x {h / mm:.1f} mm)")
    # Rulers along the top and left page edges, 1 mm ticks, numbered every 10 mm.
    canv.setLineWidth(0.2)
    for i in range(int(layout.page[0]) + 1):
        t = (3 if i % 10 == 0 else 2 if i % 5 == 0 else 1) * mm
        canv.line(i * mm, page_h, i * mm, page_h - t)
        if i % 10 == 0 and 0 < i < layout.page[0]:
            canv.setFont(font, 5)
            canv.drawCentredString(i * mm, page_h - 5.5 * mm, str(i))
    for i in range(int(layout.page[1]) + 1):
        t = (3 if i % 10 == 0 else 2 if i % 5 == 0 else 1) * mm
        canv.line(0, page_h - i * mm, t, page_h - i * mm)
        if i % 10 == 0 and 0 < i < layout.page[1]:
            canv.setFont(font, 5)
            canv.drawString(3.5 * mm, page_h - i * mm - 1.5, str(i))
    lines = [
        f"Alignment test: {layout.name}",
        f"offset applied: right {offset_mm[0]:+.1f} mm, down {offset_mm[1]:+.1f} mm",
        "Print at 100% (no 'fit to page'), hold it over a blank sheet against the light;",
        "if outlines sit left of/above the sheet's, add the gap in mm to --offset-x/--offset-y.",
    ]
    size = 7 if layout.page[0] > 120 else 4.5
    bottom_margin = min(y for _, y, _, _ in layout.cells(offset_mm))
    in_margin = (bottom_margin - 2 * mm) / (len(lines) * 1.3 + 1)
    if in_margin >= 5:  # label sheets: the instructions fit below the last row
        size = min(size, in_margin)
    box_w = max(canv.stringWidth(line, font, size) for line in lines) + 3 * size
    box_h = len(lines) * size * 1.3 + size
    if in_margin >= 5:
        box_y = (bottom_margin - box_h) / 2
    else:  # butted sheets: in a white box mid-page
        box_y = (page_h - box_h) / 2 + size * 4
        canv.setFillColorRGB(1, 1, 1)
        canv.rect((page_w - box_w) / 2, box_y, box_w, box_h, stroke=1, fill=1)
    canv.setFillColorRGB(0, 0, 0)
    canv.setFont(font, size)
    y = box_y + box_h - size * 0.5 - size
    for line in lines:
        canv.drawCentredString(page_w / 2, y, line)
        y -= size * 1.3
    canv.restoreState()
    draw_cut_marks(canv, layout, offset_mm)


def render_alignment_sheet(layout_name: str, out: BinaryIO, offset_mm: tuple[float, float] = (0.0, 0.0)) -> None:
    """Write the one-page alignment test PDF of a layout to out (ValueError for an unknown layout)."""
    layout = get_layout(layout_name)
    canv = Canvas(out, pagesize=layout.page_size, invariant=1)
    canv.setTitle(f"Alignment test: {layout.name}")
    canv.setCreator("events_app")
    draw_alignment_sheet(canv, layout, offset_mm)
    canv.showPage()
    canv.save()
