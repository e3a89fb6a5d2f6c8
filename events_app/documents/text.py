"""Shaped multi-script text: measure, fit into a box (shrink, then wrap) and draw on a reportlab canvas.

Why not `canvas.drawString(..., shaping=True)`: in reportlab 5.1 that flag is silently ignored unless
the optional `rlbidi` package is installed, so Khmer and Burmese would come out unshaped. We shape
each font run with reportlab's `shapeStr` (uharfbuzz) ourselves and draw the resulting `ShapedStr`
through a text object, which reportlab positions glyph by glyph.

Each drawn line is wrapped in a PDF `/ActualText` span holding its logical Unicode text: shaped
glyphs are in visual order and some have private code points, so without it text extraction
(search, copy, screen readers, our tests) would see reordered or unmapped characters.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import icu
import uharfbuzz
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr

from events_app.documents.fonts import FontSet, Run

LEADING = 1.12  # line pitch as a multiple of the font size for wrapped lines
FAKE_BOLD_STROKE = 0.035  # stroke width per 1 pt of size for synthetic bold
# Thai, Lao, Burmese (and its extensions) and Khmer: written without spaces between words.
_SPACELESS = re.compile("[\u0e00-\u0eff\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f\u1780-\u17ff\u19e0-\u19ff]")


@lru_cache(maxsize=4096)
def shape(text: str, font: str) -> tuple[str, float, float, float]:
    """Shape one run with HarfBuzz: the drawable string, its width, ink top and ink bottom per 1 pt."""
    f = pdfmetrics.getFont(font)
    face = getattr(f, "face", None)
    if face is None:  # a standard PDF font: no shaping, nominal extents
        return text, pdfmetrics.stringWidth(text, font, 1000) / 1000, 0.75, -0.25
    shaped = shapeStr(text, font, 10) if getattr(f, "shapable", False) else text
    if isinstance(shaped, ShapedStr):
        # Shaping positions are in 1/1000 em whatever size was passed to shapeStr.
        data = shaped.__shapeData__
        width = sum(sd.x_advance for sd in data) / 1000
        offsets = [sd.y_offset for sd in data]
    else:
        width = pdfmetrics.stringWidth(shaped, font, 1000) / 1000
        offsets = [0] * len(shaped)
    extents = _glyph_extents(font)
    top, bottom = 0.0, 0.0
    for char, dy in zip(shaped, offsets, strict=True):
        t, b = extents(char)
        if t != b:
            top, bottom = max(top, t + dy), min(bottom, b + dy)
    return shaped, width, top / 1000, bottom / 1000


@lru_cache(maxsize=64)
def _glyph_extents(font: str):
    """A cached function: character -> (ink top, ink bottom) in 1/1000 em, from the font's glyph boxes."""
    f = pdfmetrics.getFont(font)
    hb_font = uharfbuzz.Font(f.hbFace)
    face = f.face
    scale = face._pdfScale
    cache: dict[str, tuple[float, float]] = {}

    def extents(char: str) -> tuple[float, float]:
        found = cache.get(char)
        if found is None:
            gid = face.charToGlyph.get(ord(char), 0)
            e = hb_font.get_glyph_extents(gid)
            found = cache[char] = (scale(e.y_bearing), scale(e.y_bearing + e.height)) if e else (0.0, 0.0)
        return found

    return extents


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text as shaped runs, with its logical text, width and ink extent per 1 pt of size."""

    text: str
    runs: tuple[tuple[str, str, bool], ...]  # (font, drawable string, synthetic bold)
    width: float
    ascent: float
    descent: float


def make_line(fonts: FontSet, text: str, *, bold: bool = False) -> Line:
    """Split a line into font runs and shape them."""
    runs = fonts.runs(text, bold=bold)
    return _line_from_runs(text, runs)


def _line_from_runs(text: str, runs: tuple[Run, ...]) -> Line:
    parts, width, asc, desc = [], 0.0, 0.0, 0.0
    for run in runs:
        drawable, w, a, d = shape(run.text, run.font)
        parts.append((run.font, drawable, run.fake_bold))
        width += w
        asc, desc = max(asc, a), min(desc, d)
    if not runs:
        asc, desc = 0.75, -0.25
    return Line(unicodedata.normalize("NFC", text), tuple(parts), width, asc, desc)


@dataclass(frozen=True, slots=True)
class Fitted:
    """Text fitted into a box: the lines, the font size and the total height used."""

    lines: tuple[Line, ...]
    size: float
    height: float

    @property
    def width(self) -> float:
        """The widest line at the fitted size."""
        return max((ln.width for ln in self.lines), default=0.0) * self.size


def _break_points(text: str, *, within_words: bool = False) -> list[int]:
    """Indices where a line may break: after spaces, hyphens and slashes, between Han characters, and
    (within_words) inside Thai, Lao, Khmer and Burmese words where ICU allows (never inside a cluster)."""
    points = set(_icu_break_points(text)) if within_words else set()
    for i in range(1, len(text)):
        prev, char = text[i - 1], text[i]
        if prev.isspace() and not char.isspace():
            points.add(i)
        elif prev in "-/" and not char.isspace():
            points.add(i)
        elif _is_han(prev) and _is_han(char):
            points.add(i)
    return sorted(points)


def _icu_break_points(text: str) -> list[int]:
    """ICU's line-break opportunities (UAX #14 with its word dictionaries), as Python string indices."""
    breaker = icu.BreakIterator.createLineInstance(icu.Locale.getRoot())
    utext = icu.UnicodeString(text)
    breaker.setText(utext)
    # ICU counts UTF-16 code units; map them back to code points (astral characters take two).
    to_index = {}
    unit = 0
    for index, char in enumerate(text):
        to_index[unit] = index
        unit += 2 if ord(char) > 0xFFFF else 1
    return [to_index[unit] for unit in breaker if 0 < unit < len(utext) and unit in to_index]


def _is_han(char: str) -> bool:
    return ("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"
            or "\U00020000" <= char <= "\U0002ffff")


def _stack_height(lines: tuple[Line, ...]) -> float:
    """Height per 1 pt of size: first line's ascent, line pitch between, last line's descent."""
    if not lines:
        return 0.0
    return lines[0].ascent - lines[-1].descent + _pitch(lines) * (len(lines) - 1)


def _pitch(lines: tuple[Line, ...]) -> float:
    """Baseline to baseline distance per 1 pt: the leading, or more when stacked marks need it."""
    return max(LEADING, max(ln.ascent for ln in lines) - min(ln.descent for ln in lines) + 0.08)


def _best_split(fonts: FontSet, text: str, n: int, bold: bool, within_words: bool) -> tuple[Line, ...] | None:
    """Break text into n lines making the widest line as narrow as possible (None if it can't)."""
    points = _break_points(text, within_words=within_words)
    if len(points) < n - 1:
        return None
    cuts = [0, *points, len(text)]
    memo: dict[tuple[int, int], Line] = {}

    def line(i: int, j: int) -> Line:
        key = (i, j)
        if key not in memo:
            memo[key] = make_line(fonts, text[cuts[i]:cuts[j]].strip(), bold=bold)
        return memo[key]

    # best[k][j]: (widest, lines) for the first j segments in k lines; few break points in practice.
    last = len(cuts) - 1
    best: dict[tuple[int, int], tuple[float, tuple[Line, ...]]] = {}
    for j in range(1, last + 1):
        ln = line(0, j)
        best[(1, j)] = (ln.width, (ln,))
    for k in range(2, n + 1):
        for j in range(k, last + 1):
            candidates = []
            for i in range(k - 1, j):
                prev = best.get((k - 1, i))
                if prev:
                    ln = line(i, j)
                    candidates.append((max(prev[0], ln.width), prev[1] + (ln,)))
            if candidates:
                best[(k, j)] = min(candidates, key=lambda c: c[0])
    found = best.get((n, last))
    return found[1] if found else None


@lru_cache(maxsize=2048)
def _fit_cached(fonts: FontSet, text: str, width: float, height: float, max_size: float,
                min_size: float, max_lines: int, bold: bool) -> Fitted:
    text = " ".join(text.split())  # collapse runs of whitespace and newlines
    # Spaces first: a Thai, Lao, Khmer or Burmese text is broken inside its words (where ICU allows) only
    # when that is not enough, so "សុខ ចាន់ធី" keeps "ចាន់ធី" whole wherever it can.
    best: Fitted | None = None
    for within_words in (False, True) if _SPACELESS.search(text) else (False,):
        for n in range(1 + within_words, max_lines + 1):
            lines = (make_line(fonts, text, bold=bold),) if n == 1 else _best_split(fonts, text, n, bold, within_words)
            if lines is None:
                break
            widest = max(ln.width for ln in lines) or 1e-9
            size = min(max_size, width / widest, height / (_stack_height(lines) or 1e-9))
            fitted = Fitted(lines, size, _stack_height(lines) * size)
            if size >= min_size:
                return fitted
            if best is None or size > best.size:
                best = fitted
    # Even max_lines at the minimum size do not fit: go below the minimum rather than overflow.
    return best if best is not None else Fitted((), max_size, 0.0)


def fit_text(fonts: FontSet, text: str, width: float, height: float, *, max_size: float,
             min_size: float, max_lines: int = 1, bold: bool = False) -> Fitted:
    """Fit text in width x height points: largest size up to max_size; below min_size wrap, then shrink."""
    return _fit_cached(fonts, text, round(width, 3), round(height, 3), max_size, min_size, max_lines, bold)


def _actual_text(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def draw_line(canv, line: Line, x: float, baseline: float, size: float, *, align: str = "left") -> None:
    """Draw one shaped line at a baseline; align is left, centre or right relative to x."""
    if not line.runs:
        return
    if align == "centre":
        x -= line.width * size / 2
    elif align == "right":
        x -= line.width * size
    fake_bold = any(run[2] for run in line.runs)
    if fake_bold:
        # Fill plus a thin stroke in the same colour thickens a font that has no bold face.
        canv.saveState()
        canv.setStrokeColor(canv._fillColorObj)
        canv.setLineWidth(size * FAKE_BOLD_STROKE)
    canv.addLiteral(f"/Span <</ActualText {_actual_text(line.text)}>> BDC")
    t = canv.beginText(x, baseline)
    for font, drawable, fake in line.runs:
        t.setFont(font, size)
        if fake:
            t.setTextRenderMode(2)
        t.textOut(drawable)
        if fake:
            t.setTextRenderMode(0)
    canv.drawText(t)
    canv.addLiteral("EMC")
    if fake_bold:
        canv.restoreState()


def draw_fitted(canv, fitted: Fitted, x: float, top: float, *, align: str = "left",
                box_height: float | None = None) -> float:
    """Draw fitted lines from the top of their box (vertically centred when box_height is given)."""
    size = fitted.size
    if box_height is not None:
        top -= max(0.0, box_height - fitted.height) / 2
    if not fitted.lines:
        return top
    pitch = _pitch(fitted.lines) * size
    baseline = top - fitted.lines[0].ascent * size
    for ln in fitted.lines:
        draw_line(canv, ln, x, baseline, size, align=align)
        baseline -= pitch
    return top - fitted.height
