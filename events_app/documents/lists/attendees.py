"""Attendee lists, and the paginated table both they and the sign-in sheets are drawn with.

A pure function of plain data (`EventInfo`, `Delegate` rows) to a PDF on a stream. The table
is laid out in full first (every cell wrapped and measured), then drawn, so each page can say
"Page N of M" in one pass of drawing; the header row repeats on every page, and a group that runs
on to the next page repeats its heading there.

The public version keeps only delegates who consented and only the public columns; it refuses
any other column rather than quietly printing it.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from events_app.documents.fonts import FontSet, font_set
from events_app.documents.paragraphs import EMPTY, Block, cell_block, draw_block, missing_scripts
from events_app.documents.records import Delegate, DocumentReport, EventInfo

INK = (0.1, 0.1, 0.1)
GREY = (0.35, 0.35, 0.35)
RULE = (0.72, 0.72, 0.72)
HEAD_FILL = (0.90, 0.92, 0.95)
GROUP_FILL = (0.82, 0.87, 0.94)
ZEBRA_FILL = (0.965, 0.97, 0.975)
MARGIN = 14 * mm
PAD_X, PAD_Y = 1.6 * mm, 1.5 * mm


@dataclass(frozen=True, slots=True)
class Column:
    """One table column: its heading, nominal width in mm (scaled to the page) and text size."""

    key: str
    header: str
    width_mm: float
    size: float = 8.5


@dataclass(frozen=True, slots=True)
class CellText:
    """What one cell shows: its text and an optional smaller grey line beneath (the Latin name)."""

    text: str = ""
    secondary: str = ""
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Row:
    """A table row and whom it is about (for missing-font warnings)."""

    cells: tuple[CellText, ...]
    who: str = ""


@dataclass(frozen=True, slots=True)
class Heading:
    """A group heading spanning the table."""

    label: str


@dataclass(frozen=True, slots=True)
class Furniture:
    """What every page of a table document says above and below the table."""

    title: str  # the event's title
    subtitle: str  # its dates and place
    kind: str  # "Attendee list", "Sign-in sheet"
    detail: str  # "Grouped by country · 42 delegates"
    note: str = ""  # the footer's left side
    stamp: str = ""  # the footer's right side, before the page number: "As of 3 March 2026"


NUMBER = Column("number", "No.", 9, size=8)
COLUMNS: dict[str, Column] = {c.key: c for c in (
    Column("name", "Name", 54),
    Column("honorific", "Title", 14),
    Column("organisation", "Organisation", 52),
    Column("position", "Position", 36),
    Column("country", "Country", 26),
    Column("stakeholder_group", "Stakeholder group", 30),
    Column("participant_role", "Role", 22),
    Column("email", "Email", 50),
    Column("phone", "Phone", 30),
)}
PUBLIC_COLUMNS = ("name", "organisation", "country")
DEFAULT_COLUMNS = ("name", "organisation", "position", "country", "stakeholder_group", "participant_role",
                   "email")
GROUP_BY = {"country": "country", "stakeholder_group": "stakeholder group"}


@dataclass(frozen=True, slots=True)
class _Laid:
    """A row or heading, wrapped and measured."""

    blocks: tuple[tuple[Block, Block], ...]  # per column: (text, secondary)
    height: float
    first_ascent: float  # top of the row's content to its first baseline, shared by every cell
    content: float  # height of the tallest cell's content
    heading: bool = False
    zebra: bool = False


class TableDocument:
    """Lays out rows on pages of a given size and draws them with repeating header and page numbers."""

    def __init__(self, fonts: FontSet, furniture: Furniture, columns: Sequence[Column], *,
                 landscape_page: bool = False, min_row_height: float = 0.0, grid: bool = False,
                 header_size: float = 7.5):
        self.fonts, self.furniture, self.columns, self.grid = fonts, furniture, tuple(columns), grid
        self.page_size = landscape(A4) if landscape_page else A4
        self.width = self.page_size[0] - 2 * MARGIN
        total = sum(c.width_mm for c in self.columns)
        self.widths = [c.width_mm / total * self.width for c in self.columns]
        self.min_row_height = min_row_height
        self.header = self._lay([CellText(c.header, bold=True) for c in self.columns], size=header_size,
                                min_height=0.0)
        self._top = self._furniture_blocks()

    # Layout -------------------------------------------------------------------------------------------
    def _lay(self, cells: Sequence[CellText], *, size: float | None = None, min_height: float | None = None,
             zebra: bool = False) -> _Laid:
        blocks = []
        for column, width, cell in zip(self.columns, self.widths, cells, strict=True):
            s = size or column.size
            inner = width - 2 * PAD_X
            main = cell_block(self.fonts, cell.text, inner, s, bold=cell.bold, max_lines=5)
            second = cell_block(self.fonts, cell.secondary, inner, s * 0.86, max_lines=2)
            blocks.append((main, second))
        ascent = max((m.ascent for m, _ in blocks if m.lines), default=0.0)
        content = 0.0
        for main, second in blocks:
            h = (ascent - main.ascent + main.height) if main.lines else 0.0
            if second.lines:
                h += 0.8 * mm + second.height
            content = max(content, h)
        height = max(content + 2 * PAD_Y, self.min_row_height if min_height is None else min_height)
        return _Laid(tuple(blocks), height, ascent, content, zebra=zebra)

    def _heading(self, label: str) -> _Laid:
        block = cell_block(self.fonts, label, self.width - 2 * PAD_X, 9.5, bold=True, max_lines=2)
        blocks = ((block, EMPTY),) + ((EMPTY, EMPTY),) * (len(self.columns) - 1)
        return _Laid(blocks, block.height + 2 * PAD_Y + 1.2 * mm, block.ascent, block.height, heading=True)

    def _furniture_blocks(self):
        f, w = self.furniture, self.width
        left = (cell_block(self.fonts, f.title, w * 0.62, 12, bold=True, max_lines=3),
                cell_block(self.fonts, f.subtitle, w * 0.62, 8.5, max_lines=2))
        right = (cell_block(self.fonts, f.kind, w * 0.36, 11, bold=True, max_lines=2),
                 cell_block(self.fonts, f.detail, w * 0.36, 8, max_lines=2))
        height = max(left[0].height + 1.5 * mm + left[1].height, right[0].height + 1.5 * mm + right[1].height)
        return left, right, height

    def paginate(self, items: Iterable[Row | Heading]) -> list[list[_Laid]]:
        """Lay every item out and split them into pages (a heading never ends a page)."""
        top_h = self._top[2] + 5 * mm
        room = self.page_size[1] - 2 * MARGIN - top_h - 2 * mm - self.header.height
        pages: list[list[_Laid]] = [[]]
        used = 0.0
        group: str | None = None
        pending: _Laid | None = None  # a heading waiting for its first row
        n = 0
        for item in items:
            if isinstance(item, Heading):
                group, pending = item.label, self._heading(item.label)
                continue
            laid = self._lay(item.cells, zebra=n % 2 == 1)
            n += 1
            need = laid.height + (pending.height if pending else 0.0)
            if used + need > room and pages[-1]:
                pages.append([])
                used = 0.0
                if pending is None and group is not None:
                    pending = self._heading(f"{group} (continued)")
            if pending is not None:
                pages[-1].append(pending)
                used += pending.height
                pending = None
            pages[-1].append(laid)
            used += laid.height
        return pages

    # Drawing ------------------------------------------------------------------------------------------
    def render(self, out: BinaryIO, items: Iterable[Row | Heading], *, pdf_title: str) -> int:
        """Lay out and draw every page into out; returns the number of pages."""
        pages = self.paginate(items)
        canv = Canvas(out, pagesize=self.page_size, pageCompression=1, invariant=1,
                      initialFontName=self.fonts.base_font(), initialFontSize=8)
        canv.setTitle(pdf_title)
        canv.setCreator("events_app")
        for number, page in enumerate(pages, 1):
            y = self._draw_furniture(canv, number, len(pages))
            y = self._draw_row(canv, self.header, y, fill=HEAD_FILL, colour=GREY)
            for laid in page:
                fill = GROUP_FILL if laid.heading else ZEBRA_FILL if laid.zebra and not self.grid else None
                y = self._draw_row(canv, laid, y, fill=fill)
            if not page:
                canv.setFillColorRGB(*GREY)
                draw_block(canv, cell_block(self.fonts, "No delegates to list.", self.width, 10), MARGIN,
                           y - 6 * mm)
            canv.showPage()
        canv.save()
        return len(pages)

    def _draw_furniture(self, canv, number: int, total: int) -> float:
        w, h = self.page_size
        (title, subtitle), (kind, detail), height = self._top
        top = h - MARGIN
        canv.setFillColorRGB(*INK)
        y = draw_block(canv, title, MARGIN, top) - 1.5 * mm
        canv.setFillColorRGB(*GREY)
        draw_block(canv, subtitle, MARGIN, y)
        canv.setFillColorRGB(*INK)
        y = draw_block(canv, kind, w - MARGIN, top, align="right") - 1.5 * mm
        canv.setFillColorRGB(*GREY)
        draw_block(canv, detail, w - MARGIN, y, align="right")
        rule = top - height - 2.5 * mm
        canv.setStrokeColorRGB(*INK)
        canv.setLineWidth(0.8)
        canv.line(MARGIN, rule, w - MARGIN, rule)
        # Footer: the note on the left, the page number on the right.
        canv.setFillColorRGB(*GREY)
        base = MARGIN - 6 * mm
        if self.furniture.note:
            note = cell_block(self.fonts, self.furniture.note, self.width * 0.58, 7.5, max_lines=1)
            draw_block(canv, note, MARGIN, base + note.ascent)
        stamp = f"{self.furniture.stamp} \u00b7 " if self.furniture.stamp else ""
        page = cell_block(self.fonts, f"{stamp}Page {number} of {total}", self.width * 0.4, 8)
        draw_block(canv, page, w - MARGIN, base + page.ascent, align="right")
        return rule - 2.5 * mm

    def _draw_row(self, canv, laid: _Laid, top: float, *, fill=None, colour=INK) -> float:
        bottom = top - laid.height
        if fill:
            canv.setFillColorRGB(*fill)
            canv.rect(MARGIN, bottom, self.width, laid.height, stroke=0, fill=1)
        # Content centred in tall rows; first baselines aligned across the row.
        baseline = top - PAD_Y - max(0.0, laid.height - 2 * PAD_Y - laid.content) / 2 - laid.first_ascent
        if laid.heading:
            baseline = top - PAD_Y - 0.6 * mm - laid.first_ascent
        x = MARGIN
        for width, (main, second) in zip(self.widths, laid.blocks, strict=True):
            end = baseline
            if main.lines:
                canv.setFillColorRGB(*colour)
                end = draw_block(canv, main, x + PAD_X, baseline + main.ascent)
            if second.lines:
                canv.setFillColorRGB(*GREY)
                draw_block(canv, second, x + PAD_X, end - 0.8 * mm)
            x += width
        canv.setStrokeColorRGB(*RULE)
        canv.setLineWidth(0.4)
        canv.line(MARGIN, bottom, MARGIN + self.width, bottom)
        if self.grid and not laid.heading:
            x = MARGIN
            for width in (0.0, *self.widths):
                x += width
                canv.line(x, bottom, x, top)
        return bottom


def landscape_needed(columns: Sequence[Column]) -> bool:
    """Whether these columns need an A4 landscape page to be read comfortably."""
    return sum(c.width_mm for c in columns) > (A4[0] - 2 * MARGIN) / mm + 0.5


def _cell(delegate: Delegate, key: str) -> CellText:
    if key == "name":
        return CellText(delegate.full_name, delegate.name_latin, bold=True)
    return CellText(getattr(delegate, key) or "")


def _group_key(delegate: Delegate, group_by: str) -> tuple:
    if group_by == "stakeholder_group":
        return (delegate.stakeholder_order, delegate.stakeholder_group)
    return (delegate.country_group.casefold(), delegate.country_group)


def render_attendee_list(event: EventInfo, delegates: Iterable[Delegate], out: BinaryIO, *,
                         public: bool = False, group_by: str = "country", columns: Sequence[str] | None = None,
                         as_of: date | None = None, font_dirs=(), system_fonts: bool = True) -> DocumentReport:
    """Render an attendee list, grouped and sorted by Latin name within each group, into out."""
    if group_by not in GROUP_BY:
        raise ValueError(f"cannot group by {group_by!r}")
    keys = tuple(columns or (PUBLIC_COLUMNS if public else DEFAULT_COLUMNS))
    unknown = [k for k in keys if k not in COLUMNS]
    if unknown:
        raise ValueError(f"unknown column(s): {', '.join(unknown)}")
    if public and not set(keys) <= set(PUBLIC_COLUMNS):
        raise ValueError(f"the public list shows only {', '.join(PUBLIC_COLUMNS)}")
    rows = [d for d in delegates if d.list_publicly or not public]
    report = DocumentReport(kind="list entry", items=len(rows))
    fonts = font_set(font_dirs, system=system_fonts)
    if missing := missing_scripts(fonts, event.title):
        report.note_missing(missing, "(event title)")
    # Groups in order; within a group the rows keep the Latin-name order they came in (stable sort).
    rows.sort(key=lambda d: _group_key(d, group_by))
    groups: dict[str, int] = {}
    for d in rows:
        label = _group_key(d, group_by)[1] or "Not given"
        groups[label] = groups.get(label, 0) + 1

    def items():
        current = None
        for n, d in enumerate(rows, 1):
            label = _group_key(d, group_by)[1] or "Not given"
            if label != current:
                current = label
                yield Heading(f"{label} \u00b7 {groups[label]}")
            missing = missing_scripts(fonts, d.full_name, d.name_latin, d.organisation, d.position)
            if missing:
                report.note_missing(missing, d.display_name)
            yield Row((CellText(str(n)), *(_cell(d, k) for k in keys)), d.display_name)

    chosen = [NUMBER, *(COLUMNS[k] for k in keys)]
    kind = "Participant list" if public else "Attendee list \u2013 internal"
    furniture = Furniture(
        title=event.title,
        subtitle=" \u00b7 ".join(p for p in (event.dates, event.place) if p),
        kind=kind,
        detail=f"{len(rows)} delegates, grouped by {GROUP_BY[group_by]}",
        note=("Lists only participants who agreed to appear on it." if public else
              "Internal: contains personal data. Do not publish or forward."),
        stamp=f"As of {as_of.day} {as_of:%B %Y}" if as_of else "",
    )
    table = TableDocument(fonts, furniture, chosen, landscape_page=landscape_needed(chosen))
    report.pages = table.render(out, items(), pdf_title=f"{kind}: {event.title}")
    return report
