"""Pages name installed Noto fonts for every script (no web-font download) and the form stays light."""
import gzip
import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "events_app" / "static" / "css" / "app.css"
LIMIT = 60 * 1024  # the registration page and its CSS, transferred (gzip)


def test_the_font_stack_names_a_noto_family_for_every_script_and_downloads_none():
    css = CSS.read_text(encoding="utf-8")
    for family in ("Noto Sans", "Noto Sans Khmer", "Noto Sans Myanmar", "Noto Sans Lao", "Noto Sans Thai",
                   "Noto Sans CJK SC", "Droid Sans Fallback"):
        assert f'"{family}"' in css, family
    assert "@font-face" not in css and "url(" not in css


def test_the_khmer_registration_page_with_its_css_stays_under_60_kb(client, make_event):
    event = make_event(country="KH")
    page = client.get(f"/events/{event.slug}/register?lang=km")
    assert page.status_code == 200
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text)
    assert stylesheets and all(not href.startswith("http") for href in stylesheets)
    sizes = [len(gzip.compress(page.data))] + [len(gzip.compress(client.get(href).data)) for href in stylesheets]
    assert sum(sizes) < LIMIT, sizes
