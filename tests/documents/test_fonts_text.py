"""Script runs, font fallback, and fitting text into a box (shrink, then wrap, never overflow)."""
import pytest
import segno

from events_app.documents.badges.qr import qr_matrix, qr_operators
from events_app.documents.fonts import FontSet, char_script, font_set
from events_app.documents.text import fit_text


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    fs = font_set()
    wanted = ("Latin", "Khmer", "Myanmar", "Lao", "Thai", "Han")
    missing = [s for s in wanted if s not in fs.available_scripts]
    if missing:
        pytest.fail(f"fonts not installed for {missing}: `make test` installs fonts-noto-core, fonts-droid-fallback")
    return fs


@pytest.mark.parametrize("char, script", [
    ("a", "Latin"), ("ễ", "Latin"), ("ក", "Khmer"), ("្", "Khmer"), ("မ", "Myanmar"), ("ລ", "Lao"),
    ("ก", "Thai"), ("李", "Han"), (" ", None), ("1", None), (".", None), ("\u0301", None),
])
def test_char_script(char, script):
    assert char_script(char) == script


def test_mixed_name_gets_a_font_per_run(fonts):
    runs = fonts.runs("สมชาย ใจดี (Somchai J.)", bold=True)
    assert [(r.text, r.font) for r in runs] == [
        ("สมชาย ใจดี ", "NotoSansThai-Bold"),
        ("(Somchai J.)", "NotoSans-Bold"),
    ]
    runs = fonts.runs("Dr. សុខ ចាន់ធី")
    assert [r.font for r in runs] == ["NotoSans-Regular", "NotoSansKhmer-Regular"]
    assert "".join(r.text for r in runs) == "Dr. សុខ ចាន់ធី"


def test_punctuation_the_script_font_lacks_goes_to_the_latin_font(fonts):
    # Droid Sans Fallback has no ASCII digits: "2" must not become a box inside a Han run.
    runs = fonts.runs("李明华2")
    assert runs[-1].text == "2" and runs[-1].font.startswith("NotoSans")


def test_combining_marks_stay_with_their_letter(fonts):
    runs = fonts.runs("Nguye\u0302\u0303n")  # decomposed: normalised to NFC, one Latin run
    assert len(runs) == 1 and runs[0].text == "Nguyễn"


def test_missing_script_is_named_and_falls_back(tmp_path):
    (tmp_path / "NotoSans-Regular.ttf").symlink_to("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
    fs = FontSet([str(tmp_path)], system=False)
    assert fs.missing_scripts("សុខ Chanthy 李") == ["Khmer", "Han"]
    assert fs.missing_scripts("Chanthy") == []
    runs = fs.runs("សុខ")
    assert runs and runs[0].font == "NotoSans-Regular"  # drawn, not crashed


LONG = "Maria Fernanda de los Ángeles Guadalupe Rodríguez-Villanueva Sánchez de Bustamante"


def test_short_name_gets_the_largest_size(fonts):
    fitted = fit_text(fonts, "Sok Chanthy", 280, 60, max_size=28, min_size=13, max_lines=2, bold=True)
    assert fitted.size == 28 and len(fitted.lines) == 1


def test_long_name_shrinks_then_wraps_within_the_box(fonts):
    width, height = 340, 60
    fitted = fit_text(fonts, LONG, width, height, max_size=28, min_size=13, max_lines=2, bold=True)
    assert len(fitted.lines) == 2
    assert fitted.size >= 13
    assert fitted.width <= width + 0.01 and fitted.height <= height + 0.01
    assert " ".join(line.text for line in fitted.lines) == LONG


def test_impossible_text_goes_below_the_minimum_rather_than_overflow(fonts):
    fitted = fit_text(fonts, LONG * 3, 150, 30, max_size=28, min_size=13, max_lines=2)
    assert fitted.size < 13
    assert fitted.width <= 150.01 and fitted.height <= 30.01


def test_burmese_fits_by_its_ink_not_its_font_line_box(fonts):
    # Noto Sans Myanmar declares a 2.18 em line box; the name itself is much less tall.
    fitted = fit_text(fonts, "အောင်မြင့်ထွန်း", 400, 40, max_size=28, min_size=13)
    assert fitted.size > 18
    assert fitted.height <= 40.01


def test_chinese_wraps_between_characters(fonts):
    fitted = fit_text(fonts, "云南省社会科学院东南亚研究所", 90, 60, max_size=20, min_size=12, max_lines=2)
    assert len(fitted.lines) == 2 and fitted.size >= 12


def test_qr_is_fixed_mask_and_one_path():
    matrix = qr_matrix("AbCdEfGhIjKlMnOpQrStUv")
    assert segno.make_qr("AbCdEfGhIjKlMnOpQrStUv", error="m", mask=0, boost_error=False).matrix == matrix
    ops = qr_operators(matrix, 10, 20, 66)
    assert ops.startswith("q ") and ops.endswith("f Q")
    assert ops.count(" f") + ops.count("\nf") == 1  # one fill for all modules
    assert ops.count("re") < sum(sum(row) for row in matrix)  # runs merged
