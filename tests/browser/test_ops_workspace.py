"""What organisers and staff see: a message in the outbox, the desk's day names, the colour editor's defaults."""
import re
from datetime import date

import pytest

from events_app.events.colours import default_colour
from events_app.mail import outbox
from tests.browser.test_journey_in_browser import DESKTOP, PHONE, _arrived, _sign_in

pytestmark = pytest.mark.browser
HOSTILE_HTML = ('<p>Dear Sok Dara,</p><p>See you in Bangkok.</p>'
                '<script>parent.document.title = "hijacked"</script>')


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_outbox_shows_a_message_text_and_html_without_running_it(live_server, browser, db, auth, make_event,
                                                                     shoot, viewport):
    event = make_event(timezone="Asia/Bangkok")
    message = outbox.queue("bulk", recipient="dara@example.org", subject="See you in Bangkok",
                           body_text="Dear Sok Dara,\n\nSee you in Bangkok.\n", body_html=HOSTILE_HTML,
                           event_id=event.id)
    db.session.commit()
    organiser = auth.user("organiser")
    page = browser.new_page(viewport=viewport)
    _sign_in(page, live_server, organiser.email)
    page.goto(f"{live_server}/manage/mail/")
    page.click("text=See you in Bangkok")
    _arrived(page, re.compile(rf"/manage/mail/{message.id}$"))
    assert "(Asia/Bangkok)" in page.inner_text("main")
    assert "Dear Sok Dara," in page.inner_text("pre.mail-body")
    frame = page.frame_locator("iframe.mail-html")
    assert frame.locator("p").first.inner_text() == "Dear Sok Dara,"
    assert page.title() != "hijacked"  # the email's script never ran
    shoot(page, f"ops-outbox-message-{viewport['width']}")
    page.close()


def test_the_desk_names_the_day_with_weekday_and_year(live_server, browser, auth, make_event, shoot):
    event = make_event(starts_on=date(2026, 11, 30), ends_on=date(2026, 12, 1))
    staff = auth.user("staff")
    page = browser.new_page(viewport=PHONE)
    _sign_in(page, live_server, staff.email)
    page.goto(f"{live_server}/checkin/{event.slug}?day=2026-11-30")
    assert page.inner_text("nav.days a.current") == "Mon 30 Nov 2026"
    assert "checked in on Mon 30 Nov 2026" in page.inner_text("p.count")
    shoot(page, "ops-desk-360")
    page.close()


def test_a_new_events_colour_editor_shows_the_default_palette(live_server, browser, auth, shoot):
    organiser = auth.user("organiser")
    page = browser.new_page(viewport=DESKTOP)
    _sign_in(page, live_server, organiser.email)
    page.goto(f"{live_server}/manage/events/new")
    page.click("text=Badge colours")
    for key in ("participant", "speaker", "press", "ngo", "un_agency"):
        assert page.input_value(f"input[name=colour_{key}]") == default_colour(key)
    shoot(page, "ops-colour-editor")
    page.close()
