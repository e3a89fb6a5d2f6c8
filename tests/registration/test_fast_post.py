"""A valid registration is saved without binding the WTForms form; anything else still gets the form's page."""
import re

from sqlalchemy import func, select

from events_app.registration import views
from events_app.registration.models import Registration
from tests.conftest import csrf_token

VALID = {"full_name": "Delegate One", "email": "One@Example.org", "organisation": "MMN",
         "stakeholder_group": "ngo", "country": "TH", "data_consent": "y", "locale": "km"}


def _no_form(*args, **kwargs):
    raise AssertionError("the form was bound for a valid POST")


def _count(db) -> int:
    return db.session.scalar(select(func.count(Registration.id)))


def test_a_valid_post_registers_without_binding_the_form(client, db, make_event, monkeypatch):
    event = make_event()
    url = f"/events/{event.slug}/register"
    token = csrf_token(client.get(url).get_data(as_text=True))
    monkeypatch.setattr(views, "registration_form_for", _no_form)
    response = client.post(url, data={**VALID, "csrf_token": token, "submission_key": "k1"})
    assert response.status_code == 302 and "/r/" in response.headers["Location"]
    registration = db.session.scalar(select(Registration))
    assert (registration.email, registration.locale, registration.submission_key) == ("one@example.org", "km", "k1")


def test_the_fast_path_still_refuses_a_post_without_a_csrf_token(client, db, make_event):
    event = make_event()
    response = client.post(f"/events/{event.slug}/register", data=VALID)
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert _count(db) == 0


def test_an_invalid_post_shows_the_form_with_the_error_beside_the_field_and_the_input_kept(client, db, make_event):
    event = make_event()
    url = f"/events/{event.slug}/register"
    token = csrf_token(client.get(url).get_data(as_text=True))
    html = client.post(url, data={**VALID, "csrf_token": token, "email": "not-an-email"}).get_data(as_text=True)
    assert re.search(r'id="email-error">\s*Enter a valid email address', html)
    assert 'value="Delegate One"' in html
    assert _count(db) == 0


def test_a_form_sent_twice_makes_one_registration_through_the_fast_path(client, db, make_event):
    event = make_event()
    url = f"/events/{event.slug}/register"
    token = csrf_token(client.get(url).get_data(as_text=True))
    body = {**VALID, "csrf_token": token, "submission_key": "same-form"}
    first, second = client.post(url, data=body), client.post(url, data=body)
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(db) == 1


def test_a_missing_submission_key_gets_a_new_one_as_the_form_gives(client, db, make_event):
    event = make_event()
    url = f"/events/{event.slug}/register"
    token = csrf_token(client.get(url).get_data(as_text=True))
    assert client.post(url, data={**VALID, "csrf_token": token}).status_code == 302
    assert len(db.session.scalar(select(Registration.submission_key))) >= 32
