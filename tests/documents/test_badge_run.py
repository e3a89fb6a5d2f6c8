"""`flask documents badges` and the POST /manage/events/EVENT/badges/print, through the shared badge_run service."""
import pytest

from events_app.choices import ParticipantRole, Status
from events_app.extensions import db as _db
from tests.conftest import csrf_token

from .conftest import RENDERED, need, nfc, page_png, press_badge_button, run, sample_rows


@pytest.fixture()
def symposium(make_event, make_registration):
    """An event with six sample delegates: four approved (one a speaker), one pending, one cancelled."""
    event = make_event(slug="mekong-2026", title="Mekong Symposium 2026", city="Bangkok")
    rows = sample_rows()
    picked = [rows[0], rows[7], rows[11], rows[19], rows[15], rows[22]]
    regs = []
    for row in picked:
        fields = {k: row[k] for k in ("full_name", "name_latin", "honorific", "organisation",
                                      "stakeholder_group", "country", "region") if row.get(k)}
        regs.append(make_registration(event, **fields))
    regs[1].participant_role = ParticipantRole.SPEAKER
    regs[4].status = Status.PENDING
    regs[5].status = Status.CANCELLED
    _db.session.commit()
    return event, regs


def test_cli_prints_approved_badges_sorted_and_records_them(app, symposium, tmp_path):
    need("pdftotext")
    event, regs = symposium
    out = tmp_path / "badges.pdf"
    result = app.test_cli_runner().invoke(args=["documents", "badges", "mekong-2026", "-o", str(out),
                                                "--layout", "a4-8up", "--cut-marks"])
    assert result.exit_code == 0, result.output
    assert "4 badges on 1 pages" in result.output
    text = nfc(run("pdftotext", str(out), "-"))
    for reg in regs[:4]:
        assert nfc(reg.full_name) in text
        assert reg.checkin_code not in text  # the code is only in the QR, never printed as text
    assert nfc(regs[4].full_name) not in text and nfc(regs[5].full_name) not in text
    # Sorted by sort_name (the Latin name): Aung, Li, Sok, Somchai.
    positions = [text.index(nfc(r.full_name)) for r in (regs[1], regs[3], regs[0], regs[2])]
    assert positions == sorted(positions)
    _db.session.expire_all()
    assert all(r.badge_printed_at is not None for r in regs[:4])
    assert regs[4].badge_printed_at is None and regs[5].badge_printed_at is None


def test_cli_filters_by_role_and_status(app, symposium, tmp_path):
    need("pdftotext")
    event, regs = symposium
    out = tmp_path / "speakers.pdf"
    result = app.test_cli_runner().invoke(args=["documents", "badges", "mekong-2026", "-o", str(out),
                                                "--role", "speaker"])
    assert result.exit_code == 0, result.output
    assert "1 badges" in result.output
    assert nfc(regs[1].full_name) in nfc(run("pdftotext", str(out), "-"))
    out = tmp_path / "pending.pdf"
    result = app.test_cli_runner().invoke(args=["documents", "badges", "mekong-2026", "-o", str(out),
                                                "--status", "pending", "--layout", "cr80"])
    assert result.exit_code == 0, result.output
    assert nfc(regs[4].full_name) in nfc(run("pdftotext", str(out), "-"))


def test_cli_unknown_event_fails_in_one_line(app, db, tmp_path):
    out = tmp_path / "x.pdf"
    result = app.test_cli_runner().invoke(args=["documents", "badges", "no-such-event", "-o", str(out)])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "no-such-event" in lines[0]
    assert not out.exists()


def test_cli_alignment_test_page(app, symposium, tmp_path):
    need("pdftotext")
    out = tmp_path / "align.pdf"
    result = app.test_cli_runner().invoke(args=["documents", "badges", "mekong-2026", "-o", str(out),
                                                "--layout", "avery-l4785", "--alignment-test",
                                                "--offset-x", "1.5"])
    assert result.exit_code == 0, result.output
    assert "right +1.5 mm" in run("pdftotext", str(out), "-")
    page_png(out, 1, 60, RENDERED / "alignment-avery-l4785")


def test_the_old_download_url_is_gone_and_marks_nobody_printed(client, auth, symposium):
    event, regs = symposium
    auth.login("organiser")
    for query in ("", "?layout=a6", f"?registration={regs[1].id}"):
        assert client.get(f"/manage/events/mekong-2026/badges.pdf{query}").status_code == 404
        assert client.get(f"/manage/events/mekong-2026/badges/print{query}").status_code == 405
    _db.session.expire_all()
    assert [r.badge_printed_at for r in regs] == [None] * len(regs)


def test_printing_without_the_csrf_token_is_refused_and_records_nothing(client, auth, symposium):
    event, regs = symposium
    auth.login("organiser")
    response = client.post("/manage/events/mekong-2026/badges/print", data={"action": "print", "layout": "a6"})
    assert response.status_code == 400 and "This form has expired" in response.get_data(as_text=True)
    forged = client.post("/manage/events/mekong-2026/badges/print", data={"action": "print", "csrf_token": "x"})
    assert forged.status_code == 400
    _db.session.expire_all()
    assert [r.badge_printed_at for r in regs] == [None] * len(regs)


@pytest.mark.parametrize("role", ["organiser", "staff"])
def test_download_returns_the_pdf_as_attachment(client, auth, symposium, role, tmp_path):
    need("pdftotext")
    event, regs = symposium
    auth.login(role)
    response = press_badge_button(client, "mekong-2026", "layout=a6&cut_marks=1&role=speaker")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    pdf = tmp_path / "dl.pdf"
    pdf.write_bytes(response.get_data())
    assert nfc(regs[1].full_name) in nfc(run("pdftotext", str(pdf), "-"))
    _db.session.expire_all()
    assert regs[1].badge_printed_at is not None and regs[0].badge_printed_at is None


def test_download_rejects_bad_arguments_and_unknown_events(client, auth, symposium):
    auth.login("organiser")
    bad = press_badge_button(client, "mekong-2026", "layout=poster")
    assert bad.status_code == 400 and "Not a valid choice" in bad.get_data(as_text=True)
    token = csrf_token(client.get("/manage/").get_data(as_text=True))
    assert client.post("/manage/events/nope/badges/print", data={"csrf_token": token}).status_code == 404


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["documents", "badges", "mekong-2026", *args])


def test_cli_filters_by_group_day_and_not_printed(app, symposium, tmp_path):
    need("pdftotext")
    event, regs = symposium
    first, last = event.days[0], event.days[-1]
    regs[0].departure_date = first  # leaves after the first day
    regs[2].arrival_date = last  # arrives on the last day
    _db.session.commit()
    out = tmp_path / "day1.pdf"
    result = _cli(app, "-o", str(out), "--day", first.isoformat(), "--no-record")
    assert result.exit_code == 0, result.output
    assert "3 badges" in result.output and "recorded" not in result.output
    text = nfc(run("pdftotext", str(out), "-"))
    assert nfc(regs[0].full_name) in text and nfc(regs[2].full_name) not in text
    group = regs[3].stakeholder_group.value
    expected = [r for r in regs[:4] if r.stakeholder_group.value == group]
    result = _cli(app, "-o", str(out), "--group", group)
    assert result.exit_code == 0, result.output
    assert f"{len(expected)} badges" in result.output and f"{len(expected)} recorded as printed" in result.output
    result = _cli(app, "-o", str(out), "--not-printed")
    assert result.exit_code == 0, result.output
    assert f"{4 - len(expected)} badges" in result.output
    result = _cli(app, "-o", str(tmp_path / "none.pdf"), "--not-printed")
    assert result.exit_code != 0 and "no delegate matches" in result.output
    assert not (tmp_path / "none.pdf").exists()
    result = _cli(app, "-o", str(out), "--day", "1999-01-01")
    assert result.exit_code != 0 and "not a day of this event" in result.output


def test_cli_reprints_one_delegate_by_id_or_email(app, symposium, tmp_path):
    need("pdftotext")
    event, regs = symposium
    out = tmp_path / "one.pdf"
    result = _cli(app, "-o", str(out), "--registration", str(regs[2].id), "--layout", "a6")
    assert result.exit_code == 0, result.output
    assert "1 badges on 1 pages" in result.output
    assert nfc(regs[2].full_name) in nfc(run("pdftotext", str(out), "-"))
    result = _cli(app, "-o", str(out), "--email", regs[3].email.upper())
    assert result.exit_code == 0, result.output
    assert nfc(regs[3].full_name) in nfc(run("pdftotext", str(out), "-"))
    _db.session.expire_all()
    assert regs[2].badge_printed_at and regs[3].badge_printed_at and regs[0].badge_printed_at is None


@pytest.mark.parametrize("args, message", [
    (["--registration", "PENDING"], "approved delegates"),
    (["--email", "nobody@example.org"], "No delegate nobody@example.org"),
    (["--registration", "1", "--email", "x@example.org"], "not both"),
])
def test_cli_refuses_a_reprint_it_cannot_make_in_one_line(app, symposium, tmp_path, args, message):
    event, regs = symposium
    args = [str(regs[4].id) if a == "PENDING" else a for a in args]
    out = tmp_path / "no.pdf"
    result = _cli(app, "-o", str(out), *args)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.output
    assert not out.exists()
