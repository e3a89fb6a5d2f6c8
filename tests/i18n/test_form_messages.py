"""Every message a participant's form can answer with is in the page's language, never WTForms' English.

Each kind of error (missing, too long, not a date, not in the list, not an email, visa details, the
event's own questions) is submitted in all seven languages; every message must differ from the English
one, except in English. So are the pages for an expired form, a page not found and a server error.
"""
import html
import re
from datetime import date, timedelta

import pytest

from events_app.events import settings
from events_app.i18n import DEFAULT_LOCALE, LOCALES
from tests.conftest import submit

TRANSLATED = [code for code in LOCALES if code != DEFAULT_LOCALE]
PAST, FUTURE = (date.today() - timedelta(days=10)).isoformat(), (date.today() + timedelta(days=10)).isoformat()
LONG = "x" * 1001

SUBMISSIONS = {
    "nothing given": {},
    "wrong values": {
        "full_name": "សុខ ចាន់ធី", "email": "not-an-email", "phone": "12", "organisation": "MMN",
        "badge_name": LONG[:201], "position": LONG[:201], "region": LONG[:101], "dietary_notes": LONG[:501],
        "accessibility_needs": LONG, "honorific": "Sir", "stakeholder_group": "aliens", "country": "ZZ",
        "gender": "unknown", "dietary": "raw", "languages": ["xx"], "arrival_date": "31/03/2026",
        "departure_date": "soon", "q_workshop": "Not an option", "q_topic": LONG, "data_consent": "y",
    },
    "visa details": {
        "full_name": "Sok Chanthy", "name_latin": "សុខ", "email": "sok@example.org", "organisation": "MMN",
        "stakeholder_group": "ngo", "country": "KH", "needs_visa_letter": "y", "passport_expiry": PAST,
        "date_of_birth": FUTURE, "arrival_date": FUTURE, "departure_date": PAST, "data_consent": "y",
        "q_workshop": "Recruitment fees", "q_topic": "Fees",
    },
}
# The fields each submission must find wrong, so that every kind of message is really tried.
EXPECTED = {
    "nothing given": {"full_name", "email", "organisation", "stakeholder_group", "country", "data_consent",
                      "q_workshop", "q_topic", "q_first_time"},
    "wrong values": {"name_latin", "email", "phone", "badge_name", "position", "region", "dietary_notes",
                     "accessibility_needs", "honorific", "stakeholder_group", "country", "gender", "dietary",
                     "languages", "arrival_date", "departure_date", "q_workshop", "q_topic", "q_first_time"},
    "visa details": {"name_latin", "nationality", "passport_number", "passport_expiry", "date_of_birth",
                     "departure_date", "q_first_time"},
}
LOST_LINK = {"empty": {"email": ""}, "not an email": {"email": "sok.example.org"},
             "too long": {"email": "a" * 250 + "@example.org"}}


def errors(page: str) -> dict[str, str]:
    """{field: its message} as printed beside each field."""
    return {field: html.unescape(text.strip()) for field, text in re.findall(r'id="(\w+)-error">(.*?)</p>', page,
                                                                                re.S)}


def heading(page: str) -> str:
    return html.unescape(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).strip())


@pytest.fixture()
def event(make_event, db):
    event = make_event(title="Mekong Consultation")
    settings.add_question(event, key="workshop", label="Which workshop?", kind="choice",
                          options=["Recruitment fees", "Return"], required=True)
    settings.add_question(event, key="topic", label="Your topic", kind="text", required=True)
    settings.add_question(event, key="first_time", label="First time here?", kind="yes_no", required=True)
    db.session.commit()
    return event


def _messages(client, code: str, url: str, data: dict) -> dict[str, str]:
    client.get(f"/?lang={code}")  # the chooser's link: the language is remembered for the POST
    response = submit(client, url, data)
    assert response.status_code == 200, response.status_code
    return errors(response.get_data(as_text=True))


@pytest.mark.parametrize("name", SUBMISSIONS)
def test_every_form_message_is_translated(client, event, name):
    url = f"/events/{event.slug}/register"
    english = _messages(client, "en", url, SUBMISSIONS[name])
    assert set(english) == EXPECTED[name]
    for code in TRANSLATED:
        translated = _messages(client, code, url, SUBMISSIONS[name])
        assert set(translated) == set(english), code
        untranslated = {field: text for field, text in translated.items() if text == english[field]}
        assert untranslated == {}, f"{code}: English messages on the form: {untranslated}"


def test_the_edit_form_speaks_the_delegates_language(client, event, make_registration):
    registration = make_registration(event, locale="km", answers={"workshop": "Return", "topic": "Fees",
                                                                   "first_time": True})
    data = {**SUBMISSIONS["wrong values"], "email": "", "q_workshop": "Return", "q_first_time": "y"}
    client.set_cookie("lang", "en")
    found = errors(submit(client, f"/r/{registration.token}/edit", data).get_data(as_text=True))
    assert {"email", "badge_name", "arrival_date", "honorific", "q_topic"} <= set(found)
    assert "Please use at most 200 characters." not in found.values()
    assert found["arrival_date"] == "សូមបញ្ចូលកាលបរិច្ឆេទ ដូចជា 2026-03-31។"


@pytest.mark.parametrize("name", LOST_LINK)
def test_the_lost_link_form_is_translated(client, event, name):
    url = f"/events/{event.slug}/lost-link"
    english = _messages(client, "en", url, LOST_LINK[name])
    assert set(english) == {"email"}
    for code in TRANSLATED:
        assert _messages(client, code, url, LOST_LINK[name])["email"] != english["email"], code


def test_an_expired_form_and_a_missing_page_are_explained_in_the_readers_language(client, event):
    def pages(code):
        client.get(f"/?lang={code}")
        expired = client.post(f"/events/{event.slug}/register", data={"csrf_token": "expired"})
        missing = client.get("/events/no-such-event")
        assert (expired.status_code, missing.status_code) == (400, 404)
        return heading(expired.get_data(as_text=True)), heading(missing.get_data(as_text=True))

    english = pages("en")
    for code in TRANSLATED:
        translated = pages(code)
        assert translated[0] != english[0] and translated[1] != english[1], code


def test_a_server_error_is_explained_in_the_readers_language(app, client, event, monkeypatch):
    from events_app.registration import services

    def broken(token):
        raise RuntimeError("the database went away")

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr(services, "by_token", broken)
    client.get("/?lang=my")
    response = client.get("/r/some-token")
    assert response.status_code == 500
    assert heading(response.get_data(as_text=True)) == "ကျွန်ုပ်တို့ဘက်တွင် အမှားတစ်ခု ဖြစ်ပေါ်ခဲ့ပါသည်။ ထပ်မံကြိုးစားပါ။"
