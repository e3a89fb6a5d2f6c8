"""Thai, Khmer, Burmese and Lao break between words (ICU), never inside a syllable cluster; spaces first."""
import unicodedata

import pytest

from events_app.documents.badges.render import render_badges
from events_app.documents.fonts import font_set
from events_app.documents.records import BadgeData
from events_app.documents.text import fit_text
from tests.documents.conftest import checkin_code, need, run

KHMER = "សុខចាន់ធីវណ្ណារិទ្ធមហាក្សត្រីនរោត្តមមុនិនាថសីហនុ"
THAI = "ศาสตราจารย์ดอกเตอร์สมชายใจดีมีสุขสวัสดิ์ประเสริฐวงศ์"
BURMESE = "အောင်ဆန်းစုကြည်မြန်မာနိုင်ငံရွှေ့ပြောင်းလုပ်သား"
LAO = "ສົມພອນວົງສາພັນທະວົງສີສະຫວາດ"


def _starts_a_cluster(line: str, previous: str) -> bool:
    """A line may not begin with a mark, nor with the consonant a Khmer or Burmese stacker (coeng) binds."""
    first = line[0]
    return not unicodedata.category(first).startswith("M") and previous[-1:] not in ("\u17d2", "\u1039")


@pytest.fixture(scope="module")
def fonts():
    return font_set()


@pytest.mark.parametrize("name", [KHMER, THAI, BURMESE, LAO])
def test_a_long_name_without_spaces_wraps_between_words(fonts, name):
    fitted = fit_text(fonts, name, 120, 60, max_size=20, min_size=10, max_lines=3, bold=True)
    texts = [line.text for line in fitted.lines]
    assert len(texts) > 1 and fitted.size >= 10
    assert "".join(texts) == name
    assert all(_starts_a_cluster(line, previous) for previous, line in zip(texts, texts[1:], strict=False))


@pytest.mark.parametrize("name", ["សុខ ចាន់ធី សុខ ចាន់ធី សុខ ចាន់ធី", "Somchai Jaidee Prasert Wongsawat"])
def test_spaces_are_preferred_to_breaks_inside_words(fonts, name):
    fitted = fit_text(fonts, name, 150, 80, max_size=40, min_size=12, max_lines=3, bold=True)
    assert len(fitted.lines) > 1
    assert {word for line in fitted.lines for word in line.text.split()} == set(name.split())


def test_pdftotext_reads_each_wrapped_name_whole_on_a_badge(event, tmp_path):
    need("pdftotext")
    badges = [BadgeData(badge_name=KHMER, checkin_code=checkin_code(1), organisation="សមាគម"),
              BadgeData(badge_name=THAI, checkin_code=checkin_code(2), organisation="สมาคม")]
    path = tmp_path / "badges.pdf"
    with path.open("wb") as out:
        render_badges(event, badges, out)
    text = "".join(run("pdftotext", "-raw", str(path), "-").split())
    assert unicodedata.normalize("NFC", KHMER) in unicodedata.normalize("NFC", text)
    assert THAI in text
