"""Badges read back as a user would: text search, embedded fonts, a PDF checker, and a QR scanner."""
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.units import mm

from events_app.documents.badges.layouts import LAYOUTS, get_layout
from events_app.documents.badges.render import render_badges
from events_app.documents.records import BadgeData

from .conftest import RENDERED, checkin_code, decode_qr, need, nfc, page_png, run


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory, event, sample_badges) -> Path:
    path = tmp_path_factory.mktemp("badges") / "badges.pdf"
    with path.open("wb") as f:
        report = render_badges(event, sample_badges, f, layout="a4-8up", cut_marks=True)
    assert report.badges == 26
    assert report.pages == 4  # 8 a page
    assert report.missing_scripts == {}
    return path


def test_every_name_and_organisation_is_in_the_text(sample_pdf, sample_badges):
    need("pdftotext")
    text = nfc(run("pdftotext", str(sample_pdf), "-"))
    # Each shaped line carries its logical text as /ActualText, so even Khmer and Burmese (whose
    # glyphs are reordered and partly unmapped) extract exactly as typed.
    for badge in sample_badges:
        assert nfc(badge.badge_name) in text, badge.badge_name
        assert nfc(badge.organisation) in text, badge.organisation
        if badge.name_latin:
            assert nfc(badge.name_latin) in text
        assert badge.country in text


def test_latin_name_only_when_it_differs(sample_pdf, sample_badges):
    need("pdftotext")
    text = nfc(run("pdftotext", str(sample_pdf), "-"))
    maria = next(b for b in sample_badges if b.badge_name == "Maria Santos")
    assert maria.name_latin == ""
    assert text.count("Maria Santos") == 1


def test_a_font_is_embedded_for_every_script(sample_pdf):
    need("pdffonts")
    listing = run("pdffonts", str(sample_pdf)).splitlines()[2:]
    embedded = {line.split()[0].split("+")[-1] for line in listing if line.split()[-5] == "yes"}
    for font in ("NotoSans-Bold", "NotoSans-Regular", "NotoSansKhmer-Bold", "NotoSansMyanmar-Bold",
                 "NotoSansLao-Bold", "NotoSansThai-Bold", "DroidSansFallback"):
        assert font in embedded, listing
    not_embedded = [line for line in listing if line.split()[-5] != "yes"]
    assert not_embedded == []


def test_pdf_passes_qpdf_check(sample_pdf):
    need("qpdf")
    out = run("qpdf", "--check", str(sample_pdf))
    assert "No syntax or stream encoding errors" in out


def _cells_px(layout_name: str, dpi: int):
    layout = get_layout(layout_name)
    page_h = layout.page_size[1]
    scale = dpi / 72
    for x, y, w, h in layout.cells():
        yield (int(x * scale), int((page_h - y - h) * scale), int((x + w) * scale), int((page_h - y) * scale))


def test_each_badge_has_exactly_one_qr_with_its_own_checkin_code(sample_pdf, sample_badges, tmp_path):
    need("pdftoppm", "zbarimg")
    png = page_png(sample_pdf, 1, 200, tmp_path / "page1")
    assert sorted(decode_qr(png)) == sorted(b.checkin_code for b in sample_badges[:8])
    image = Image.open(png)
    for badge, box in zip(sample_badges[:8], _cells_px("a4-8up", 200), strict=True):
        crop = tmp_path / "cell.png"
        image.crop(box).save(crop)
        assert decode_qr(crop) == [badge.checkin_code], badge.badge_name


def test_markup_characters_print_as_themselves(event, tmp_path):
    need("pdftotext")
    badge = BadgeData(badge_name='Dr <b>O\'Brien</b> & "Sons"', checkin_code=checkin_code(99),
                      organisation="Workers & Migrants <Union> 'North'", country="Thailand",
                      name_latin="A&B <i>")
    path = tmp_path / "markup.pdf"
    with path.open("wb") as f:
        render_badges(event, [badge], f)
    text = nfc(run("pdftotext", str(path), "-"))
    assert 'Dr <b>O\'Brien</b> & "Sons"' in text
    assert "Workers & Migrants <Union> 'North'" in text
    assert "A&B <i>" in text
    assert "&amp;" not in text and "&lt;" not in text


LONG_NAME = ("Maria Fernanda de los Ángeles Guadalupe Rodríguez-Villanueva Sánchez de Bustamante "
             "y Ortega Montenegro")
LONG_ORG = ("International Confederation of Associations for the Protection of the Rights of Migrant "
            "Workers, Domestic Workers, Fishers and Members of Their Families in the Greater Mekong "
            "Subregion")


def _words(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    html = run("pdftotext", "-bbox", str(pdf), "-")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(float(a), float(b), float(c), float(d), e) for a, b, c, d, e in re.findall(pattern, html)]


@pytest.mark.parametrize("layout", ["a4-8up", "cr80", "a6", "avery-l4785"])
def test_long_name_and_organisation_stay_inside_the_badge(event, tmp_path, layout):
    need("pdftotext")
    badges = [
        BadgeData(badge_name=LONG_NAME, checkin_code=checkin_code(1), organisation=LONG_ORG,
                  country="Philippines", honorific="H.E.", name_latin="", colour_key="speaker"),
        BadgeData(badge_name="អ្នកស្រី " + "សុខ ចាន់ធី " * 6, checkin_code=checkin_code(2),
                  organisation="សមាគម " * 15, country="Cambodia", name_latin="Sok Chanthy " * 5),
    ]
    path = tmp_path / "long.pdf"
    with path.open("wb") as f:
        render_badges(event, badges, f, layout=layout)
    lay = get_layout(layout)
    page_h = lay.page_size[1]
    if layout in ("a4-8up", "cr80"):
        page_png(path, 1, 110 if layout == "a4-8up" else 220, RENDERED / f"long-names-{layout}")
    words = _words(path)
    text = nfc(" ".join(w[4] for w in words))
    # Wrapped (after spaces or hyphens) or shrunk, but printed in full.
    for part in re.split(r"[ -]", LONG_NAME + " " + LONG_ORG) + ["Philippines", "Cambodia"]:
        assert part in text
    cells = lay.cells()[:2] if lay.per_page > 1 else lay.cells() * 1
    for x, y, w, h in cells[:1]:
        top, bottom = page_h - (y + h), page_h - y
        inside = [wd for wd in words if x - 1 <= wd[0] and wd[2] <= x + w + 1]
        assert inside
        for x0, y0, x1, y1, word in inside:
            if y0 > bottom or y1 < top:
                continue  # another badge on the same page
            # 2 mm safe margin: nothing may come near the cut or the label's edge.
            assert x0 >= x + 2 * mm - 0.5 and x1 <= x + w - 2 * mm + 0.5, (word, x0, x1, x, w)
            assert y0 >= top + 2 * mm - 0.5 and y1 <= bottom - 2 * mm + 0.5, (word, y0, y1, top, bottom)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_renders_and_scans(layout, event, sample_badges, tmp_path):
    need("pdftoppm", "zbarimg")
    lay = get_layout(layout)
    buf = io.BytesIO()
    badges = sample_badges[: max(lay.per_page, 1)]
    report = render_badges(event, badges, buf, layout=layout, cut_marks=True, offset_mm=(0, 0))
    assert report.pages == 1
    pdf = tmp_path / f"{layout}.pdf"
    pdf.write_bytes(buf.getvalue())
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", run("pdfinfo", str(pdf)))
    assert (float(found[1]), float(found[2])) == pytest.approx(lay.page_size, abs=0.01)
    png = page_png(pdf, 1, 200, tmp_path / layout)
    assert sorted(decode_qr(png)) == sorted(b.checkin_code for b in badges)
    # Kept for review by people: tests/documents/rendered/<layout>.png (at a lower resolution).
    RENDERED.mkdir(exist_ok=True)
    page_png(pdf, 1, 110 if lay.page[0] > 150 else 220, RENDERED / layout)


def test_printer_offset_moves_everything(event, sample_badges, tmp_path):
    need("pdftotext")
    words = {}
    for offset in ((0, 0), (3, 2)):
        path = tmp_path / f"off{offset[0]}.pdf"
        with path.open("wb") as f:
            render_badges(event, sample_badges[:1], f, layout="avery-l4785", offset_mm=offset)
        words[offset] = next(w for w in _words(path) if w[4] == "Cambodia")
    before, after = words[(0, 0)], words[(3, 2)]
    assert after[0] - before[0] == pytest.approx(3 * mm, abs=0.05)  # right
    assert after[1] - before[1] == pytest.approx(2 * mm, abs=0.05)  # down


def test_missing_font_is_reported_not_fatal(event, tmp_path):
    fonts_dir = tmp_path / "fonts"
    fonts_dir.mkdir()
    (fonts_dir / "NotoSans-Regular.ttf").symlink_to("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
    (fonts_dir / "NotoSans-Bold.ttf").symlink_to("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")
    badges = [BadgeData(badge_name="សុខ ចាន់ធី", name_latin="Sok Chanthy", checkin_code=checkin_code(5),
                        organisation="CMWA", country="Cambodia"),
              BadgeData(badge_name="Emily Clarke", checkin_code=checkin_code(6), organisation="UN Women")]
    buf = io.BytesIO()
    report = render_badges(event, badges, buf, font_dirs=[str(fonts_dir)], system_fonts=False)
    assert report.badges == 2
    assert report.missing_scripts == {"Khmer": ["Sok Chanthy"]}
    assert "Khmer" in report.warnings[0] and "Sok Chanthy" in report.warnings[0]
    assert buf.getvalue().startswith(b"%PDF")


def test_empty_run_is_one_blank_page(event):
    buf = io.BytesIO()
    report = render_badges(event, [], buf)
    assert (report.badges, report.pages) == (0, 1)


def test_unknown_layout_names_the_choices(event):
    with pytest.raises(ValueError, match="a4-8up"):
        render_badges(event, [], io.BytesIO(), layout="letter-99up")
