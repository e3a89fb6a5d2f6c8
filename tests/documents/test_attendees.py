"""Attendee lists read back with poppler and qpdf: every name in every script, grouping, consent, roles."""
import io
from datetime import date

import pytest
from sqlalchemy import event as sa_event

from events_app.choices import Status
from events_app.documents.lists.attendees import render_attendee_list
from events_app.documents.lists.queries import delegate_rows
from events_app.documents.lists.services import attendee_list
from events_app.documents.records import Delegate, EventInfo
from events_app.extensions import db as _db

from .conftest import RENDERED, assert_names_printed, need, nfc, page_png, run, sample_rows

FIELDS = ("full_name", "name_latin", "honorific", "organisation", "position", "stakeholder_group", "country",
          "region")


@pytest.fixture()
def symposium(make_event, make_registration):
    """All 26 sample delegates approved (even ones listed publicly), plus one pending and one cancelled."""
    event = make_event(slug="mekong-2026", title="Mekong Symposium 2026", city="Bangkok",
                       venue="Chulalongkorn University", country="TH", starts_on=date(2026, 3, 3),
                       ends_on=date(2026, 3, 5))
    regs = []
    for n, row in enumerate(sample_rows()):
        fields = {k: row[k] for k in FIELDS if row.get(k)}
        regs.append(make_registration(event, **fields, email=row["email"], phone=f"+66812345{n:03d}",
                                      list_publicly=n % 2 == 0))
    pending = make_registration(event, full_name="Pending Person", email="pending@example.org", list_publicly=True)
    cancelled = make_registration(event, full_name="Cancelled Person", email="cancelled@example.org",
                                  list_publicly=True)
    pending.status, cancelled.status = Status.PENDING, Status.CANCELLED
    _db.session.commit()
    return event, regs, pending, cancelled


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["documents", *args])


def test_internal_list_has_every_approved_name_in_every_script(app, symposium, tmp_path):
    need("pdftotext", "pdftoppm")
    event, regs, pending, cancelled = symposium
    out = tmp_path / "attendees.pdf"
    result = _cli(app, "attendees", "mekong-2026", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "26 delegates" in result.output
    text = nfc(run("pdftotext", "-raw", str(out), "-"))
    assert_names_printed(text, regs)
    for reg in regs:
        assert reg.email in text  # the internal list's default columns include the email
    assert "Pending Person" not in text and "Cancelled Person" not in text
    assert "Cambodia \u00b7 4" in text and "Lao PDR \u00b7 3" in text and "Yunnan, China" in text
    assert "Internal" in text and "Page 1 of" in text
    png = page_png(out, 1, 100, RENDERED / "attendees-internal")
    assert png.exists()


def test_grouped_by_country_then_sorted_by_latin_name(app, symposium, tmp_path):
    need("pdftotext")
    out = tmp_path / "attendees.pdf"
    assert _cli(app, "attendees", "mekong-2026", "-o", str(out)).exit_code == 0
    text = nfc(run("pdftotext", "-raw", str(out), "-"))
    groups = [text.index(f"{country} \u00b7") for country in ("Cambodia", "China", "Japan", "Lao PDR", "Myanmar",
                                                                "Thailand", "Vietnam")]
    assert groups == sorted(groups)
    cambodia = [text.index(name) for name in ("Heng Sopheap", "Mao Sreynich", "Oum Bunthan", "Sok Chanthy")]
    assert cambodia == sorted(cambodia)
    assert groups[0] < cambodia[0] < groups[1]


def test_group_by_stakeholder_group_uses_the_labels(app, symposium, tmp_path):
    need("pdftotext")
    out = tmp_path / "by-group.pdf"
    result = _cli(app, "attendees", "mekong-2026", "-o", str(out), "--group-by", "stakeholder_group",
                  "--columns", "name, organisation,country,phone,role")
    assert result.exit_code == 0, result.output
    text = nfc(run("pdftotext", "-raw", str(out), "-"))
    for heading in ("Government \u00b7 6", "NGO \u00b7 8", "Migrant group \u00b7 3", "Academic \u00b7 3"):
        assert heading in text
    assert "+66812345000" in text and "Participant" in text
    assert "@" not in text  # email was not among the chosen columns


def test_public_list_shows_only_consenting_delegates_and_no_contact_details(app, symposium, tmp_path):
    need("pdftotext", "pdftoppm")
    event, regs, *_ = symposium
    out = tmp_path / "public.pdf"
    result = _cli(app, "attendees", "mekong-2026", "-o", str(out), "--public")
    assert result.exit_code == 0, result.output
    text = nfc(run("pdftotext", "-raw", str(out), "-"))
    for reg in regs:
        if reg.list_publicly:
            assert nfc(reg.full_name) in text
        else:
            assert nfc(reg.full_name) not in text, reg.full_name
            if reg.name_latin:
                assert nfc(reg.name_latin) not in text
        assert reg.email not in text and reg.phone not in text
        assert (reg.position or "\0") not in text
    assert "@" not in text and "+66" not in text
    assert "Pending Person" not in text
    page_png(out, 1, 100, RENDERED / "attendees-public")


def test_public_list_refuses_private_columns_in_one_line(app, symposium, tmp_path):
    out = tmp_path / "public.pdf"
    result = _cli(app, "attendees", "mekong-2026", "-o", str(out), "--public", "--columns", "name,email")
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "email" in lines[0]
    assert not out.exists()
    result = _cli(app, "attendees", "mekong-2026", "-o", str(out), "--columns", "name,passport_number")
    assert result.exit_code != 0 and "passport_number" in result.output and not out.exists()


@pytest.mark.parametrize("command", [["attendees"], ["signin", "--day", "2026-03-04"], ["certificates"],
                                     ["letters"]])
def test_unknown_event_fails_in_one_line(app, db, tmp_path, command):
    out = tmp_path / "x.pdf"
    result = _cli(app, command[0], "no-such-event", *command[1:], "-o", str(out))
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "no-such-event" in lines[0]
    assert not out.exists()


def test_public_rows_never_carry_contact_details_or_non_consenting_people(app, symposium):
    rows = delegate_rows(symposium[0], public=True, contact=True)
    assert rows and all(r.list_publicly and r.email == "" and r.phone == "" and r.position == "" for r in rows)
    assert len(rows) == 13


def test_rows_take_a_constant_number_of_queries(app, symposium, make_registration):
    event = symposium[0]
    statements = []

    def count(conn, cursor, statement, *args):
        if "registrations" in statement:  # not the BEGIN nor the event's own reload after a commit
            statements.append(statement)

    engine = _db.engine
    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        delegate_rows(event, contact=True)
        few = len(statements)
        for n in range(15):
            make_registration(event, full_name=f"Extra {n}", email=f"extra{n}@example.org")
        statements.clear()
        delegate_rows(event, contact=True)
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == few == 1


def test_pdf_embeds_a_font_per_script_and_passes_qpdf(app, symposium, tmp_path):
    need("pdffonts", "qpdf")
    out = tmp_path / "attendees.pdf"
    assert _cli(app, "attendees", "mekong-2026", "-o", str(out)).exit_code == 0
    listing = run("pdffonts", str(out)).splitlines()[2:]
    embedded = {line.split()[0].split("+")[-1] for line in listing if line.split()[-5] == "yes"}
    for font in ("NotoSans-Regular", "NotoSans-Bold", "NotoSansKhmer-Bold", "NotoSansMyanmar-Bold",
                 "NotoSansLao-Bold", "NotoSansThai-Bold", "DroidSansFallback"):
        assert font in embedded, listing
    assert [line for line in listing if line.split()[-5] != "yes"] == []
    assert "No syntax or stream encoding errors" in run("qpdf", "--check", str(out))


EVENT = EventInfo(title="Regional Symposium on Labour Migration", dates="3\u20135 March 2026",
                      starts_on=date(2026, 3, 3), ends_on=date(2026, 3, 5), city="Bangkok")


def _render(delegates, **options):
    buf = io.BytesIO()
    report = render_attendee_list(EVENT, delegates, buf, **options)
    return buf.getvalue(), report


def test_markup_characters_print_as_themselves(tmp_path):
    need("pdftotext")
    tricky = Delegate(full_name='Ann <b>O\'Neil</b> & "Bo"', organisation="Smith & Sons <Ltd> \\ (Asia)",
                      country="Thailand", country_group="Thailand", email="a&b@example.org", list_publicly=True)
    pdf, _ = _render([tricky], columns=["name", "organisation", "email"])
    path = tmp_path / "tricky.pdf"
    path.write_bytes(pdf)
    text = nfc(run("pdftotext", "-raw", str(path), "-"))
    assert 'Ann <b>O\'Neil</b> & "Bo"' in text
    assert "Smith & Sons <Ltd> \\ (Asia)" in text
    assert "a&b@example.org" in text


def test_long_list_repeats_the_header_and_numbers_pages(tmp_path):
    need("pdftotext")
    delegates = [Delegate(full_name=f"Delegate {n:03d}", organisation="Mekong Migration Network",
                          country="Thailand", country_group="Thailand", list_publicly=True) for n in range(120)]
    pdf, report = _render(delegates, public=True)
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf)
    assert report.pages >= 3
    for page in range(1, report.pages + 1):
        text = run("pdftotext", "-f", str(page), "-l", str(page), str(path), "-")
        assert "Organisation" in text and "Regional Symposium on Labour Migration" in text
        assert f"Page {page} of {report.pages}" in text
        if page > 1:
            assert "Thailand \u00b7 120 (continued)" in text


def test_a_missing_font_is_a_warning_naming_script_and_delegate(latin_fonts_only):
    fonts = latin_fonts_only
    khmer = Delegate(full_name="សុខ ចាន់ធី", name_latin="Sok Chanthy", organisation="CMWA", country="Cambodia",
                     country_group="Cambodia")
    pdf, report = _render([khmer], font_dirs=[str(fonts)], system_fonts=False)
    assert pdf.startswith(b"%PDF")
    assert report.missing_scripts == {"Khmer": ["Sok Chanthy"]}
    assert "Khmer" in report.warnings[0] and "Sok Chanthy" in report.warnings[0]


def test_service_refuses_unknown_grouping(app, symposium):
    from events_app.documents.lists.services import DocumentError

    with pytest.raises(DocumentError):
        attendee_list(symposium[0], io.BytesIO(), group_by="gender")


def test_web_download_roles(client, auth, symposium):
    base = "/manage/events/mekong-2026/attendees.pdf"
    assert client.get(base + "?version=public").status_code == 302  # to the login page
    auth.login("staff")
    response = client.get(base + "?version=public&group_by=country")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert client.get(base + "?version=internal&group_by=country&columns=email").status_code == 403
    auth.logout()
    auth.login("organiser")
    response = client.get(base + "?version=internal&group_by=stakeholder_group&columns=name&columns=email")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "attendees-internal-mekong-2026.pdf" in response.headers["Content-Disposition"]


def test_a_plain_link_gets_the_public_list_by_country(client, auth, symposium):
    auth.login("organiser")
    response = client.get("/manage/events/mekong-2026/attendees.pdf")
    assert response.status_code == 200
    assert "participants-mekong-2026.pdf" in response.headers["Content-Disposition"]


def test_documents_page_lists_every_document(client, auth, symposium):
    auth.login("organiser")
    html = client.get("/manage/events/mekong-2026/documents").get_data(as_text=True)
    for path in ("attendees.pdf", "signin.pdf"):
        assert f"/manage/events/mekong-2026/{path}" in html
    assert "certificates.pdf" not in html and "Nobody yet: no delegate has been checked in" in html
    assert 'href="/manage/events/mekong-2026/badges' in html  # the badges page, or its download
    assert "Visa invitation letters" in html and "Nobody yet: no approved delegate has asked" in html
    assert 'value="2026-03-04"' in html and 'name="columns"' in html
    auth.logout()
    auth.login("staff")
    html = client.get("/manage/events/mekong-2026/documents").get_data(as_text=True)
    assert "attendees.pdf" in html and "signin.pdf" in html
    assert "Visa invitation letters" not in html and 'name="columns"' not in html
    auth.logout()
    auth.login("rapporteur")
    assert client.get("/manage/events/mekong-2026/documents").status_code == 403
