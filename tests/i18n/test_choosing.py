"""Which language a page is in: ?lang= (remembered), the delegate's own on private pages, Accept-Language."""
import re

import pytest

from events_app.i18n import chooser, negotiate, supported


def _lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


@pytest.mark.parametrize(("value", "locale"), [
    ("km", "km"), ("KM", "km"), ("zh-Hans", "zh_Hans"), ("zh_Hans", "zh_Hans"), ("zh-CN", "zh_Hans"),
    ("zh", "zh_Hans"), ("zh-TW", "zh_Hans"), ("th-TH", "th"), ("my-MM", "my"), ("lo", "lo"), ("vi-VN", "vi"),
    ("en-GB", "en"), ("fr", None), ("xx", None), ("", None), (None, None), ("../../etc", None),
    ("km" * 40, None), ("<script>", None),
])
def test_only_the_seven_locales_are_accepted(value, locale):
    assert supported(value) == locale


def test_the_order_is_asked_then_stored_then_remembered_then_accepted():
    accepted = [("fr", 1.0), ("zh-CN", 0.9), ("th", 0.5)]
    assert negotiate(asked="lo", stored="km", remembered="my", accepted=accepted) == "lo"
    assert negotiate(asked="xx", stored="km", remembered="my", accepted=accepted) == "km"
    assert negotiate(asked=None, stored=None, remembered="my", accepted=accepted) == "my"
    assert negotiate(asked=None, stored=None, remembered="bogus", accepted=accepted) == "zh_Hans"
    assert negotiate(asked=None, stored=None, remembered=None, accepted=[("de", 1.0)]) == "en"


def test_accept_language_picks_the_page_language(client, make_event):
    event = make_event()
    html = client.get(f"/events/{event.slug}", headers={"Accept-Language": "km-KH,km;q=0.9,en;q=0.5"}).text
    assert _lang(html) == "km"
    assert _lang(client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text) == "zh-Hans"


def test_the_chosen_language_is_remembered_in_a_cookie(client, make_event):
    event = make_event()
    response = client.get(f"/events/{event.slug}?lang=my")
    assert _lang(response.text) == "my"
    assert "lang=my" in response.headers["Set-Cookie"]
    assert _lang(client.get("/", headers={"Accept-Language": "th"}).text) == "my"


@pytest.mark.parametrize("value", ["xx", "fr", "<b>", "km" * 40, "zh_Hans_CN_extra_stuff", "%00"])
def test_a_bad_lang_is_ignored_never_a_500(client, make_event, value):
    event = make_event()
    response = client.get(f"/events/{event.slug}/register", query_string={"lang": value})
    assert response.status_code == 200
    assert _lang(response.text) == "en" and "Set-Cookie" not in response.headers or \
        "lang=" not in response.headers.get("Set-Cookie", "")


def test_a_bad_cookie_is_ignored(client):
    client.set_cookie("lang", "../../x")
    assert _lang(client.get("/").text) == "en"


def test_the_private_page_is_in_the_delegates_language(client, make_event, make_registration):
    event = make_event()
    registration = make_registration(event, locale="km")
    html = client.get(f"/r/{registration.token}", headers={"Accept-Language": "en"}).text
    assert _lang(html) == "km"
    assert _lang(client.get(f"/r/{registration.token}?lang=vi").text) == "vi"


def test_the_workspace_stays_in_english(client, auth, make_event):
    auth.login()
    client.set_cookie("lang", "th")
    html = client.get("/manage/?lang=km", headers={"Accept-Language": "km"}).text
    assert _lang(html) == "en"
    assert 'class="languages"' not in html


def test_every_public_page_has_the_chooser_each_language_in_its_own_script(client, make_event):
    event = make_event(country="KH")
    html = client.get(f"/events/{event.slug}/register?code=&lang=th").text
    chooser_html = re.search(r'<nav class="languages".*?</nav>', html, re.S).group(0)
    names = re.findall(r'lang="([^"]+)"[^>]*>([^<]+)</a>', chooser_html)
    assert names == [("km", "ខ្មែរ"), ("en", "English"), ("th", "ไทย"), ("my", "မြန်မာ"), ("lo", "ລາວ"),
                     ("vi", "Tiếng Việt"), ("zh-Hans", "简体中文")]
    assert 'href="/events/' + event.slug + '/register?code=&amp;lang=km"' in chooser_html
    assert 'aria-current="true">ไทย' in chooser_html


def test_the_chooser_puts_the_events_country_first(app):
    with app.test_request_context("/"):
        assert [link["code"] for link in chooser("en", "MM")][:2] == ["my", "en"]
        assert [link["code"] for link in chooser("en", "FR")][:2] == ["en", "th"]


def test_organisers_read_a_delegates_language_by_name(app):
    with app.test_request_context("/manage/"):
        name = app.jinja_env.from_string("{{ 'zh_Hans'|language_name }} · {{ 'km'|language_name }}").render()
    assert name == "Simplified Chinese · Khmer"
