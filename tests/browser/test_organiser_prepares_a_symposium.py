"""Issue 10's "Done when", tried as a new user would in a real browser: an admin copies last year's symposium,
invites a colleague and makes them its organiser; the colleague chooses a password through the emailed link,
imports invitees written in six scripts, approves them, reads the balance, edits a record, writes to everyone
approved (the mail arrives in each delegate's language) and exports them as CSV. No command line anywhere.
"""
import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from events_app.choices import Status
from events_app.events.models import Event
from events_app.mail.sender import deliver_due
from events_app.registration.models import Registration
from tests.browser.test_journey_in_browser import DESKTOP, _arrived, _sign_in
from tests.browser.test_languages import _in
from tests.mail.conftest import mail_settings, smtp_server  # noqa: F401 - the real SMTP server, reused

pytestmark = pytest.mark.browser
INVITEES = Path(__file__).parents[1] / "delegate_files" / "data" / "delegates_sample.csv"  # 26 rows, 6 scripts
COLLEAGUE = "malee.s@mekong.test"
NEW_PASSWORD = "tamarind rain over khon kaen"
LINK_RE = re.compile(r"https?://\S+/auth/set-password/\S+")
SUBJECT = "Practical information for the symposium"
COLUMNS = ["full_name", "name_latin", "email", "organisation", "country", "locale"]


def _flashed(page, text: str) -> None:
    """Wait for the next page's message saying `text` (all_inner_texts() would read whatever page is shown now,
    the last one's message or none), then for the rest of that page."""
    expect(page.locator(".flash", has_text=text).first).to_be_visible()
    page.wait_for_load_state("load")


def _fresh(db):
    """End this thread's read snapshot, to see what the server committed."""
    db.session.rollback()


def test_an_organiser_prepares_a_symposium_without_the_command_line(live_server, browser, db, auth, make_event,
                                                                     smtp_server, shoot,  # noqa: F811
                                                                     axe_violations):
    starts = date.today() + timedelta(days=60)
    make_event(slug="mekong-2026", title="Mekong Symposium 2026", starts_on=starts - timedelta(days=365),
               capacity=400, approval_required=True, city="Bangkok", country="TH")
    admin = auth.user("admin")
    audited: dict[str, list[str]] = {}

    # 1. The admin copies last year's event from its settings page.
    desk = browser.new_page(viewport=DESKTOP)
    _sign_in(desk, live_server, admin.email)
    desk.click("text=Mekong Symposium 2026")
    desk.click("main >> text=Settings")
    desk.click("text=Copy as a new event")
    desk.fill("#slug", "mekong-2027")
    desk.fill("#title", "Mekong Symposium 2027")
    desk.fill("#starts_on", starts.isoformat())
    desk.fill("#ends_on", (starts + timedelta(days=2)).isoformat())
    desk.click("text=Create the copy")
    _flashed(desk, "was created as a copy of")
    shoot(desk, "symposium-1-copied")

    # 2. ... invites a colleague and gives them the organiser role at the new event only.
    desk.click("header >> text=Users")
    desk.fill("#email", COLLEAGUE)
    desk.fill("#name", "Malee Srisuk")
    desk.click("text=Send the invitation")
    _flashed(desk, f"{COLLEAGUE} was invited")
    desk.select_option("#event", label="Mekong Symposium 2027")
    desk.select_option("#role", "organiser")
    desk.click("text=Give this role")
    expect(desk.locator("main table")).to_contain_text("Mekong Symposium 2027")  # the granted role, once it is there
    roles = desk.inner_text("main table")
    assert "Mekong Symposium 2027" in roles and "Organiser" in roles and "Mekong Symposium 2026" not in roles
    shoot(desk, "symposium-2-colleague-granted")
    audited["manage.user_page (a new user, granted)"] = axe_violations(desk)
    desk.click("text=Sign out")

    # 3. The colleague chooses a password through the emailed link, then signs in.
    _fresh(db)
    deliver_due()
    (invitation,) = smtp_server.to(COLLEAGUE)
    link = LINK_RE.search(invitation.text).group(0)
    page = browser.new_page(viewport=DESKTOP)
    page.goto(live_server + urlsplit(link).path)  # the link's own host is the configured public address
    assert COLLEAGUE in page.inner_text("main")
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    page.click("text=Set my password")
    page.wait_for_url(lambda url: "/auth/set-password/" not in url)  # the answer, not the form's own page
    if page.url.endswith("/auth/login"):
        page.fill("#email", COLLEAGUE)
        page.fill("#password", NEW_PASSWORD)
        page.click("button[type=submit]")
    _arrived(page, re.compile(r"//[^/]+/manage/$"))
    events = page.inner_text("main table")
    assert "Mekong Symposium 2027" in events and "Mekong Symposium 2026" not in events  # only their event

    # 4. ... imports the invitees: upload, a preview of every row, confirm.
    page.click("text=Mekong Symposium 2027")
    page.click("text=Import delegates")
    assert "At most" in page.inner_text("#limits")
    page.set_input_files("#table", str(INVITEES))
    page.click("button:has-text('Preview')")
    _arrived(page, re.compile(r"/import/"))  # the preview, not the upload form
    preview = page.inner_text("main")
    assert "26 rows checked: 26 new delegates" in preview
    for name in ("សុខ ចាន់ធី", "Sok Chanthy"):  # Khmer script, with its Latin spelling beside it
        assert name in preview
    shoot(page, "symposium-4-import-preview")
    audited["manage.import_preview (six scripts)"] = axe_violations(page)
    page.click("text=Import 26 delegates")
    _flashed(page, "26 new delegates imported")
    expect(page.locator("input[name=ids]")).to_have_count(26)
    shoot(page, "symposium-4-imported")

    # 5. ... declines one, approves three ticked ones, then everyone still pending with the filter.
    page.locator("tr", has_text="Oum Bunthan").locator("button[value=decline]").click()
    _flashed(page, "Declined")
    for name in ("Sok Chanthy", "Heng Sopheap", "Mao Sreynich"):
        page.locator("tr", has_text=name).locator("input[name=ids]").check()
    page.select_option("#bulk-action", "approve")
    page.click("text=Apply to the ticked")
    _flashed(page, "3 delegates changed.")
    page.select_option("#status", "pending")
    page.click(".filters >> button:has-text('Filter')")
    page.click("text=Apply to all 22 matching…")
    expect(page.locator("h1")).to_contain_text("all 22 matching delegates?")  # the question, not the list's h1
    page.wait_for_load_state("load")
    shoot(page, "symposium-5-approve-matching")
    audited["manage.bulk_status (confirm everyone matching)"] = axe_violations(page)
    page.click("main button[type=submit]")
    _flashed(page, "22 delegates changed.")
    assert "No delegates match." in page.inner_text("main table")  # none pending any more

    # 6. ... reads the balance on the dashboard.
    page.click("text=Dashboard")
    _arrived(page, re.compile(r"/dashboard$"))  # details opened and figures read on the dashboard, not the list
    statuses = page.locator("section", has=page.locator("h2", has_text="status"))
    shoot(page, "symposium-6-dashboard")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    dashboard = page.inner_text("main")
    assert re.search(r"Approved\s+25", statuses.first.inner_text()), statuses.first.inner_text()
    assert re.search(r"Declined\s+1", statuses.first.inner_text())
    balance = page.locator("section", has=page.locator("h2", has_text="by stakeholder group and country"))
    assert "8 stakeholder groups and 7 countries" in balance.inner_text()
    table = {tuple(cell.split(": ")[-1].strip() for cell in row.locator("th, td").all_inner_texts())
             for row in balance.locator("tbody tr").all()}  # group, country, approved, all active
    assert {("NGO", "Myanmar", "2", "2"), ("Government", "Cambodia", "1", "1"), ("Media", "Japan", "1", "1")} <= table
    assert not any(row[:2] == ("Trade union", "Cambodia") and row[2] != "0" for row in table)  # the one declined
    assert "Cambodia" in dashboard and "Myanmar" in dashboard and "Lao" in dashboard

    # 7. ... opens a delegate, corrects their organisation, and sees it in the history and the audit log.
    page.click("text=Delegates")
    page.click("a:has-text('ហេង សុភាព')")  # the name as they wrote it links to their record
    page.click("text=Edit details")
    page.fill("#organisation", "Ministry of Labour (Cambodia)")
    page.click("text=Save changes")
    _flashed(page, "Saved: Organisation.")  # only what was changed (not the order of their languages)
    record = page.inner_text("main")
    assert "Ministry of Labour (Cambodia)" in record
    assert re.search(r"organisation: Ministry of Labour and Vocational Training → Ministry of Labour \(Cambodia\)",
                     record), record
    shoot(page, "symposium-7-delegate-edited")

    # 8. ... writes to every approved delegate: preview, then send; each gets it in their own language.
    page.click("text=Delegates")
    page.click("text=Write to delegates")
    page.fill("#subject", SUBJECT)
    page.fill("#body", "Dear {full_name},\n\nThe programme and the hotel details are attached to your page.")
    page.click("button:has-text('Preview')")
    assert "This message will go to 25 delegates." in page.inner_text(".recipient-count")
    shoot(page, "symposium-8-message-preview")
    audited["mail.bulk_message (a preview)"] = axe_violations(page)
    page.click("text=Send to 25 delegates")
    _flashed(page, "25 messages are queued")  # committed by the server before deliver_due() looks
    _fresh(db)
    deliver_due()
    event = db.session.scalar(select(Event).where(Event.slug == "mekong-2027"))
    approved = db.session.scalars(select(Registration).where(Registration.event_id == event.id,
                                                             Registration.status == Status.APPROVED)).all()
    assert len(approved) == 25
    locales = set()
    for registration in approved:
        (message,) = [m for m in smtp_server.to(registration.email) if SUBJECT in m.message["Subject"]]
        assert f"Dear {registration.full_name}," in message.text
        locales.add(registration.locale)
        assert message.message["Content-Language"] == registration.locale.replace("_", "-")
        if registration.locale != "en":
            assert _in(registration.locale)("Your private link (view, change or cancel your registration):") in (
                message.text), registration.locale
    assert locales >= {"km", "th", "my", "lo", "vi", "en"}
    assert not [m for m in smtp_server.received if "Oum Bunthan" in m.text and SUBJECT in m.message["Subject"]]

    # 9. ... exports the approved ones as CSV with the columns they chose, and reads the file.
    page.click("text=Outbox")
    page.click("text=Workspace")
    page.click("text=Mekong Symposium 2027")
    page.select_option("#status", "approved")
    page.click(".filters >> button:has-text('Filter')")
    page.click("text=Export these 25")
    expect(page.locator(".columns-list input[type=checkbox]").first).to_be_attached()  # .all() does not wait
    page.wait_for_load_state("load")
    for box in page.locator(".columns-list input[type=checkbox]").all():
        box.set_checked(box.get_attribute("value") in COLUMNS)
    page.check("input[value=csv]")
    shoot(page, "symposium-9-export")
    audited["manage.export_page (the approved, columns chosen)"] = axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export", exact=True).click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 25
    by_name = {row["name_latin"]: row for row in rows}
    assert by_name["Heng Sopheap"]["organisation"] == "Ministry of Labour (Cambodia)"
    assert by_name["Sok Chanthy"]["full_name"] == "សុខ ចាន់ធី"
    assert "Oum Bunthan" not in by_name
    assert not any(audited.values()), audited
