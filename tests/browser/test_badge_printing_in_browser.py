"""Staff print badges in a browser: a small run downloads at once, a large one shows its progress page, then the PDF."""
import re

import pytest

from events_app.choices import StakeholderGroup
from events_app.jobs import runner
from tests.browser.test_journey_in_browser import DESKTOP, PHONE, _arrived, _sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_printing_badges_small_and_large(app, live_server, browser, db, auth, make_event, make_registration, shoot,
                                         axe_violations, monkeypatch, viewport):
    monkeypatch.setitem(app.config, "BADGE_RUN_INLINE_LIMIT", 4)
    event = make_event(slug="print-run", title="Regional Symposium on Labour Migration")
    for n, name in enumerate(("Sok Chanthy", "Aung Myint Htun", "Li Minghua", "Maria Santos", "Nguyen Thi Lan",
                              "Somchai Jaidee")):
        make_registration(event, full_name=name, stakeholder_group=StakeholderGroup.NGO if n < 2 else "government")
    staff = auth.user("staff")
    page = browser.new_page(viewport=viewport, accept_downloads=True)
    _sign_in(page, live_server, staff.email)
    page.goto(f"{live_server}/manage/events/print-run/badges")
    assert page.inner_text("#badge-count") == "This choice prints 6 badges."
    assert "prepared in the background" in page.inner_text("main")
    assert axe_violations(page) == []
    shoot(page, f"badges-page-{viewport['width']}")

    page.select_option("select[name=group]", "ngo")  # two badges: the PDF comes straight back
    with page.expect_download() as small:
        page.click("button[value=print]")
    assert small.value.suggested_filename == "badges-print-run-a4-8up.pdf"
    assert open(small.value.path(), "rb").read(5) == b"%PDF-"

    page.select_option("select[name=group]", "")  # all six: more than the limit of four
    with page.expect_navigation():  # the counted page: its count reads as the last one did, so wait for it
        page.click("button[value=count]")
    assert page.inner_text("#badge-count") == "This choice prints 6 badges."
    assert "csrf_token" not in page.url
    page.click("button[value=print]")
    _arrived(page, re.compile(r"/manage/events/print-run/jobs/"))
    assert "0 of 6 badges" in page.inner_text("main")
    assert axe_violations(page) == []
    shoot(page, f"badges-job-waiting-{viewport['width']}")
    db.session.rollback()  # the test's read began before the job was queued
    assert runner.work() == 1
    page.reload()
    assert "6 badges printed and recorded." in page.inner_text("main")
    assert axe_violations(page) == []
    shoot(page, f"badges-job-done-{viewport['width']}")
    with page.expect_download() as large:
        page.click("text=Download badges-print-run-a4-8up.pdf")
    assert open(large.value.path(), "rb").read(5) == b"%PDF-"
    page.close()
