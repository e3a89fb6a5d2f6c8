"""Find one TrueType font per script, register it with reportlab once, and split text into script runs.

Renderers get a `FontSet` built from plain directory names (config FONT_DIRS) so they never import
Flask. A script without a font is not an error: its runs fall back to any font that has the glyphs,
and the script is reported so callers can name the delegates whose badges are affected.
"""
from __future__ import annotations

import bisect
import logging
import os
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

LATIN, KHMER, MYANMAR, LAO, THAI, HAN = "Latin", "Khmer", "Myanmar", "Lao", "Thai", "Han"

# Candidate file names per script: (regular names, bold names), first found wins.
# Debian's Noto CJK is CFF-flavoured OpenType, which reportlab cannot embed, hence Droid Sans Fallback.
FONT_FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    LATIN: (("NotoSans-Regular.ttf",), ("NotoSans-Bold.ttf",)),
    KHMER: (("NotoSansKhmer-Regular.ttf", "NotoSansKhmerUI-Regular.ttf"),
            ("NotoSansKhmer-Bold.ttf", "NotoSansKhmerUI-Bold.ttf")),
    MYANMAR: (("NotoSansMyanmar-Regular.ttf", "NotoSansMyanmarUI-Regular.ttf"),
              ("NotoSansMyanmar-Bold.ttf", "NotoSansMyanmarUI-Bold.ttf")),
    LAO: (("NotoSansLao-Regular.ttf", "NotoSansLaoUI-Regular.ttf"),
          ("NotoSansLao-Bold.ttf", "NotoSansLaoUI-Bold.ttf")),
    THAI: (("NotoSansThai-Regular.ttf", "NotoSansThaiUI-Regular.ttf"),
           ("NotoSansThai-Bold.ttf", "NotoSansThaiUI-Bold.ttf")),
    HAN: (("DroidSansFallbackFull.ttf", "DroidSansFallback.ttf"), ()),
}

SYSTEM_FONT_DIRS = (
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/truetype/droid",
    "/usr/share/fonts/truetype",
    "/usr/local/share/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
)

# Code point ranges of the scripts we have fonts for (start, end inclusive, script), sorted.
_RANGES = sorted([
    (0x0E00, 0x0E7F, THAI),
    (0x0E80, 0x0EFF, LAO),
    (0x1000, 0x109F, MYANMAR),
    (0x1100, 0x11FF, HAN),  # Hangul Jamo: Droid Sans Fallback covers Korean too
    (0x1780, 0x17FF, KHMER),
    (0x19E0, 0x19FF, KHMER),
    (0x2E80, 0x2FDF, HAN),
    (0x3000, 0x303F, HAN),
    (0x3040, 0x30FF, HAN),
    (0x3100, 0x31FF, HAN),
    (0x3400, 0x4DBF, HAN),
    (0x4E00, 0x9FFF, HAN),
    (0xA9E0, 0xA9FF, MYANMAR),
    (0xAA60, 0xAA7F, MYANMAR),
    (0xAC00, 0xD7AF, HAN),
    (0xF900, 0xFAFF, HAN),
    (0xFF00, 0xFFEF, HAN),
    (0x20000, 0x2FFFF, HAN),
])
_STARTS = [r[0] for r in _RANGES]
_LATIN_LIKE = ("LATIN", "GREEK", "CYRILLIC")
# Zero-width joiners and variation selectors belong to the cluster around them.
_JOINERS = {"\u200c", "\u200d", "\u034f"}


def char_script(char: str) -> str | None:
    """The script of one character, or None for characters shared by all scripts (spaces, marks, digits)."""
    cp = ord(char)
    i = bisect.bisect_right(_STARTS, cp) - 1
    if i >= 0 and cp <= _RANGES[i][1]:
        return _RANGES[i][2]
    cat = unicodedata.category(char)
    if cat[0] != "L":
        return None
    name = unicodedata.name(char, "")
    if name.startswith(_LATIN_LIKE):
        return LATIN
    # Another script (Arabic, Devanagari, ...): named so a missing font can be reported.
    return name.split(" ", 1)[0].title() or "Unknown"


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text drawn with one font."""

    text: str
    font: str
    script: str
    fake_bold: bool = False  # bold wanted but the font has no bold face: drawn with a stroke


_register_lock = threading.Lock()
_registered: dict[str, str] = {}  # font file path -> reportlab font name


def register_font(path: str) -> str:
    """Register a TrueType file with reportlab once per process and return its font name."""
    path = os.path.realpath(path)  # the same file through a symlink is the same font
    name = _registered.get(path)
    if name:
        return name
    with _register_lock:
        name = _registered.get(path)
        if name:
            return name
        name = Path(path).stem
        # Another file with the same stem (from another directory) keeps its own name.
        if name in _registered.values():
            name = f"{name}-{len(_registered)}"
        pdfmetrics.registerFont(TTFont(name, path))
        _registered[path] = name
        return name


def locate_font_files(font_dirs=(), *, system: bool = True,
                      wanted=None) -> dict[str, tuple[str | None, str | None]]:
    """Map each script to its (regular, bold) font file paths found in font_dirs, then system dirs."""
    dirs = [Path(os.path.expanduser(d)) for d in font_dirs]
    if system:
        dirs += [Path(os.path.expanduser(d)) for d in SYSTEM_FONT_DIRS]
    dirs = [d for d in dirs if d.is_dir()]

    def find(names: tuple[str, ...]) -> str | None:
        for d in dirs:
            for n in names:
                p = d / n
                if p.is_file():
                    return str(p)
        return None

    found = {}
    for script, (regular, bold) in (wanted or FONT_FILES).items():
        r, b = find(regular), find(bold)
        found[script] = (r or b, b or r)
    return found


class FontSet:
    """The fonts one renderer uses: a regular and a bold font per script, and run splitting."""

    def __init__(self, font_dirs=(), *, system: bool = True):
        self.font_dirs, self.system = tuple(font_dirs), system
        self.files = locate_font_files(font_dirs, system=system)
        self._cache: dict[tuple[str, bool], tuple[Run, ...]] = {}
        self._covers: dict[str, frozenset[int] | dict] = {}
        self._names: dict[tuple[str, bool], str | None] = {}

    @property
    def available_scripts(self) -> list[str]:
        """Scripts with a font of their own."""
        return [s for s, (r, _) in self.files.items() if r]

    def font(self, script: str, bold: bool = False) -> str | None:
        """The registered font name for a script (None when no font was found)."""
        key = (script, bold)
        if key in self._names:  # called per character: no file system work after the first time
            return self._names[key]
        name = self._names[key] = self._font(script, bold)
        return name

    def _font(self, script: str, bold: bool) -> str | None:
        pair = self.files.get(script)
        if pair is None:
            # A script beyond the region's (Arabic, Devanagari...): Noto names it NotoSans<Script>.
            stem = "NotoSans" + script.replace(" ", "")
            wanted = {script: ((stem + "-Regular.ttf",), (stem + "-Bold.ttf",))}
            pair = self.files[script] = locate_font_files(self.font_dirs, system=self.system,
                                                          wanted=wanted)[script]
        if not pair or not pair[0]:
            return None
        return register_font(pair[1] if bold else pair[0])

    def base_font(self, bold: bool = False) -> str:
        """The Latin font, or any font at all when even that is missing."""
        name = self.font(LATIN, bold)
        if name:
            return name
        for script in self.available_scripts:
            return self.font(script, bold)
        return "Helvetica-Bold" if bold else "Helvetica"  # a standard font: no glyphs beyond Latin-1

    def has_glyph(self, font_name: str, char: str) -> bool:
        """Whether a registered font maps this character."""
        cmap = self._covers.get(font_name)
        if cmap is None:
            font = pdfmetrics.getFont(font_name)
            cmap = self._covers[font_name] = getattr(getattr(font, "face", None), "charToGlyph", {}) or {}
        return ord(char) in cmap

    def _fallback(self, char: str, bold: bool) -> str:
        # Any font that has the glyph beats a box; tofu only when no font on the machine has it.
        for script in self.available_scripts:
            name = self.font(script, bold)
            if self.has_glyph(name, char):
                return name
        return self.base_font(bold)

    def runs(self, text: str, *, bold: bool = False) -> tuple[Run, ...]:
        """Split text (NFC-normalised) into runs of one script and one font each."""
        key = (text, bold)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        text = unicodedata.normalize("NFC", text)
        scripts = [char_script(c) for c in text]
        # Shared characters join the run before them (or after them at the start).
        current = next((s for s in scripts if s), LATIN)
        for i, s in enumerate(scripts):
            if s is None:
                scripts[i] = current
            else:
                current = s
        fonts = []
        base = None
        for char, script in zip(text, scripts, strict=True):
            name = self.font(script, bold)
            if name is None:
                name = self._fallback(char, bold)
            elif (not char.isalpha() and unicodedata.category(char)[0] not in "M"
                  and char not in _JOINERS and not self.has_glyph(name, char)):
                # e.g. "." inside a Khmer name when the Khmer font lacks it: use the Latin font.
                base = base or self.base_font(bold)
                name = base if self.has_glyph(base, char) else name
            fonts.append(name)
        runs: list[Run] = []
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or fonts[i] != fonts[start]:
                if i > start:
                    fake = bold and fonts[start] in self._regular_only()
                    runs.append(Run(text[start:i], fonts[start], scripts[start], fake))
                start = i
        result = tuple(runs)
        if len(self._cache) > 4096:  # names are mostly unique: keep the cache bounded
            self._cache.clear()
        self._cache[key] = result
        return result

    def _regular_only(self) -> set[str]:
        """Font names of scripts whose bold face is the regular one (Droid Sans Fallback)."""
        found = getattr(self, "_regular_only_names", None)
        if found is None:
            same = [r for r, b in self.files.values() if r and os.path.realpath(r) == os.path.realpath(b)]
            found = self._regular_only_names = {register_font(r) for r in same}
        return found

    def missing_scripts(self, text: str) -> list[str]:
        """Scripts used by letters of this text for which no font of their own was found."""
        found = []
        for char in unicodedata.normalize("NFC", text):
            if char.isalpha():
                script = char_script(char)
                if script and script not in found and self.font(script) is None:
                    found.append(script)
        return found


_sets: dict[tuple, FontSet] = {}


def font_set(font_dirs=(), *, system: bool = True) -> FontSet:
    """A shared FontSet for these directories (fonts are located and registered once per process)."""
    key = (tuple(font_dirs), system)
    fs = _sets.get(key)
    if fs is None:
        fs = _sets[key] = FontSet(font_dirs, system=system)
    return fs


@dataclass
class FontReport:
    """Which delegates' text had no font of its own script: the base of every render's report."""

    missing_scripts: dict[str, list[str]] = field(default_factory=dict)  # script -> delegates

    @property
    def item_word(self) -> str:
        return "document"

    @property
    def warnings(self) -> list[str]:
        """One human sentence per script that had no font of its own, naming the delegates."""
        out = []
        for script, names in sorted(self.missing_scripts.items()):
            shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
            out.append(f"No font for {script} script; drawn with a fallback font (may show boxes) "
                       f"in {len(names)} {self.item_word}(s): {shown}")
        return out

    def note_missing(self, scripts: list[str], who: str) -> None:
        """Record that who's text needed fonts for these scripts."""
        for script in scripts:
            names = self.missing_scripts.setdefault(script, [])
            if who not in names:
                names.append(who)
