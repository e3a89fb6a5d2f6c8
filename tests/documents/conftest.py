"""Fixtures for the document renderers: the 26 sample delegates as BadgeData, and poppler/zbar helpers."""
import csv
import hashlib
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from events_app.documents.data import badge_from_fields, legend_for
from events_app.documents.records import BadgeData, EventInfo

HERE = Path(__file__).parent
# A copy of shared/data/delegates_sample.csv, so the suite runs wherever the repository is cloned.
SAMPLE_CSV = HERE / "delegates_sample.csv"
RENDERED = HERE / "rendered"
ROLES = ["participant", "speaker", "moderator", "rapporteur", "observer", "organiser", "staff", "press",
         "interpreter"]
# The symposium the sample delegates attend (the badge benchmark prints their badges for it too).
SAMPLE_EVENT = EventInfo(
    title="Regional Symposium on Labour Migration in the Greater Mekong Subregion",
    dates="3\u20135 March 2026",
    venue="Chulalongkorn University",
    city="Bangkok",
    country="Thailand",
    legend=legend_for("participant_role"),
)


def sample_rows() -> list[dict]:
    """The 26 sample delegates."""
    with SAMPLE_CSV.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def checkin_code(n: int) -> str:
    """A deterministic 22-character check-in code, shaped like the real ones."""
    return hashlib.sha256(f"badge-{n}".encode()).hexdigest()[:22]


def make_badges(rows=None) -> list[BadgeData]:
    """BadgeData for the sample rows, roles cycling so every colour appears."""
    badges = []
    for n, row in enumerate(rows or sample_rows()):
        row = dict(row, participant_role=ROLES[n % len(ROLES)], checkin_code=checkin_code(n))
        badges.append(badge_from_fields(row))
    return badges


@pytest.fixture(scope="session")
def sample_badges() -> list[BadgeData]:
    return make_badges()


@pytest.fixture(scope="session")
def event() -> EventInfo:
    return SAMPLE_EVENT


def nfc(text: str) -> str:
    """NFC with whitespace collapsed: how we compare names found in a PDF."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def assert_names_printed(text: str, regs) -> None:
    """Every delegate's name (in both forms) and organisation is in the PDF's text."""
    for reg in regs:
        assert nfc(reg.full_name) in text, reg.full_name
        assert nfc(reg.organisation) in text, reg.organisation
        if reg.name_latin:
            assert nfc(reg.name_latin) in text


def run(*cmd: str) -> str:
    """Run a poppler/qpdf/zbar tool and return its stdout (fails the test on a non-zero exit)."""
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{cmd[0]} failed: {result.stderr}"
    return result.stdout


def need(*tools: str) -> None:
    """Fail, naming the package, when a command-line tool is missing (`make test` installs them)."""
    for tool in tools:
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed: run `make test` (it installs poppler-utils, zbar-tools, qpdf)")


@pytest.fixture()
def latin_fonts_only(tmp_path) -> Path:
    """A font folder with the Latin Noto faces only, so any other script has no font."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        (fonts / name).symlink_to(f"/usr/share/fonts/truetype/noto/{name}")
    return fonts


def page_png(pdf: Path, page: int, dpi: int, out_base: Path) -> Path:
    """Rasterise one page with pdftoppm and return the PNG path."""
    run("pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf),
        str(out_base))
    return out_base.with_suffix(".png")


def decode_qr(png: Path) -> list[str]:
    """Every QR code zbarimg finds in an image."""
    result = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
                            capture_output=True, text=True, check=False)
    return [line for line in result.stdout.splitlines() if line]


def press_badge_button(client, slug: str, query: str = "", *, action: str = "print", page: str | None = None):
    """Press a button of the badges page (or a delegate's reprint form, `page`) as a browser does: a POST of
    the choices in `query` with the page's CSRF token."""
    from urllib.parse import parse_qsl

    from tests.conftest import csrf_token

    html = client.get(page or f"/manage/events/{slug}/badges").get_data(as_text=True)
    data = {**dict(parse_qsl(query)), "csrf_token": csrf_token(html), "action": action}
    return client.post(f"/manage/events/{slug}/badges/print", data=data)
