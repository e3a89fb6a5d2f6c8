"""Charts drawn on the server as SVG: horizontal bars (single, grouped, stacked) and a chart over time.

Pure functions of labels and numbers that return markup; no database, no Flask. Every chart is an
`<svg role="img">` named by its <title> and summarised by its <desc>; each series has a pattern as
well as a colour and every bar carries its value as text, so nothing depends on telling colours
apart. All text is escaped here, which is why the result is Markup.
"""
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 440  # drawn 400 to 520 px wide, so text stays 13 to 17 px (dashboard.html scrolls it on a phone)
ROW = 24  # height of one bar
GAP = 10  # space between categories
FONT = 14
VALUE_ROOM = 80  # right of the longest bar, for its value ("1,234 of 2,000")
# Okabe-Ito colours (told apart with most colour-vision deficiencies), each paired with a pattern.
COLOURS = ("#0b5cad", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#56b4e9", "#555555", "#e69f00")
MARKS = (
    "",  # solid
    '<path d="M-2 2L2-2M0 8L8 0M6 10L10 6" stroke="{c}" stroke-width="2.4"/>',  # diagonal stripes
    '<circle cx="4" cy="4" r="2" fill="{c}"/>',  # dots
    '<path d="M0 0L8 8M8 0L0 8" stroke="{c}" stroke-width="1.4"/>',  # cross-hatch
    '<path d="M0 4H8" stroke="{c}" stroke-width="2.6"/>',  # horizontal lines
    '<path d="M4 0V8" stroke="{c}" stroke-width="2.6"/>',  # vertical lines
    '<path d="M-2 6L2 10M0 0L8 8M6-2L10 2" stroke="{c}" stroke-width="2.4"/>',  # reverse diagonal
    '<rect width="4" height="4" fill="{c}"/><rect x="4" y="4" width="4" height="4" fill="{c}"/>',  # checks
)
# Presentation attributes, not a <style> element or style="": the Content-Security-Policy allows no inline
# style, and attributes draw the same inline and in a standalone .svg. Added to each element by its class.
TEXT = f'font-family="system-ui,\'Noto Sans\',sans-serif" font-size="{FONT}" fill="#1b1f24"'
PRESENTATION = {
    "value": 'paint-order="stroke" stroke="#fff" stroke-width="3" stroke-linejoin="round"',
    "axis": 'stroke="#8a949e"',
    "grid": 'stroke="#d6dbe0"',
    "bar": 'stroke="#1b1f24" stroke-width=".6"',
    "target": 'fill="none" stroke="#1b1f24" stroke-dasharray="4 3"',
    "line": 'fill="none" stroke="#0b5cad" stroke-width="2.5"',
}


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value, and optionally the places it is measured against."""

    label: str
    value: int
    target: int | None = None


@dataclass(frozen=True)
class Series:
    """One series of a grouped or stacked chart: its name (the legend) and a value per category."""

    name: str
    values: Sequence[int]


def bar_chart(uid: str, title: str, summary: str, bars: Sequence[Bar]) -> Markup:
    """Horizontal bars, each labelled with its value ("12 of 20" and a dashed outline when it has a target)."""
    label_width = _label_width(bar.label for bar in bars)
    scale = _scale(label_width, max([1, *(b.value for b in bars), *(b.target or 0 for b in bars)]))
    parts = []
    for i, bar in enumerate(bars):
        y = i * (ROW + GAP)
        parts.append(_label(bar.label, label_width, y))
        parts.append(_rect(label_width, y, scale(bar.value), ROW, f"url(#{uid}-p0)", bar.label, bar.value))
        end = scale(bar.value)
        text = _number(bar.value)
        if bar.target is not None:
            parts.append(f'<rect class="target" x="{label_width}" y="{y}" width="{scale(bar.target):.1f}" '
                         f'height="{ROW}"/>')
            end = max(end, scale(bar.target))
            text = f"{_number(bar.value)} / {_number(bar.target)}"
        parts.append(_value(label_width + end + 6, y + ROW / 2, text))
    height = max(len(bars), 1) * (ROW + GAP)
    return _svg(uid, title, summary, height, _patterns(uid, 1), "".join(parts))


def grouped_bar_chart(uid: str, title: str, summary: str, categories: Sequence[str],
                      series: Sequence[Series]) -> Markup:
    """One thin bar per series in each category, each series with its own pattern, all values written."""
    label_width = _label_width(categories)
    scale = _scale(label_width, max([1, *(v for s in series for v in s.values)]))
    thin = max(ROW * 0.75, 14)
    legend, legend_height = _legend(uid, [s.name for s in series])
    parts = [legend]
    band = thin * len(series) + GAP
    for c, category in enumerate(categories):
        y0 = legend_height + c * band
        parts.append(_label(category, label_width, y0 + (band - GAP) / 2 - ROW / 2))
        for s, one in enumerate(series):
            y = y0 + s * thin
            value = one.values[c]
            parts.append(_rect(label_width, y, scale(value), thin - 2, f"url(#{uid}-p{s})",
                               f"{category}, {one.name}", value))
            parts.append(_value(label_width + scale(value) + 6, y + thin / 2 - 1, _number(value)))
    height = legend_height + max(len(categories), 1) * band
    return _svg(uid, title, summary, height, _patterns(uid, len(series)), "".join(parts))


def stacked_bar_chart(uid: str, title: str, summary: str, categories: Sequence[str],
                      series: Sequence[Series]) -> Markup:
    """One bar per category split into its series; a segment wide enough carries its value, each bar its total."""
    label_width = _label_width(categories)
    totals = [sum(s.values[c] for s in series) for c in range(len(categories))]
    scale = _scale(label_width, max([1, *totals]))
    legend, legend_height = _legend(uid, [s.name for s in series])
    parts = [legend]
    for c, category in enumerate(categories):
        y = legend_height + c * (ROW + GAP)
        parts.append(_label(category, label_width, y))
        x = float(label_width)
        for s, one in enumerate(series):
            value = one.values[c]
            if not value:
                continue
            width = scale(value)
            parts.append(_rect(x, y, width, ROW, f"url(#{uid}-p{s})", f"{category}, {one.name}", value))
            if width >= 9 * len(str(value)) + 10:
                parts.append(_value(x + width / 2, y + ROW / 2, _number(value), anchor="middle"))
            x += width
        parts.append(_value(x + 6, y + ROW / 2, _number(totals[c])))
    height = legend_height + max(len(categories), 1) * (ROW + GAP)
    return _svg(uid, title, summary, height, _patterns(uid, len(series)), "".join(parts))


def time_chart(uid: str, title: str, summary: str, days: Sequence[str], daily: Series,
               cumulative: Series) -> Markup:
    """Bars for each day's count and a line with dots for the running total, on one axis with a labelled grid."""
    height, left, bottom = 220, 44, 36
    plot_height = height - bottom - 10
    ticks = _ticks(max([1, *cumulative.values]))
    top = ticks[-1]
    step = (WIDTH - left - 10) / max(len(days), 1)
    legend, legend_height = _legend(uid, [daily.name, cumulative.name], line_second=True)
    y_of = lambda value: legend_height + 10 + plot_height * (1 - value / top)  # noqa: E731
    parts = [legend]
    for tick in ticks:
        y = y_of(tick)
        parts.append(f'<line class="grid" x1="{left}" x2="{WIDTH - 10}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(_value(left - 6, y, _number(tick), anchor="end"))
    points = []
    for i, (day, count, total) in enumerate(zip(days, daily.values, cumulative.values, strict=True)):
        x = left + i * step
        bar_width = min(max(step * 0.7, 1), 40)
        parts.append(_rect(x + (step - bar_width) / 2, y_of(count), bar_width, y_of(0) - y_of(count),
                           f"url(#{uid}-p0)", day, count))
        points.append((x + step / 2, y_of(total)))
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    parts.append(f'<polyline class="line" points="{line}"/>')
    if len(points) <= 40:
        parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#0b5cad"/>' for x, y in points)
    if points:
        parts.append(_value(min(points[-1][0], WIDTH - 12), points[-1][1] - 10, _number(cumulative.values[-1]),
                            anchor="end"))
    base = y_of(0)
    parts.append(f'<line class="axis" x1="{left}" x2="{WIDTH - 10}" y1="{base:.1f}" y2="{base:.1f}"/>')
    for i in _day_ticks(len(days)):
        x = left + i * step + step / 2
        parts.append(f'<text x="{x:.1f}" y="{base + 18:.1f}" text-anchor="middle">{escape(days[i])}</text>')
    return _svg(uid, title, summary, legend_height + height, _patterns(uid, 1), "".join(parts))


def _svg(uid: str, title: str, summary: str, height: float, defs: str, body: str) -> Markup:
    # Escaped text cannot hold `class="…"` (its quotes became &#34;), so only our own elements get attributes.
    for name, attributes in PRESENTATION.items():
        body = body.replace(f'class="{name}"', f'class="{name}" {attributes}')
    # Safe: every label, name and number reached this markup through escape().
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height + 4:.0f}" '
        f'width="100%" class="chart" {TEXT} aria-labelledby="{uid}-title {uid}-desc">'
        f'<title id="{uid}-title">{escape(title)}</title><desc id="{uid}-desc">{escape(summary)}</desc>'
        f"<defs>{defs}</defs>{body}</svg>"
    )


def _patterns(uid: str, count: int) -> str:
    tiles = []
    for i in range(count):
        colour, marks = COLOURS[i % len(COLOURS)], MARKS[i % len(MARKS)]
        ground = colour if not marks else "#fff"
        tiles.append(f'<pattern id="{uid}-p{i}" width="8" height="8" patternUnits="userSpaceOnUse">'
                     f'<rect width="8" height="8" fill="{ground}"/>{marks.format(c=colour)}</pattern>')
    return "".join(tiles)


def _legend(uid: str, names: Sequence[str], *, line_second: bool = False) -> tuple[str, float]:
    """Swatches with names, wrapping to new lines; returns the markup and its height."""
    parts, x, y = [], 0.0, 0.0
    for i, name in enumerate(names):
        width = 22 + _text_width(name) + 18
        if x and x + width > WIDTH:
            x, y = 0.0, y + ROW
        if line_second and i == 1:
            parts.append(f'<line class="line" x1="{x}" x2="{x + 16}" y1="{y + 8}" y2="{y + 8}"/>'
                         f'<circle cx="{x + 8}" cy="{y + 8}" r="3" fill="#0b5cad"/>')
        else:
            parts.append(f'<rect class="bar" x="{x}" y="{y}" width="16" height="16" fill="url(#{uid}-p{i})"/>')
        parts.append(f'<text x="{x + 22}" y="{y + 13}">{escape(name)}</text>')
        x += width
    return "".join(parts), y + ROW + 6


def _label(text: str, width: float, y: float) -> str:
    shown = _fit(text, width - 8)
    tooltip = f"<title>{escape(text)}</title>" if shown != text else ""
    return (f'<text x="{width - 8}" y="{y + ROW / 2}" dominant-baseline="central" text-anchor="end">'
            f"{escape(shown)}{tooltip}</text>")


def _rect(x, y, width, height, fill, name, value) -> str:
    return (f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{height:.1f}" '
            f'fill="{fill}"><title>{escape(name)}: {escape(_number(value))}</title></rect>')


def _value(x: float, y: float, text: str, *, anchor: str = "start") -> str:
    return (f'<text class="value" x="{x:.1f}" y="{y:.1f}" dominant-baseline="central" '
            f'text-anchor="{anchor}">{escape(text)}</text>')


def _scale(label_width: float, top: int):
    room = WIDTH - label_width - VALUE_ROOM
    return lambda value: room * value / top


def _label_width(labels) -> float:
    return min(max([60.0, *(_text_width(label) + 12 for label in labels)]), 190.0)


def _text_width(text: str) -> float:
    """A rough width in pixels: wide (CJK) characters count double, combining marks nothing."""
    width = 0.0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) == "Mn":
            continue
        width += FONT if unicodedata.east_asian_width(char) in "WF" else FONT * 0.55
    return width


def _fit(text: str, width: float) -> str:
    if _text_width(text) <= width:
        return text
    while text and _text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _number(value: int) -> str:
    return f"{value:,}"


def _ticks(top: int) -> list[int]:
    """Round grid values (steps of 1, 2, 5, 10, 20, 50 ...) from 0 to the first at or above `top`."""
    steps = (1, 2, 5)
    n = 0
    while top / (steps[n % 3] * 10 ** (n // 3)) > 5:
        n += 1
    step = steps[n % 3] * 10 ** (n // 3)
    return list(range(0, -(-top // step) * step + 1, step))


def _day_ticks(count: int) -> list[int]:
    """Indexes of the days to label under the time axis: the first, the last and a few evenly between."""
    if count <= 7:
        return list(range(count))
    every = -(-count // 6)
    ticks = list(range(0, count, every))
    if count - 1 - ticks[-1] < every / 2:
        ticks.pop()
    return [*ticks, count - 1]
