"""The badges page in the workspace, its filters, previews, one delegate's reprint and the event logo.

Every PDF is read back: pdftotext for the names, zbarimg for the QR codes, pdfimages for the logo.
"""
import dataclasses
import io
import re
import shutil
from datetime import timedelta

import pytest
from PIL import Image

from events_app.choices import ParticipantRole, Status
from events_app.documents.badges.layouts import LAYOUTS
from events_app.documents.badges.render import geometry, render_badges, title_beside_logo
from events_app.events import services as event_services
from events_app.extensions import db as _db
from events_app.models import utcnow
from tests.conftest import csrf_token

from .conftest import RENDERED, decode_qr, need, nfc, page_png, press_badge_button, run

URL = "/manage/events/summit/badges"
PRINT = URL + "/print"


@pytest.fixture()
def summit(make_event, make_registration):
    """A three-day event and seven delegates who differ in one thing each."""
    event = make_event(slug="summit", title="Mekong Summit")
    day1, day2, day3 = event.days
    people = {
        "Anong": dict(stakeholder_group="ngo", arrival_date=day1, departure_date=day3),
        "Bopha": dict(stakeholder_group="government", arrival_date=day2),
        "Chanthy": dict(stakeholder_group="academic"),  # no dates: counted on every day
        "Dara": dict(stakeholder_group="ngo"),  # pending
        "Eang": dict(stakeholder_group="ngo"),  # cancelled
        "Faa": dict(stakeholder_group="ngo", departure_date=day1),
        "Ganda": dict(stakeholder_group="media", arrival_date=day3, departure_date=day3),
    }
    regs = {name: make_registration(event, full_name=f"{name} Delegate", **fields)
            for name, fields in people.items()}
    regs["Bopha"].participant_role = ParticipantRole.SPEAKER
    regs["Chanthy"].badge_printed_at = utcnow() - timedelta(days=1)
    regs["Dara"].status = Status.PENDING
    regs["Eang"].status = Status.CANCELLED
    _db.session.commit()
    return event, regs


def names_in(pdf_bytes: bytes, tmp_path) -> set[str]:
    """The delegates ('Anong', ...) whose names a badge PDF contains."""
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf_bytes)
    text = nfc(run("pdftotext", str(path), "-"))
    return set(re.findall(r"(\w+) Delegate", text))


def shown_count(html: str) -> str:
    match = re.search(r'id="badge-count">(.*?)</p>', html, re.S)
    assert match, html
    return " ".join(match.group(1).split())


def printed_at(regs, name):
    _db.session.expire_all()
    return regs[name].badge_printed_at


# --- the page ---------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["organiser", "staff"])
def test_page_offers_every_layout_filter_and_button_with_the_count(client, auth, summit, role):
    auth.login(role)
    html = client.get(URL).get_data(as_text=True)
    for name in ("a4-8up", "a4-4up", "a6", "cr80", "avery-l4785", "avery-l7165", "avery-l7414"):
        assert f'value="{name}"' in html
    assert "105 × 74 mm" in html and "8 badges a page" in html and "label sheet: no cut marks" in html
    for field in ('name="status"', 'name="role"', 'name="group"', 'name="day"', 'name="not_printed"',
                  'name="cut_marks"', 'name="offset_x"', 'name="offset_y"'):
        assert field in html, field
    assert "Pages to print: 1" in html
    assert "gave no dates" in html  # the day filter says how delegates without dates count
    assert shown_count(html) == "This choice prints 5 badges."  # approved: A, B, C, F, G
    assert 'method="post" action="/manage/events/summit/badges/print"' in html and 'name="csrf_token"' in html
    for action in ("count", "print", "preview", "alignment"):
        assert f'name="action" value="{action}"' in html
    assert "Badges last printed" in html and "1 of 5 approved delegates have a printed badge" in html


@pytest.mark.parametrize("query, expected", [
    ("", {"Anong", "Bopha", "Chanthy", "Faa", "Ganda"}),
    ("not_printed=y", {"Anong", "Bopha", "Faa", "Ganda"}),
    ("group=ngo", {"Anong", "Faa"}),
    ("role=speaker", {"Bopha"}),
    ("status=pending", {"Dara"}),
    ("status=cancelled", {"Eang"}),
    ("day=DAY1", {"Anong", "Chanthy", "Faa"}),
    ("day=DAY2", {"Anong", "Bopha", "Chanthy"}),
    ("day=DAY3&group=media", {"Ganda"}),
])
def test_each_filter_selects_the_right_delegates_on_the_page_and_in_the_pdf(client, auth, summit, tmp_path,
                                                                           query, expected):
    need("pdftotext")
    event, regs = summit
    for n, day in enumerate(event.days, 1):
        query = query.replace(f"DAY{n}", day.isoformat())
    auth.login("staff")
    html = client.get(f"{URL}?{query}").get_data(as_text=True)
    noun = "badge" if len(expected) == 1 else "badges"
    assert shown_count(html) == f"This choice prints {len(expected)} {noun}."
    response = press_badge_button(client, "summit", query, action="preview")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert names_in(response.get_data(), tmp_path) == expected


def test_a_bad_offset_is_explained_beside_its_field_and_no_count_is_shown(client, auth, summit):
    auth.login("organiser")
    html = client.get(f"{URL}?offset_x=35&layout=a6").get_data(as_text=True)
    assert re.search(r'id="offset_x-error">Enter a number of millimetres from -20 to 20', html)
    assert "Correct the choices above" in shown_count(html)
    assert 'value="a6" checked' in html


# --- recording what was printed ---------------------------------------------------------------

def test_a_preview_records_nothing_and_a_download_records_each_badge(client, auth, summit, tmp_path):
    event, regs = summit
    auth.login("staff")
    response = press_badge_button(client, "summit", "group=ngo", action="preview")
    assert response.status_code == 200
    assert "preview" in response.headers["Content-Disposition"]
    assert printed_at(regs, "Anong") is None and printed_at(regs, "Faa") is None
    assert press_badge_button(client, "summit", "group=ngo").status_code == 200
    assert printed_at(regs, "Anong") is not None and printed_at(regs, "Faa") is not None
    assert printed_at(regs, "Bopha") is None and printed_at(regs, "Dara") is None
    html = client.get(f"{URL}?not_printed=y").get_data(as_text=True)
    assert shown_count(html) == "This choice prints 2 badges."  # Bopha and Ganda are left
    assert "3 of 5 approved delegates have a printed badge" in html


def test_nothing_to_print_goes_back_to_the_page_with_a_message(client, auth, summit):
    auth.login("staff")
    response = press_badge_button(client, "summit", "role=interpreter&layout=a6")
    assert response.status_code == 303
    assert response.headers["Location"].startswith(URL + "?")
    assert "layout=a6" in response.headers["Location"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "No delegate matches these choices, so there is nothing to print." in html


def test_a_day_outside_the_event_is_refused(client, auth, summit):
    event, _regs = summit
    auth.login("staff")
    outside = (event.ends_on + timedelta(days=1)).isoformat()
    response = press_badge_button(client, "summit", f"day={outside}")
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)


# --- one delegate's reprint -------------------------------------------------------------------

def test_a_reprint_holds_exactly_that_delegates_qr_code_and_is_recorded(client, auth, summit, tmp_path):
    need("pdftoppm", "zbarimg", "pdftotext")
    event, regs = summit
    bopha = regs["Bopha"]
    auth.login("staff")
    page = client.get(f"/manage/events/summit/delegates/{bopha.id}").get_data(as_text=True)
    assert f'name="registration" value="{bopha.id}"' in page and "Print badge (PDF)" in page
    # Whatever the other filters say, the reprint is for this delegate alone.
    response = press_badge_button(client, "summit", f"registration={bopha.id}&layout=a4-8up&role=participant"
                                  "&not_printed=y", page=f"/manage/events/summit/delegates/{bopha.id}")
    assert response.status_code == 200
    assert f"badge-summit-{bopha.id}.pdf" in response.headers["Content-Disposition"]
    assert names_in(response.get_data(), tmp_path) == {"Bopha"}
    png = page_png(tmp_path / "out.pdf", 1, 200, tmp_path / "reprint")
    assert decode_qr(png) == [bopha.checkin_code]
    assert printed_at(regs, "Bopha") is not None
    assert printed_at(regs, "Anong") is None
    page = client.get(f"/manage/events/summit/delegates/{bopha.id}").get_data(as_text=True)
    assert "Badge printed" in page and "Reprint badge (PDF)" in page


@pytest.mark.parametrize("name", ["Dara", "Eang"])
def test_no_reprint_for_a_delegate_who_is_not_approved(client, auth, summit, name):
    event, regs = summit
    reg = regs[name]
    auth.login("organiser")
    page = client.get(f"/manage/events/summit/delegates/{reg.id}").get_data(as_text=True)
    assert 'name="registration"' not in page
    assert "Badges are printed only for approved delegates" in page
    response = press_badge_button(client, "summit", f"registration={reg.id}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/manage/events/summit/delegates/{reg.id}"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "the check-in desk admits no one else" in html
    assert printed_at(regs, name) is None


def test_a_reprint_of_another_events_delegate_is_refused(client, auth, summit, make_event, make_registration):
    other = make_event(slug="other-event")
    stranger = make_registration(other, full_name="Stranger")
    auth.login("organiser")
    assert press_badge_button(client, "summit", f"registration={stranger.id}").status_code == 404
    _db.session.expire_all()
    assert stranger.badge_printed_at is None


# --- alignment sheet and access ---------------------------------------------------------------

def test_alignment_sheet_for_the_chosen_layout_and_offset(client, auth, summit, tmp_path):
    need("pdftotext", "pdfinfo")
    auth.login("staff")
    response = client.get(f"{URL}/alignment.pdf?layout=avery-l7165&offset_x=1.5&offset_y=-0.5&group=ngo")
    assert response.status_code == 200
    path = tmp_path / "align.pdf"
    path.write_bytes(response.get_data())
    text = run("pdftotext", str(path), "-")
    assert "Alignment test: avery-l7165" in text and "right +1.5 mm, down -0.5 mm" in text
    assert "Pages:           1" in run("pdfinfo", str(path))


@pytest.mark.parametrize("path", [URL, URL + "/alignment.pdf"])
def test_only_organisers_and_staff_reach_badges(client, auth, summit, path):
    response = client.get(path)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    auth.login("rapporteur")
    assert client.get(path).status_code == 403


def test_only_organisers_and_staff_print_badges(client, auth, summit):
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    response = client.post(PRINT, data={"csrf_token": token})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    auth.login("rapporteur")
    token = csrf_token(client.get("/manage/").get_data(as_text=True))
    assert client.post(PRINT, data={"csrf_token": token}).status_code == 403


def test_unknown_event_is_not_found(client, auth, db):
    auth.login("organiser")
    assert client.get("/manage/events/nope/badges").status_code == 404


# --- the event logo ---------------------------------------------------------------------------

def logo_png(size=(360, 120)) -> bytes:
    """A small two-colour logo with transparency."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((11, 92, 173, 255), (0, 0, size[1], size[1]))
    image.paste((200, 60, 40, 255), (size[1] + 20, size[1] // 4, size[0], size[1] * 3 // 4))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def images_in(pdf_bytes: bytes, tmp_path) -> list[str]:
    """pdfimages -list rows that are images (not their soft masks)."""
    path = tmp_path / "logo.pdf"
    path.write_bytes(pdf_bytes)
    rows = run("pdfimages", "-list", str(path)).splitlines()[2:]
    return [row for row in rows if row.split()[2] == "image"]


def test_the_logo_is_printed_on_every_badge_and_gone_when_removed(client, auth, summit, tmp_path):
    need("pdfimages", "pdftotext", "qpdf")
    event, regs = summit
    event_services.update_event(event, logo=logo_png())
    _db.session.commit()
    auth.login("staff")
    response = press_badge_button(client, "summit", "cut_marks=y", action="preview")
    rows = images_in(response.get_data(), tmp_path)
    assert len(rows) == 5  # one image a badge, page 1
    assert {row.split()[3:5] == ["360", "120"] for row in rows} == {True}
    assert len({row.split()[10] for row in rows}) == 1  # one image object, drawn five times
    run("qpdf", "--check", str(tmp_path / "logo.pdf"))
    response = press_badge_button(client, "summit", f"layout=a6&registration={regs['Anong'].id}", action="preview")
    assert len(images_in(response.get_data(), tmp_path)) == 1

    event_services.update_event(event, logo=None)
    _db.session.commit()
    assert images_in(press_badge_button(client, "summit", action="preview").get_data(), tmp_path) == []


def test_the_ticket_shows_the_logo(client, summit, tmp_path):
    need("pdfimages")
    from events_app.documents.badges.services import ticket_pdf

    event, regs = summit
    assert images_in(ticket_pdf(regs["Anong"]), tmp_path) == []
    event_services.update_event(event, logo=logo_png())
    _db.session.commit()
    assert len(images_in(ticket_pdf(regs["Anong"]), tmp_path)) == 1


def test_overview_reads_the_last_print_time_back_in_utc(summit):
    from events_app.documents.badges.queries import badge_overview

    event, regs = summit
    overview = badge_overview(event)
    assert (overview.approved, overview.printed) == (5, 1)
    assert overview.last_printed_at.tzinfo is not None
    assert abs(overview.last_printed_at - regs["Chanthy"].badge_printed_at) < timedelta(seconds=1)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("aspect", [0.2, 1.0, 3.0, 12.0])
def test_the_logo_keeps_its_shape_inside_the_title_box_and_clear_of_the_name(layout, aspect):
    w, h = (v * 72 / 25.4 for v in LAYOUTS[layout].badge)
    g = geometry(round(w, 3), round(h, 3))
    title, logo = title_beside_logo(g.title, aspect, g.scale, g.portrait)
    assert logo.w / logo.h == pytest.approx(aspect)
    assert g.title.x <= logo.x and logo.x + logo.w < title.x  # the title starts beside the logo
    assert g.title.y <= logo.y and logo.top <= g.title.top + 1e-6
    assert logo.y > g.name_zone.top  # never reaches the name
    assert title.w > g.title.w * 0.6


@pytest.mark.parametrize("layout", ["a4-8up", "a6"])
def test_multilingual_badges_with_a_logo_are_rendered_for_review(event, sample_badges, tmp_path, layout):
    need("pdfimages", "pdftotext", "pdftoppm")
    with_logo = dataclasses.replace(event, logo=logo_png())
    path = tmp_path / "badges.pdf"
    with path.open("wb") as f:
        report = render_badges(with_logo, sample_badges[:8], f, layout=layout, cut_marks=True)
    assert report.missing_scripts == {}
    rows = [row for row in run("pdfimages", "-list", str(path)).splitlines()[2:] if row.split()[2] == "image"]
    assert len(rows) == 8 and len({row.split()[10] for row in rows}) == 1  # embedded once, drawn 8 times
    text = nfc(run("pdftotext", str(path), "-"))
    for badge in sample_badges[:8]:
        assert nfc(badge.badge_name) in text
    page_png(path, 1, 60, RENDERED / f"logo-{layout}")


def test_a_script_without_a_font_is_named_with_its_delegates_before_printing(client, auth, db, make_event,
                                                                             make_registration, tmp_path):
    from events_app.documents.badges.queries import font_warnings

    event = make_event()
    make_registration(event, full_name="អោម ប៊ុនថន", name_latin="Oum Bunthan")
    make_registration(event, full_name="Maria Santos")
    assert font_warnings(event) == []  # the fonts make test installs cover every script here
    only_latin = tmp_path / "fonts"
    only_latin.mkdir()
    shutil.copy("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", only_latin)
    warnings = font_warnings(event, font_dirs=[str(only_latin)], system_fonts=False)
    assert len(warnings) == 1
    assert "Khmer" in warnings[0] and "Oum Bunthan" in warnings[0] and "Maria Santos" not in warnings[0]

    auth.login("staff")  # with every font present, the badges page shows no warning
    assert "No font for" not in client.get(f"/manage/events/{event.slug}/badges").get_data(as_text=True)
