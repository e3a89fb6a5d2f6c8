"""A person who reads only Khmer, or only Burmese, registers on a phone in their language and gets mail in it."""
import pytest
from babel.support import Translations
from playwright.sync_api import expect
from sqlalchemy import select

from events_app.mail.sender import deliver_due
from events_app.registration.models import Registration
from tests.i18n.catalogues import TRANSLATIONS, compile_stale
from tests.mail.conftest import mail_settings, smtp_server  # noqa: F401 - the real SMTP server, reused

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 780}
compile_stale()


def _in(code: str):
    """gettext in one language, from the committed catalogue; fails when the message is untranslated there."""
    translations = Translations.load(str(TRANSLATIONS), [code])

    def translate(message: str, **values) -> str:
        text = translations.gettext(message)
        assert text != message, f"{message!r} has no {code} translation"
        return text % values if values else text

    return translate


@pytest.mark.parametrize(("code", "name", "latin"), [("km", "សុខ ចាន់ធី", "Sok Chanthy"),
                                                     ("my", "အောင်ကျော်ဦး", "Aung Kyaw Oo")])
def test_registering_on_a_phone_in_khmer_and_in_burmese(live_server, browser, db, make_event, smtp_server,  # noqa: F811
                                                        shoot, code, name, latin):
    t = _in(code)
    event = make_event(title="Mekong Consultation", country="KH" if code == "km" else "MM")
    page = browser.new_page(viewport=PHONE, java_script_enabled=False, locale="en-US")
    page.goto(f"{live_server}/events/{event.slug}")
    assert page.get_attribute("html", "lang") == "en"
    page.click(f"nav.languages a[lang={code}]")  # the chooser: each language named in its own script
    expect(page.locator("html")).to_have_attribute("lang", code)  # the next page's, not this page's "en"
    page.click(f"main a[href$='/events/{event.slug}/register']")
    page.fill("#full_name", name)
    page.click("button[type=submit]")  # forgot the name in Latin letters
    assert page.inner_text("#name_latin-error").strip() == t(
        "Please also write your name in Latin letters (for sorting and the badge).")
    assert page.title().startswith(t("Error:"))
    shoot(page, f"register-errors-{code}")
    page.fill("#name_latin", latin)
    page.fill("#email", f"{latin.split()[0].lower()}@example.org")
    page.fill("#organisation", "Migrant Workers Association")
    page.select_option("#stakeholder_group", "migrant_group")
    page.select_option("#country", event.country)
    page.check("#data_consent")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text(t("Thank you for registering"))  # the next page's h1, not the form's
    shoot(page, f"confirmation-{code}")

    db.session.rollback()  # see what the server committed
    registration = db.session.scalar(select(Registration))
    assert registration.locale == code
    deliver_due()
    (received,) = smtp_server.to(registration.email)
    assert received.message["Subject"] == t("Your registration for %(event)s", event=event.title)
    assert t("We have received your registration for %(event)s.", event=event.title) in received.text
    assert received.message["Content-Language"] == code


def test_khmer_pages_have_no_accessibility_violations(live_server, browser, axe_violations, make_event,
                                                      make_registration):
    event = make_event(title="Mekong Consultation", country="KH", city="Phnom Penh")
    registration = make_registration(event, locale="km")
    page = browser.new_page(viewport=PHONE, locale="km-KH")
    for path in ("/", f"/events/{event.slug}", f"/events/{event.slug}/register", f"/r/{registration.token}"):
        page.goto(live_server + path)
        assert page.get_attribute("html", "lang") == "km", path
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert axe_violations(page) == [], path
