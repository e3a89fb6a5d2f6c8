"""The journey in a real browser: a phone registration in Khmer script, approval, check-in at the door."""
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from events_app.registration.models import Registration
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _sign_in(page, base, email):
    page.goto(f"{base}/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    # Wait for the answer (the workspace, or the code or new-password prompt): a page.goto() before it
    # came would cancel the sign-in, and the login form itself is no sign that it worked.
    page.wait_for_url(lambda url: urlsplit(url).path != "/auth/login")


def _arrived(page, url: str | re.Pattern) -> None:
    """After a click that opens another page: wait until that page is the one shown, and fully loaded (what is
    read next must come from it, not from the page the click was on, nor from half of the new one)."""
    expect(page).to_have_url(url)
    page.wait_for_load_state("load")


def test_khmer_registration_approval_and_check_in(live_server, browser, db, auth, make_event, shoot):
    event = make_event(title="Mekong Consultation", approval_required=True, capacity=40)
    auth.user("organiser")
    auth.user("staff")

    phone = browser.new_page(viewport=PHONE, java_script_enabled=False)  # the form needs no JavaScript
    phone.goto(f"{live_server}/events/{event.slug}")
    phone.click("text=Register")
    phone.fill("#full_name", "សុខ ចាន់ធី")
    phone.click("button[type=submit]")  # forgot the Latin name: told beside the field, input kept
    assert "Please also write your name in Latin letters" in phone.inner_text("#name_latin-error")
    assert phone.input_value("#full_name") == "សុខ ចាន់ធី"
    shoot(phone, "register-errors-phone")
    phone.fill("#name_latin", "Sok Chanthy")
    phone.fill("#email", "sok.chanthy@example.org")
    phone.fill("#organisation", "Cambodian Migrant Workers Association")
    phone.select_option("#stakeholder_group", "migrant_group")
    phone.select_option("#country", "KH")
    phone.check("#data_consent")
    phone.click("button[type=submit]")
    expect(phone.locator("h1")).to_contain_text("Thank you for registering")  # the next page's h1, not the form's
    shoot(phone, "confirmation-phone")
    phone.click("text=Open my registration")
    _arrived(phone, re.compile(r"/r/[^/]+$"))  # the private page itself, not the confirmation
    assert "សុខ ចាន់ធី" in phone.inner_text("main") and "Pending" in phone.inner_text("main")
    private_url = phone.url

    desk = browser.new_page(viewport=DESKTOP)
    _sign_in(desk, live_server, "organiser@test.example")
    desk.goto(f"{live_server}/manage/events/{event.slug}/")
    shoot(desk, "delegates-desktop")
    desk.click("button[value=approve]")
    expect(desk.locator(".flash")).to_contain_text("is now Approved")
    phone.goto(private_url)
    assert "Approved" in phone.inner_text("main")

    db.session.rollback()  # end this thread's read snapshot, to see what the server wrote
    registration = db.session.scalar(select(Registration))
    door = browser.new_page(viewport=PHONE)
    _sign_in(door, live_server, "staff@test.example")
    door.goto(f"{live_server}/checkin/{event.slug}")
    door.fill("#code", registration.checkin_code)  # a keyboard-wedge scanner types the code and Enter
    door.press("#code", "Enter")
    assert "Checked in" in door.inner_text(".result")
    assert "សុខ ចាន់ធី" in door.inner_text(".result")
    shoot(door, "checkin-phone")
    door.fill("#code", registration.checkin_code)
    door.press("#code", "Enter")
    door.wait_for_selector(".result-already")  # the desk answers in place, without a reload
    assert "Already checked in" in door.inner_text(".result")
