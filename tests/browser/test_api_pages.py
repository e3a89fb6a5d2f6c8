"""The workspace's API pages in Chromium on a phone and a desktop: a token made and shown once, the reference
drawn from the document; no CSP violation, no sideways scrolling, no axe-core violation."""
import pytest

from tests.browser.test_content_security_policy import LISTEN
from tests.browser.test_journey_in_browser import DESKTOP, PHONE, _sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_tokens_and_reference_pages(live_server, browser, auth, make_event, axe_violations, shoot, viewport):
    organiser = auth.user("organiser")
    event = make_event(title="Mekong Consultation")
    page = browser.new_page(viewport=viewport)
    page.add_init_script(LISTEN)
    _sign_in(page, live_server, organiser.email)
    page.goto(f"{live_server}/manage/api/tokens")
    page.fill("#name", "partner website")
    page.select_option("#scope", "write")
    page.select_option("#event", event.slug)
    page.click("text=Make the token")
    token = page.locator("code.token").inner_text()  # waits for the next page, which alone shows the token
    page.wait_for_load_state("load")  # and all of it: the list below, the checks after
    assert token.startswith("ea_")
    assert page.locator("table.list").inner_text().count("partner website") == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert axe_violations(page) == []
    assert page.evaluate("window.__violations") == []
    shoot(page, f"api-tokens-{viewport['width']}")
    page.goto(f"{live_server}/manage/api/tokens")
    assert token not in page.content()  # shown once

    page.goto(f"{live_server}/manage/api")
    assert page.locator("#createRegistration h3").inner_text() == "POST /api/v1/events/{slug}/registrations"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert axe_violations(page) == []
    assert page.evaluate("window.__violations") == []
    shoot(page, f"api-reference-{viewport['width']}")
