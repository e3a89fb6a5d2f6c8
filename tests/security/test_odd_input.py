"""Odd input from the sqlmap probe (issue 13, gap 4): odd locales and out-of-range ids answer clearly, never 500."""
import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from events_app.registration.models import Registration
from tests.conftest import submit
from tests.registration.test_form import VALID

HUGE, NEGATIVE = "99999999999", "-1"  # above PostgreSQL's integer, and below any id


@pytest.mark.parametrize("locale", ["zz", 'en"', "x" * 300, "en\x00"])
def test_an_odd_hidden_locale_on_the_register_form_reads_as_a_supported_one(client, db, make_event, locale):
    event = make_event()
    response = submit(client, f"/events/{event.slug}/register", {**VALID, "locale": locale})
    assert response.status_code == 302
    assert db.session.scalar(select(Registration.locale)) == "en"


@pytest.mark.parametrize("locale", ["zz", 'en"'])
def test_an_odd_hidden_locale_on_the_edit_form_keeps_a_supported_one(client, db, make_event, make_registration,
                                                                     locale):
    registration = make_registration(make_event(), locale="km")
    response = submit(client, f"/r/{registration.token}/edit",
                      {**VALID, "email": registration.email, "locale": locale})
    assert response.status_code == 302
    db.session.refresh(registration)
    assert registration.locale in ("en", "km")


def _int_rules(app):
    """Every rule with an integer converter, and the names of its integer arguments."""
    found = []
    for rule in app.url_map.iter_rules():
        names = [name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter)]
        if names:
            found.append((rule, names))
    return found


@pytest.mark.parametrize("number", [HUGE, NEGATIVE, "2147483648"])
def test_every_route_with_an_integer_in_its_path_answers_404_to_one_out_of_range(app, client, db, auth,
                                                                                make_event, make_registration,
                                                                                number):
    event = make_event(slug="sss")
    make_registration(event)
    auth.login("admin")
    rules = _int_rules(app)
    assert len(rules) > 15, "the walk found the routes with ids"
    answers = {}
    for rule, names in rules:
        path = rule.rule.replace("<slug>", "sss").replace("<token>", "x" * 32)
        path = path.replace("<any(deactivate, reactivate):action>", "deactivate")
        for name in names:
            path = path.replace(f"<int:{name}>", number)
        methods = rule.methods & {"GET", "POST"}
        for method in methods:
            code = client.open(path, method=method).status_code
            if code != 404:
                answers[f"{method} {path}"] = code
    assert answers == {}


def test_a_query_string_id_out_of_range_gives_a_page_not_a_500(client, db, auth, make_event, make_registration):
    event = make_event()
    make_registration(event)
    auth.login("admin")
    for url in (f"/manage/events/{event.slug}/badges?registration={HUGE}",
                f"/manage/events/{event.slug}/badges.pdf?registration={HUGE}",
                f"/manage/events/{event.slug}/badges?registration={NEGATIVE}",
                f"/manage/events/{event.slug}/visa-letters.pdf?registration_id={HUGE}",
                f"/manage/events/{event.slug}/delegates?page={HUGE}0000000000000",
                f"/manage/events/{event.slug}/delegates/{HUGE}",
                f"/manage/events/{event.slug}/recommendations/new?theme={HUGE}"):
        assert client.get(url).status_code in (200, 302, 303, 400, 404), url


def test_the_desk_refuses_an_out_of_range_registration_id_with_a_message(client, db, auth, make_event):
    event = make_event()
    auth.login("staff")
    for number in (HUGE, NEGATIVE):
        response = submit(client, f"/checkin/{event.slug}/checkin", {"registration_id": number},
                          page=f"/checkin/{event.slug}", follow_redirects=True)
        assert response.status_code == 200, number
