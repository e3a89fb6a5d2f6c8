"""Recording a badge print takes a POST: small runs come back as the PDF, large ones run as a job with
progress (n of N badges) and a download; `flask documents badges` draws click's bar on a terminal only.
"""
import threading

import pytest
from sqlalchemy import select

from events_app.audit.models import AuditEntry
from events_app.choices import Status
from events_app.extensions import db as _db
from events_app.jobs import runner
from events_app.jobs.models import Job
from events_app.jobs.services import queue
from tests.conftest import csrf_token
from tests.jobs.terminal import flask_command, run_on_a_terminal

from .conftest import need, nfc, press_badge_button, run, sample_rows


@pytest.fixture()
def delegates(make_event, make_registration):
    """An event with seven approved sample delegates and one pending."""
    event = make_event(slug="badge-run", title="Badge Run Symposium")
    regs = [make_registration(event, **{k: row[k] for k in ("full_name", "name_latin", "organisation",
                                                             "stakeholder_group", "country") if row.get(k)})
            for row in sample_rows()[:8]]
    regs[7].status = Status.PENDING
    _db.session.commit()
    return event, regs


def printed(regs) -> list[bool]:
    _db.session.expire_all()
    return [r.badge_printed_at is not None for r in regs]


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "got.pdf"
    path.write_bytes(data)
    return nfc(run("pdftotext", str(path), "-"))


def test_a_small_run_returns_the_pdf_and_marks_exactly_those_printed(client, auth, delegates, tmp_path):
    need("pdftotext")
    event, regs = delegates
    auth.login("staff")
    response = press_badge_button(client, "badge-run", f"group={regs[0].stakeholder_group.value}&layout=a6")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.get_data(), tmp_path)
    chosen = [r.stakeholder_group == regs[0].stakeholder_group and r.status == Status.APPROVED for r in regs]
    assert [nfc(r.full_name) in text for r in regs] == chosen
    assert printed(regs) == chosen
    page = client.get("/manage/events/badge-run/badges").get_data(as_text=True)
    assert f"{sum(chosen)} of 7 approved delegates have a printed badge" in page


def test_a_large_run_is_a_job_whose_page_counts_the_badges_then_offers_the_pdf(app, client, auth, delegates,
                                                                               tmp_path, monkeypatch):
    need("pdftotext")
    event, regs = delegates
    monkeypatch.setitem(app.config, "BADGE_RUN_INLINE_LIMIT", 3)
    monkeypatch.setattr(runner.Progress, "EVERY", 1)
    auth.login("staff")
    assert "prepared in the background" in client.get("/manage/events/badge-run/badges").get_data(as_text=True)
    queued = press_badge_button(client, "badge-run")
    assert queued.status_code == 303 and "/manage/events/badge-run/jobs/" in queued.headers["Location"]
    job_url = queued.headers["Location"]
    waiting = client.get(job_url)
    assert waiting.headers["Refresh"] == "2"
    html = waiting.get_data(as_text=True)
    assert "Printing badges" in html and "Waiting to start" in html and "0 of 7 badges" in html
    assert printed(regs) == [False] * 8  # nothing is recorded before the job has run

    seen = {}
    update = runner.Progress.update

    def look_at_the_page_midway(progress, done, **kwargs):
        update(progress, done, **kwargs)
        if done == 4 and not kwargs:  # the page, asked from another thread (a browser) at the fourth badge
            asking = threading.Thread(target=lambda: seen.update(html=client.get(job_url).get_data(as_text=True)))
            asking.start()
            asking.join()

    monkeypatch.setattr(runner.Progress, "update", look_at_the_page_midway)
    assert runner.work() == 1
    assert "Working…" in seen["html"] and "4 of 7 badges" in seen["html"]
    assert '<progress id="job-progress" max="7" value="4">' in seen["html"]

    done = client.get(job_url)
    assert "Refresh" not in done.headers
    html = done.get_data(as_text=True)
    assert "Done." in html and "7 badges printed and recorded." in html
    assert printed(regs) == [True] * 7 + [False]  # recorded when the job finished; the pending one never
    download = client.get(job_url + "/file")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert "badges-badge-run-a4-8up.pdf" in download.headers["Content-Disposition"]
    text = pdf_text(download.get_data(), tmp_path)
    assert all(nfc(r.full_name) in text for r in regs[:7]) and nfc(regs[7].full_name) not in text
    logged = _db.session.scalars(select(AuditEntry.summary).where(AuditEntry.action == "document.download")).all()
    assert logged == ["badges-badge-run-a4-8up.pdf"]


def test_a_large_preview_is_a_job_that_records_nothing(app, client, auth, delegates, monkeypatch):
    event, regs = delegates
    monkeypatch.setitem(app.config, "BADGE_RUN_INLINE_LIMIT", 3)
    auth.login("organiser")
    job_url = press_badge_button(client, "badge-run", "layout=cr80", action="preview").headers["Location"]
    assert "preview: not recorded" in client.get(job_url).get_data(as_text=True)
    assert runner.work() == 1
    assert "none recorded as printed" in client.get(job_url).get_data(as_text=True)
    assert "badges-badge-run-cr80-preview.pdf" in client.get(job_url + "/file").headers["Content-Disposition"]
    assert printed(regs) == [False] * 8


def test_staff_follow_badge_jobs_but_not_the_organisers_exports(client, auth, delegates):
    event, _regs = delegates
    auth.login("staff")
    badges = queue("badges", event_id=event.id, user_id=None, params={}, total=7)
    export = queue("export", event_id=event.id, user_id=None, params={}, total=7)
    _db.session.commit()
    assert client.get(f"/manage/events/badge-run/jobs/{badges.id}").status_code == 200
    assert client.get(f"/manage/events/badge-run/jobs/{export.id}").status_code == 403
    assert client.get(f"/manage/events/badge-run/jobs/{export.id}/file").status_code == 403


def test_update_count_and_the_alignment_sheet_change_nothing_and_keep_the_token_out_of_urls(client, auth,
                                                                                             delegates):
    event, regs = delegates
    auth.login("staff")
    count = press_badge_button(client, "badge-run", "layout=a6&not_printed=y&offset_x=1.5", action="count")
    assert count.status_code == 303
    location = count.headers["Location"]
    assert location.startswith("/manage/events/badge-run/badges?") and "csrf_token" not in location
    assert "layout=a6" in location and "not_printed=y" in location and "offset_x=1.5" in location
    html = client.get(location).get_data(as_text=True)
    assert 'value="a6" checked' in html and "This choice prints 7 badges." in html
    sheet = press_badge_button(client, "badge-run", "layout=a6&offset_x=1.5", action="alignment")
    assert sheet.status_code == 303 and "csrf_token" not in sheet.headers["Location"]
    assert client.get(sheet.headers["Location"]).mimetype == "application/pdf"
    assert printed(regs) == [False] * 8 and _db.session.scalars(select(Job)).all() == []


def test_a_job_for_a_day_outside_the_event_is_not_started(app, client, auth, delegates, monkeypatch):
    monkeypatch.setitem(app.config, "BADGE_RUN_INLINE_LIMIT", 3)
    auth.login("staff")
    token = csrf_token(client.get("/manage/events/badge-run/badges").get_data(as_text=True))
    response = client.post("/manage/events/badge-run/badges/print", data={"csrf_token": token, "day": "1999-01-01"})
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)
    assert _db.session.scalars(select(Job)).all() == []


# --- the command line -------------------------------------------------------------------------


def test_the_command_prints_the_same_line_and_file_without_a_terminal(app, delegates, tmp_path):
    need("pdftotext")
    out = tmp_path / "cli.pdf"
    result = app.test_cli_runner().invoke(args=["documents", "badges", "badge-run", "-o", str(out),
                                                "--no-record"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"7 badges on 1 pages written to {out}\n"
    assert result.stderr == ""  # CliRunner's stderr is no terminal: no bar, nothing for a script to strip
    assert out.read_bytes().startswith(b"%PDF")


def test_the_command_draws_clicks_progress_bar_of_badges_on_a_terminals_stderr(app, delegates, tmp_path):
    out = tmp_path / "tty.pdf"
    result, seen = run_on_a_terminal(*flask_command(app, "documents", "badges", "badge-run", "-o", str(out),
                                                    "--no-record"))
    assert result.returncode == 0
    assert result.stdout == f"7 badges on 1 pages written to {out}\n"  # stdout as without a terminal
    assert b"Badges" in seen and b"0/7" in seen and b"7/7" in seen and b"100%" in seen
    assert out.read_bytes().startswith(b"%PDF")
