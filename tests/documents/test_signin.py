"""Sign-in sheets read back with poppler and qpdf: each day, every name in every script, refused days."""
import io
from datetime import date

import pytest

from events_app.choices import Status
from events_app.documents.lists.signin import NotAnEventDay, render_signin_sheet
from events_app.documents.records import Delegate, EventInfo
from events_app.extensions import db as _db

from .conftest import RENDERED, assert_names_printed, need, nfc, page_png, run, sample_rows


@pytest.fixture()
def symposium(make_event, make_registration):
    """The 26 sample delegates, approved, and one pending delegate, at a three-day event."""
    event = make_event(slug="mekong-2026", title="Mekong Symposium 2026", city="Bangkok",
                       starts_on=date(2026, 3, 3), ends_on=date(2026, 3, 5))
    regs = []
    for row in sample_rows():
        fields = {k: row[k] for k in ("full_name", "name_latin", "organisation", "stakeholder_group", "country",
                                      "region") if row.get(k)}
        regs.append(make_registration(event, **fields, email=row["email"]))
    pending = make_registration(event, full_name="Pending Person", email="pending@example.org")
    pending.status = Status.PENDING
    _db.session.commit()
    return event, regs


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["documents", "signin", *args])


def test_sheet_has_every_name_in_both_forms_sorted_with_the_day_on_each_page(app, symposium, tmp_path):
    need("pdftotext", "pdftoppm", "qpdf")
    event, regs = symposium
    out = tmp_path / "signin.pdf"
    result = _cli(app, "mekong-2026", "--day", "2026-03-04", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "26 delegates on 2 pages" in result.output
    text = nfc(run("pdftotext", "-raw", str(out), "-"))
    assert_names_printed(text, regs)
    assert "Pending Person" not in text
    # Sorted by the Latin name, whatever the script.
    order = ["Ahmed Rahman", "Arunee Srisawat", "Aung Myint Htun", "Bounmy Vongsa", "Emily Clarke"]
    positions = [text.index(name) for name in order]
    assert positions == sorted(positions)
    for page in (1, 2):
        page_text = run("pdftotext", "-f", str(page), "-l", str(page), str(out), "-")
        assert "Wednesday 4 March 2026" in page_text and "Mekong Symposium 2026" in page_text
        assert "Signature" in page_text and f"Page {page} of 2" in page_text
        assert "day 2 of 3" in page_text
    assert "No syntax or stream encoding errors" in run("qpdf", "--check", str(out))
    page_png(out, 1, 100, RENDERED / "signin")


@pytest.mark.parametrize("day", ["2026-03-06", "2026-03-02", "2026-02-30", "tomorrow"])
def test_a_day_outside_the_event_is_refused_in_one_line(app, symposium, tmp_path, day):
    out = tmp_path / "signin.pdf"
    result = _cli(app, "mekong-2026", "--day", day, "-o", str(out))
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert day in lines[0]
    assert not out.exists()


def test_the_day_must_be_given(app, symposium, tmp_path):
    result = _cli(app, "mekong-2026", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code != 0 and "--day" in result.output


EVENT = EventInfo(title="Regional Symposium on Labour Migration", dates="3\u20135 March 2026",
                      starts_on=date(2026, 3, 3), ends_on=date(2026, 3, 5), city="Bangkok")


def test_renderer_refuses_a_non_event_day():
    with pytest.raises(NotAnEventDay):
        render_signin_sheet(EVENT, date(2026, 3, 6), [], io.BytesIO())


def test_rows_are_tall_enough_to_sign_and_blank_rows_follow(tmp_path):
    need("pdftotext")
    delegates = [Delegate(full_name=f"Delegate {n:02d}", organisation="Network", country="Thailand")
                 for n in range(40)]
    buf = io.BytesIO()
    report = render_signin_sheet(EVENT, date(2026, 3, 3), delegates, buf, blank_rows=3)
    path = tmp_path / "sheet.pdf"
    path.write_bytes(buf.getvalue())
    # 13 mm rows: 18 on an A4 portrait page under the header.
    assert report.pages == 3
    text = run("pdftotext", "-raw", str(path), "-")
    assert "Delegate 39" in text and "\n43\n" in text and "\n44\n" not in text
    for page in range(1, 4):
        page_text = run("pdftotext", "-f", str(page), "-l", str(page), str(path), "-")
        assert "Tuesday 3 March 2026" in page_text and "Signature" in page_text


def test_names_with_markup_characters_print_as_themselves(tmp_path):
    need("pdftotext")
    buf = io.BytesIO()
    tricky = Delegate(full_name="Tom & Jerry <i>\"Q\"</i>", organisation="A&B <Co>", country="Thailand")
    render_signin_sheet(EVENT, date(2026, 3, 5), [tricky], buf)
    path = tmp_path / "tricky.pdf"
    path.write_bytes(buf.getvalue())
    text = nfc(run("pdftotext", "-raw", str(path), "-"))
    assert 'Tom & Jerry <i>"Q"</i>' in text and "A&B <Co>" in text


def test_web_download_for_staff_and_a_bad_day(client, auth, symposium):
    auth.login("staff")
    response = client.get("/manage/events/mekong-2026/signin.pdf?day=2026-03-05&blank_rows=2")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "signin-mekong-2026-2026-03-05.pdf" in response.headers["Content-Disposition"]
    response = client.get("/manage/events/mekong-2026/signin.pdf?day=2026-03-09", follow_redirects=True)
    assert response.status_code == 200
    assert "Choose one of the event" in response.get_data(as_text=True)
    assert client.get("/manage/events/no-such-event/signin.pdf?day=2026-03-05").status_code == 404
