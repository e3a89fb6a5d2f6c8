"""The committed catalogues in translations/, read with Babel; stale .mo files compiled as `make translations` does."""
import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from events_app.i18n import DEFAULT_LOCALE, LOCALES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
TRANSLATED = [code for code in LOCALES if code != DEFAULT_LOCALE]
# %(name)s, %(count)d, %s and {name}: what the code fills in, which a translation must keep.
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{(\w*)\}")


def po_path(code: str) -> Path:
    """The catalogue of one language."""
    return TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"


def read(path: Path):
    """A .po or .pot file as a Babel Catalog."""
    with path.open("rb") as handle:
        return read_po(handle)


def placeholders(text: str) -> list[str]:
    """The placeholders in a message, sorted (a translation may reorder them)."""
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text or ""))


def compile_stale() -> None:
    """Write messages.mo beside every messages.po that is newer, so a bare `pytest` reads current catalogues."""
    for code in TRANSLATED:
        po, mo = po_path(code), po_path(code).with_suffix(".mo")
        if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
            with mo.open("wb") as handle:
                write_mo(handle, read(po))
