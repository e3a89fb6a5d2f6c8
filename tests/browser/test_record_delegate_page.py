"""The delegate page in a browser: reveal the passport, edit a detail, set the role, at phone and desktop widths."""
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from events_app.choices import ParticipantRole
from tests.browser.test_journey_in_browser import DESKTOP, _sign_in

pytestmark = pytest.mark.browser
NARROW_PHONE = {"width": 360, "height": 780}


@pytest.mark.parametrize("viewport", [NARROW_PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_organiser_reveals_edits_and_sets_the_role(live_server, browser, db, auth, make_event, make_registration,
                                                      shoot, axe_violations, viewport):
    event = make_event(title="Mekong Symposium")
    registration = make_registration(
        event, full_name="ສົມພອນ ແກ້ວມະນີ", name_latin="Somphone Keomany", position="Labour inspector",
        languages=["lo"], dietary="vegetarian", needs_visa_letter=True, nationality="Lao",
        passport_number="P01234021", date_of_birth="1985-07-01",
        passport_expiry=(date.today() + timedelta(days=700)).isoformat())
    organiser = auth.user("organiser")
    page = browser.new_page(viewport=viewport)
    _sign_in(page, live_server, organiser.email)
    page.goto(f"{live_server}/manage/events/{event.slug}/delegates/{registration.id}")
    main = page.inner_text("main")
    assert "••••4021" in main and "P01234021" not in main and "Labour inspector" in main
    assert axe_violations(page) == []
    shoot(page, f"record-delegate-{viewport['width']}")

    page.click("text=Reveal passport details")
    expect(page.locator("main")).to_contain_text("P01234021")  # the revealed page, not the masked one
    shoot(page, f"record-revealed-{viewport['width']}")
    wide = page.evaluate("[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > "
                         "document.documentElement.clientWidth).map(e => e.tagName + '.' + e.className + ' ' + "
                         "e.textContent.slice(0, 40))")
    assert wide == []  # nothing runs off the side

    page.select_option("select[name=participant_role]", "speaker")
    page.click("text=Set role")
    expect(page.locator("main")).to_contain_text("is now Speaker.")

    page.click("text=Edit details")
    assert page.input_value("input[name=passport_number]") == ""  # waits for the edit page (it alone has the field)
    page.wait_for_load_state("load")  # axe audits all of it
    assert axe_violations(page) == []
    shoot(page, f"record-edit-{viewport['width']}")
    page.fill("input[name=position]", "Senior labour inspector")
    page.click("text=Save changes")
    expect(page.locator("main")).to_contain_text("Saved: Position.")  # the saved record, not the form
    page.wait_for_load_state("load")
    main = page.inner_text("main")
    assert "Saved: Position." in main and "Senior labour inspector" in main and "delegate.edit" in main
    shoot(page, f"record-after-edit-{viewport['width']}")
    page.close()
    db.session.rollback()  # end the test's read transaction to see what the server wrote
    assert registration.participant_role == ParticipantRole.SPEAKER
    assert registration.passport_number == "P01234021"
