"""axe-core finds no WCAG 2.1 A/AA violation on the pages a participant or a signing-in organiser sees."""
import pytest

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 780}
NARROWEST = {"width": 320, "height": 640}  # WCAG 1.4.10 reflow: no sideways scrolling at 320 CSS px


@pytest.fixture()
def event(make_event):
    return make_event(title="Mekong Consultation on Labour Migration", city="Vientiane", capacity=40)


def _open_sections(page):
    """Open the form's folded sections, so the fields inside are audited too."""
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


@pytest.mark.parametrize("path", ["/", "/events/{slug}", "/events/{slug}/register", "/events/{slug}/lost-link",
                                  "/auth/login", "/events/no-such-event"])
def test_public_pages_have_no_violations(live_server, browser, axe_violations, event, path):
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server + path.format(slug=event.slug))
    _open_sections(page)
    assert axe_violations(page) == []


def test_register_form_with_errors_has_no_violations(live_server, browser, axe_violations, event, shoot):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server}/events/{event.slug}/register")
    page.fill("#full_name", "ສົມພອນ ວົງສາ")
    page.click("text=Travel, accommodation and visa letter")
    page.check("#needs_visa_letter")
    page.click("button[type=submit]")
    assert page.title().startswith("Error: ")
    assert page.get_attribute("#name_latin", "aria-invalid") == "true"
    _open_sections(page)
    shoot(page, "register-errors-phone")
    assert axe_violations(page) == []


def test_private_page_has_no_violations(live_server, browser, axe_violations, event, make_registration):
    registration = make_registration(event)
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server}/r/{registration.token}")
    assert axe_violations(page) == []


def test_register_form_fits_320_pixels_without_sideways_scrolling(live_server, browser, event, shoot):
    page = browser.new_page(viewport=NARROWEST)
    page.goto(f"{live_server}/events/{event.slug}/register")
    _open_sections(page)
    shoot(page, "register-320")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0
