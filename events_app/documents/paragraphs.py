"""Blocks of shaped text for lists, sheets, certificates and letters: wrapped to a width, drawn on a canvas.

Built on the badge module's shaping (`text.make_line`, `text.fit_text`, `text.draw_line`), so names
in every script get their own font and HarfBuzz shaping. No reportlab paragraph markup is used
anywhere in these documents: user text becomes shaped glyph strings and a hex-encoded
`/ActualText`, so `<`, `&` and quotes in a name print as themselves and can never be read as
markup. `plain()` is the one place text is tidied before it is laid out.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from events_app.documents.fonts import LATIN, FontSet
from events_app.documents.text import Line, draw_line, fit_text, make_line

# Ink extents below these (per 1 pt) are raised to them, so a Latin name without accents or
# descenders takes the same row height as one with them.
NOMINAL_ASCENT = 0.76
NOMINAL_DESCENT = 0.24


def plain(text: str | None) -> str:
    """Text as it is laid out: NFC, control characters dropped, runs of whitespace as one space."""
    text = unicodedata.normalize("NFC", text or "")
    if not text.isprintable():  # rare: only then look at each character
        text = "".join(c if unicodedata.category(c)[0] != "C" or c in "\u200c\u200d" else " " for c in text)
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Block:
    """Lines of shaped text at one size, with the room they take (all in points)."""

    lines: tuple[Line, ...]
    size: float
    pitch: float  # baseline to baseline
    ascent: float  # from the top of the block to the first baseline
    descent: float  # from the last baseline to the bottom of the block

    @property
    def height(self) -> float:
        """From the top of the first line's ink to the bottom of the last one's."""
        if not self.lines:
            return 0.0
        return self.ascent + self.pitch * (len(self.lines) - 1) + self.descent

    @property
    def width(self) -> float:
        """The widest line."""
        return max((ln.width for ln in self.lines), default=0.0) * self.size


EMPTY = Block((), 0.0, 0.0, 0.0, 0.0)


def _block(lines: tuple[Line, ...], size: float, leading: float) -> Block:
    if not lines:
        return EMPTY
    top = max(max(ln.ascent for ln in lines), NOMINAL_ASCENT)
    bottom = max(max(-ln.descent for ln in lines), NOMINAL_DESCENT)
    pitch = max(leading, top + bottom + 0.06)
    first = max(lines[0].ascent, NOMINAL_ASCENT)
    last = max(-lines[-1].descent, NOMINAL_DESCENT)
    return Block(lines, size, pitch * size, first * size, last * size)


def cell_block(fonts: FontSet, text: str | None, width: float, size: float, *, bold: bool = False,
               max_lines: int = 3, leading: float = 1.15) -> Block:
    """Wrap short text (a name, an organisation) into width at size; shrink only if a word alone is too wide."""
    text = plain(text)
    if not text or width <= 0:
        return EMPTY
    # min_size == max_size: fit_text wraps before it shrinks, and shrinks only when max_lines cannot hold
    # the text at this size; the generous height never binds.
    fitted = fit_text(fonts, text, width, size * (2.0 * max_lines + 1), max_size=size, min_size=size,
                      max_lines=max_lines, bold=bold)
    return _block(fitted.lines, fitted.size, leading)


_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Words and Han characters (a line may break between any two), each with whether a space precedes it."""
    out: list[tuple[str, bool]] = []
    for i, word in enumerate(text.split(" ")):
        if not word:
            continue
        if not _HAN.search(word):
            out.append((word, i > 0 and bool(out)))
            continue
        start = 0
        for j in range(1, len(word) + 1):
            if j == len(word) or _HAN.match(word[j]) or _HAN.match(word[j - 1]):
                out.append((word[start:j], i > 0 and start == 0 and bool(out)))
                start = j
    return out


@lru_cache(maxsize=8192)
def _width(fonts: FontSet, word: str, bold: bool) -> float:
    """The shaped width of one word per 1 pt (letters repeat most of their words)."""
    return make_line(fonts, word, bold=bold).width


def paragraph(fonts: FontSet, text: str | None, width: float, size: float, *, bold: bool = False,
              leading: float = 1.4) -> Block:
    """Wrap running text (a letter's body) greedily into lines no wider than width, at a fixed size."""
    text = plain(text)
    if not text:
        return EMPTY
    # Words are measured one by one (shaping is cached per word) and added up; a space is a space of
    # the Latin font. The small margin covers the difference kerning at a join could make.
    space = _width(fonts, " ", bold)
    limit = width / size * 0.995
    lines: list[Line] = []
    current, used = "", 0.0
    for token, spaced in _tokens(text):
        w = _width(fonts, token, bold)
        gap = space if current and spaced else 0.0
        if current and used + gap + w > limit:
            lines.append(make_line(fonts, current, bold=bold))
            current, used = token, w
        else:
            current += (" " if gap else "") + token
            used += gap + w
    if current:
        lines.append(make_line(fonts, current, bold=bold))
    # A single word wider than the line (a very long e-mail address): shrink rather than overflow.
    widest = max(ln.width for ln in lines) * size
    if widest > width:
        size *= width / widest
    return _block(tuple(lines), size, leading)


def draw_block(canv, block: Block, x: float, top: float, *, align: str = "left") -> float:
    """Draw a block from the top of its box; returns the y of its bottom."""
    baseline = top - block.ascent
    for ln in block.lines:
        draw_line(canv, ln, x, baseline, block.size, align=align)
        baseline -= block.pitch
    return top - block.height


def missing_scripts(fonts: FontSet, *texts: str) -> list[str]:
    """Scripts used in these texts that have no font of their own (ASCII checked in one step)."""
    text = " ".join(t for t in texts if t)
    if text.isascii() and fonts.font(LATIN) is not None:
        return []
    return fonts.missing_scripts(text)
