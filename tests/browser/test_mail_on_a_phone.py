"""Every delegate email read on a phone: rendered at 360 px in Chromium, nothing scrolls sideways.

The private link (a 43-character token) is a button to tap, and the whole address is printed below
it, wrapping anywhere, for mail programs that drop buttons.
"""
import pytest

from events_app.choices import Status
from events_app.mail import messages
from events_app.mail.render import render_message
from tests.mail.conftest import invite

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 780}


def _every_delegate_email(event, registration):
    """(kind, outbox row, link, button text) for each email a delegate can receive."""
    invitation = invite(event, full_name="Daw Aye Aye Thant")
    private = messages.private_link(registration)
    button = "View or change your registration"
    rows = [
        messages.registration_received(registration), messages.approved(registration),
        messages.waitlisted(registration), messages.promoted(registration),
        messages.declined(registration, reason="The meeting is for government delegates only."),
        messages.cancelled(registration, reason="Cannot travel"),
        messages.details_changed(registration, changes=["Organisation", "Passport number"]),
        messages.lost_link(registration), messages.reminder(registration, days=7),
        messages.visa_letter_ready(registration),
        messages.bulk(registration, subject="Programme", body=f"The programme is ready.\n\n{private}"),
    ]
    found = [(row.kind, row, private, button) for row in rows]
    invited = messages.invitation(invitation)
    return [*found, ("invitation", invited, messages.invitation_link(invitation), "Register now")]


def test_every_delegate_email_fits_a_phone_with_a_button_and_the_full_link_below(db, browser, make_event,
                                                                                  make_registration, shoot):
    event = make_event(title="Regional Symposium on Migrant Workers' Rights in the Greater Mekong Subregion",
                       venue="Chulalongkorn University, Sasa International House", city="Bangkok", country="TH",
                       contact_email="secretariat.regional-symposium@mekong-migration-network.example.org")
    registration = make_registration(event, full_name="សុខ ចាន់ធី", name_latin="Sok Chanthy")
    registration.status = Status.APPROVED
    emails = _every_delegate_email(event, registration)
    assert {kind for kind, *_ in emails} == {
        "registration_received", "approved", "waitlisted", "promoted", "declined", "cancelled", "details_changed",
        "lost_link", "reminder", "visa_letter_ready", "bulk", "invitation"}

    page = browser.new_page(viewport=PHONE)
    for kind, row, link, button_text in emails:
        assert len(link) > 60
        page.set_content(render_message(row).html)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], f"{kind}: the email is {width} px wide on a 360 px phone"
        button = page.get_by_role("link", name=button_text, exact=True)
        assert button.count() == 1 and button.get_attribute("href") == link, kind
        address = page.locator(f'a[href="{link}"]', has_text=link)
        assert address.count() >= 1 and address.first.inner_text().replace("\n", "") == link, kind
        below = address.first.bounding_box()
        assert below["y"] > button.bounding_box()["y"] + button.bounding_box()["height"], kind
        assert below["x"] + below["width"] <= PHONE["width"], kind
        shoot(page, f"mail-{kind}-phone")
    page.close()
