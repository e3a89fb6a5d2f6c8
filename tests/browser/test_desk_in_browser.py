"""The check-in desk as staff use it in Chromium: the camera reads a badge, the wifi drops, a walk-in, a lost badge."""
import re
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from events_app.attendance.models import CheckIn
from events_app.documents.badges.card import render_card_badge
from events_app.documents.data import badge_data, event_info
from events_app.registration.models import Registration
from tests.browser.conftest import CHROMIUM
from tests.browser.desk_camera import badge_video
from tests.browser.test_journey_in_browser import DESKTOP, PHONE, _sign_in

pytestmark = pytest.mark.browser


def _checkins(db):
    db.session.rollback()  # a fresh read: the server thread committed
    return {row.registration_id: row for row in db.session.scalars(select(CheckIn))}


def _scan(page, code):
    page.fill("#code", code)
    page.press("#code", "Enter")


# The desk's POSTs (a scan, a batch of saved scans), refused as a dropped network would refuse them.
DESK_POSTS = re.compile(r"/checkin/[^/]+/(scan|batch)$")


def _wifi_down(context):
    """Offline as the desk sees it, and as the server sees it.

    Chromium's offline emulation can lapse for a moment when a page is reloaded from the service
    worker (seen with Chrome 156): the reloaded desk then sends its queue early. Refusing the desk's
    POSTs at the browser's network layer as well keeps the test's "offline" true whatever the build.
    """
    context.set_offline(True)
    context.route(DESK_POSTS, lambda route: route.abort("internetdisconnected"))


def _wifi_back(context):
    context.unroute(DESK_POSTS)
    context.set_offline(False)


def _result(page) -> str:
    return " ".join(page.locator("#result .result").inner_text().split())


def test_the_camera_reads_a_printed_badge_and_checks_in(live_server, browser, db, auth, make_event,
                                                        make_registration, tmp_path, shoot):
    event = make_event()
    person = make_registration(event, full_name="ເພັດ ສີສະຫວາດ", name_latin="Phet Sisavath")
    staff = auth.user("staff")
    # The badge as the card printer gets it (the desk's own renderer), rendered by poppler: the camera films it.
    info = event_info(event)
    with (tmp_path / "badge.pdf").open("wb") as out:
        render_card_badge(info, badge_data(person, colour_by=info.colour_by), out)
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", str(tmp_path / "badge.pdf"),
                    str(tmp_path / "badge")], check=True)
    video = badge_video(tmp_path / "badge.png", tmp_path / "badge.y4m")
    # A second Chromium from the same Playwright, its fake camera filming the badge.
    camera = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        context = camera.new_context(viewport=PHONE, permissions=["camera"])
        # As on iOS Safari, which has no BarcodeDetector: the npm decoder the app serves must read it.
        context.add_init_script("delete window.BarcodeDetector;")
        page = context.new_page()
        _sign_in(page, live_server, staff.email)
        page.goto(f"{live_server}/checkin/{event.slug}")
        page.click("text=Scan with the camera")
        page.wait_for_selector("#result .result-checked_in", timeout=20000)
        assert "Checked in ເພັດ ສີສະຫວາດ (Phet Sisavath)" in _result(page)
        assert page.get_attribute("#desk", "data-decoder") == "jsqr"
        shoot(page, "desk-camera-390")
        page.wait_for_timeout(1500)  # the badge stays in front of the camera: still one check-in
    finally:
        camera.close()
    checkins = _checkins(db)
    assert list(checkins) == [person.id] and checkins[person.id].method == "scan"


def test_offline_scans_are_queued_and_sent_once_when_the_wifi_returns(live_server, browser, db, auth, make_event,
                                                                      make_registration, shoot):
    event = make_event()
    a, b, c = (make_registration(event, full_name=name) for name in ("Aye Aye Myint", "Bounmy Phan", "Chanthy Sok"))
    staff = auth.user("staff")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    _sign_in(page, live_server, staff.email)
    page.goto(f"{live_server}/checkin/{event.slug}")
    page.wait_for_selector("#desk[data-list-ready='1']")
    page.wait_for_selector("#desk[data-offline-ready='1']")
    _wifi_down(context)
    for person in (a, b, c):
        _scan(page, person.checkin_code)
        # Wait for this person's result: the previous person's already matches ".result-saved".
        expect(page.locator("#result .result-saved")).to_contain_text(
            f"Saved, not yet sent {person.full_name}", use_inner_text=True)
    assert page.get_attribute("#desk", "data-queued") == "3"
    assert "Saved, not yet sent" in page.inner_text("#queue") and "Bounmy Phan" in page.inner_text("#queue")
    _scan(page, a.checkin_code)  # the same badge again, still offline: the desk knows
    expect(page.locator("#result .result")).to_contain_text(
        "Already scanned here Aye Aye Myint — saved, not yet sent", use_inner_text=True)
    assert page.get_attribute("#desk", "data-queued") == "3"
    assert "(Asia/Bangkok)" in page.inner_text("#queue")  # times at the desk are the event's
    shoot(page, "desk-offline-390")
    assert _checkins(db) == {}
    page.reload()  # the service worker keeps the page; the queue is still there
    page.wait_for_selector("#desk[data-ready='1']")
    assert page.get_attribute("#desk", "data-queued") == "3" and "Chanthy Sok" in page.inner_text("#queue")
    assert page.locator("#result .result").count() == 0

    # Meanwhile a second desk, online, checks in Bounmy.
    other = browser.new_context(viewport=DESKTOP)
    second = other.new_page()
    _sign_in(second, live_server, auth.user("organiser").email)
    second.goto(f"{live_server}/checkin/{event.slug}")
    _scan(second, b.checkin_code)
    second.wait_for_selector("#result .result-checked_in")
    other.close()
    second_desk_time = _checkins(db)[b.id].checked_in_at

    _wifi_back(context)
    # "online" sends the queue at once; a desk that never saw itself offline sends it within 15 s.
    page.wait_for_selector("#desk[data-queued='0']", timeout=30000)
    assert "Sent 3 saved check-ins: 2 checked in, 1 already in." in page.inner_text("#connection")
    checkins = _checkins(db)
    assert sorted(checkins) == sorted([a.id, b.id, c.id])
    assert checkins[b.id].checked_in_at < second_desk_time  # the earliest scan is the arrival
    assert checkins[b.id].checked_in_at > second_desk_time - timedelta(minutes=5)
    page.wait_for_function("document.querySelector('[data-count=checked_in]').textContent === '3'")
    context.close()


def test_a_walk_in_gets_a_badge_at_once(live_server, browser, db, auth, make_event, tmp_path, shoot):
    event = make_event(approval_required=True)
    staff = auth.user("staff")
    page = browser.new_page(viewport=PHONE)
    _sign_in(page, live_server, staff.email)
    page.goto(f"{live_server}/checkin/{event.slug}")
    page.click("text=Register a walk-in")
    page.fill("#full_name", "Trần Văn Minh")
    page.fill("#email", "minh@example.vn")
    page.fill("#organisation", "Migrant Workers Centre")
    page.select_option("#stakeholder_group", "migrant_group")
    page.select_option("#country", "VN")
    page.check("#data_consent")
    shoot(page, "desk-walkin-form-390")
    page.click("text=Register and check in")
    page.wait_for_selector("#result .result-checked_in")
    assert "Walk-in registered and checked in" in _result(page) and "Trần Văn Minh" in _result(page)
    button = page.locator("#result form", has_text="Print badge")
    assert button.get_attribute("target") == "_blank" and button.get_attribute("method") == "post"
    with page.expect_popup() as opened:  # the badge opens in a new tab, ready to print
        page.click("#result button:has-text('Print badge')")
    tab = opened.value
    response = page.request.post(live_server + button.get_attribute("action"),
                                 form={"csrf_token": button.locator("input[name=csrf_token]").get_attribute("value")})
    assert response.headers["content-type"] == "application/pdf"
    tab.close()
    (tmp_path / "walkin.pdf").write_bytes(response.body())
    info = subprocess.run(["pdfinfo", str(tmp_path / "walkin.pdf")], capture_output=True, text=True).stdout
    assert "Pages:           1" in info and "242.646 x 153.014 pts" in info  # one CR80 card
    shoot(page, "desk-walkin-done-390")
    db.session.rollback()
    person = db.session.scalar(select(Registration).where(Registration.email == "minh@example.vn"))
    assert list(_checkins(db)) == [person.id]
    page.close()


def test_a_lost_badge_is_revoked_at_the_desk(live_server, browser, db, auth, make_event, make_registration, shoot):
    event = make_event()
    person = make_registration(event, full_name="Sokha Meas")
    old_code = person.checkin_code
    page = browser.new_page(viewport=PHONE)
    _sign_in(page, live_server, auth.user("staff").email)
    page.goto(f"{live_server}/checkin/{event.slug}")
    _scan(page, old_code)
    page.wait_for_selector("#result .result-checked_in")
    page.click("text=Lost badge?")
    page.click("text=Revoke the old badge and print a new one")
    page.wait_for_selector("#result .result-reissued")
    assert "Print the new badge" in _result(page)
    _scan(page, old_code)
    page.wait_for_selector("#result .result-revoked")
    assert "Revoked badge" in _result(page) and "Sokha Meas" in _result(page)
    shoot(page, "desk-revoked-390")
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_desk_pages_pass_axe(live_server, browser, db, auth, make_event, make_registration, axe_violations,
                                 shoot, viewport):
    event = make_event()
    person = make_registration(event, full_name="Thida Win")
    page = browser.new_page(viewport=viewport)
    _sign_in(page, live_server, auth.user("organiser").email)
    page.goto(f"{live_server}/checkin/{event.slug}")
    _scan(page, person.checkin_code)
    page.wait_for_selector("#result .result-checked_in")
    assert axe_violations(page) == []
    shoot(page, f"desk-{viewport['width']}")
    for path in ("walk-in", "report", "sheet", "sessions"):
        page.goto(f"{live_server}/checkin/{event.slug}/{path}")
        assert axe_violations(page) == [], path
        shoot(page, f"desk-{path}-{viewport['width']}")
    page.close()


def test_the_desk_keeps_its_list_for_the_events_day_whatever_the_devices_zone(live_server, browser, db, auth,
                                                                              make_event, make_registration):
    # The event in Pago Pago (UTC-11), the desk's laptop still set to Kiritimati (UTC+14): 25 hours apart, so the
    # laptop's date is always a later one than the event's. The names are the event's day's, not the laptop's.
    zone = "Pacific/Pago_Pago"
    today = datetime.now(ZoneInfo(zone)).date()
    event = make_event(timezone=zone, starts_on=today, ends_on=today + timedelta(days=1))
    person = make_registration(event, full_name="Aye Aye Myint")
    context = browser.new_context(viewport=PHONE, timezone_id="Pacific/Kiritimati")
    page = context.new_page()
    _sign_in(page, live_server, auth.user("staff").email)
    page.goto(f"{live_server}/checkin/{event.slug}")
    page.wait_for_selector("#desk[data-list-ready='1']")
    assert page.get_attribute("#desk", "data-day") == today.isoformat()
    _wifi_down(context)
    _scan(page, person.checkin_code)
    expect(page.locator("#result .result-saved")).to_contain_text(
        "Saved, not yet sent Aye Aye Myint", use_inner_text=True)  # the list is still the day's

    # A list whose day is over in the event's zone is dropped at the next scan: no names kept past their day.
    key = f"desk:{event.slug}:list"
    page.evaluate("([key, day]) => { const list = JSON.parse(localStorage.getItem(key)); list.day = day;"
                  " localStorage.setItem(key, JSON.stringify(list)); }", [key, (today - timedelta(days=1)).isoformat()])
    _scan(page, person.checkin_code)
    expect(page.locator("#result .result-saved")).to_contain_text("not in the desk's list", use_inner_text=True)
    assert page.evaluate("(key) => localStorage.getItem(key)", key) is None
    context.close()
