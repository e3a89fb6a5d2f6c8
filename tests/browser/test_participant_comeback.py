"""A participant in a real browser: a finished event takes no one; cancel after a confirmation, then come back."""
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from events_app.choices import Status
from events_app.registration.models import Registration

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


def test_a_finished_event_shows_no_register_button(live_server, browser, make_event, shoot):
    past = make_event(title="Consultation on Cross-Border Labour Migration from Yunnan", timezone="Asia/Shanghai",
                      starts_on=date.today() - timedelta(days=60), ends_on=date.today() - timedelta(days=59),
                      contact_email="symposium@example.org")
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = browser.new_page(viewport=viewport)
        page.goto(f"{live_server}/events/{past.slug}")
        assert "This event is over, so registration has closed." in page.inner_text("main")
        assert page.get_by_role("link", name="Register", exact=True).count() == 0
        assert "symposium@example.org" in page.inner_text("main")
        shoot(page, f"past-event-{name}")
        page.close()


def test_cancel_through_the_confirmation_then_register_again(live_server, browser, db, make_event,
                                                            make_registration, shoot):
    event = make_event(title="Mekong Consultation", capacity=1, contact_email="info@mekong.example")
    holder = make_registration(event, full_name="ບຸນມີ ວົງສາ", name_latin="Bounmy Vongsa")
    private = f"{live_server}/r/{holder.token}"

    phone = browser.new_page(viewport=PHONE, java_script_enabled=False)
    phone.goto(private)
    phone.click("text=Cancel my registration")
    expect(phone.locator("main")).to_contain_text("It goes to the next person on the waiting list")
    shoot(phone, "cancel-confirm-phone")
    phone.click("text=No, keep my registration")  # the way out changes nothing
    expect(phone).to_have_url(private)  # back on the private page (the question's page names the status too)
    assert "Approved" in phone.inner_text("main")
    phone.click("text=Cancel my registration")
    phone.click("text=Yes, cancel my registration")
    expect(phone.locator(".flash")).to_contain_text("Your registration is cancelled.")
    assert "Cancelled" in phone.inner_text("main")
    shoot(phone, "cancelled-phone")

    db.session.rollback()
    make_registration(event, email="next@example.org")  # someone takes the free place meanwhile
    db.session.rollback()
    phone.click("button:has-text('Register again')")
    expect(phone.locator(".flash")).to_contain_text("Welcome back")  # not the last page's "cancelled" flash
    assert "Waiting list" in phone.inner_text(".summary")
    shoot(phone, "registered-again-phone")
    desk = browser.new_page(viewport=DESKTOP)
    desk.goto(private)
    shoot(desk, "registered-again-desktop")
    desk.goto(f"{private}/cancel")
    shoot(desk, "cancel-confirm-desktop")
    desk.goto(f"{private}/ticket.pdf")
    assert "Your ticket comes once your registration is approved" in desk.inner_text("main")
    shoot(desk, "no-ticket-desktop")
    phone.goto(f"{private}/ticket.pdf")
    shoot(phone, "no-ticket-phone")
    desk.goto(f"{live_server}/events/{event.slug}")
    assert "Registration closes when the event ends" in desk.inner_text("main")
    shoot(desk, "open-event-desktop")
    desk.goto(f"{live_server}/events/{event.slug}/register")
    assert desk.get_attribute("#data_consent-hint a", "href") == f"/events/{event.slug}/privacy"
    shoot(desk, "register-form-desktop")
    desk.goto(f"{live_server}/events/{event.slug}/privacy")
    shoot(desk, "privacy-desktop")
    phone.goto(f"{live_server}/events/{event.slug}/privacy")
    shoot(phone, "privacy-phone")

    db.session.rollback()
    again = db.session.get(Registration, holder.id)
    assert again.status == Status.WAITLISTED and again.token == holder.token
    assert [c.to_status for c in again.history][-2:] == [Status.CANCELLED, Status.WAITLISTED]
