"""The registration form: every rule of the data dictionary, messages beside the fields, input kept."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from events_app.choices import Dietary, Status
from events_app.registration.models import Registration
from tests.conftest import submit

VALID = {
    "full_name": "សុខ ចាន់ធី",
    "name_latin": "Sok Chanthy",
    "email": "Sok.Chanthy@Example.org",
    "organisation": "Cambodian Migrant Workers Association",
    "stakeholder_group": "migrant_group",
    "country": "KH",
    "data_consent": "y",
}


def _field_error(html: str, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else ""


def _post(client, event, **changes):
    data = {**VALID, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    return submit(client, f"/events/{event.slug}/register", data)


def test_valid_registration_redirects_to_confirmation_and_stores_normalised_values(client, db, make_event):
    event = make_event()
    response = _post(client, event, phone="012 345 678", languages=["km", "en"])
    assert response.status_code == 302
    assert "/r/" in response.headers["Location"]
    registration = db.session.scalar(select(Registration))
    assert registration.full_name == "សុខ ចាន់ធី"
    assert registration.email == "sok.chanthy@example.org"
    assert registration.phone == "+85512345678"
    assert registration.languages == ["km", "en"]
    assert registration.status == Status.APPROVED
    assert registration.data_consent_at is not None
    assert len(registration.token) >= 43 and len(registration.checkin_code) >= 22


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Please enter your name."),
        ({"full_name": "x" * 201}, "full_name", "Please use at most 200 characters."),
        ({"name_latin": ""}, "name_latin", "Please also write your name in Latin letters"),
        ({"name_latin": "ចាន់ធី"}, "name_latin", "Use Latin letters only"),
        ({"email": ""}, "email", "Please enter your email address."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address"),
        ({"email": "a@b"}, "email", "Enter a valid email address"),
        ({"organisation": "  "}, "organisation", "Please enter your organisation."),
        ({"stakeholder_group": ""}, "stakeholder_group", "Please choose a stakeholder group."),
        ({"stakeholder_group": "lobbyist"}, "stakeholder_group", "Please choose from the list."),
        ({"country": ""}, "country", "Please choose your country."),
        ({"country": "XX"}, "country", "Choose a country from the list."),
        ({"phone": "12"}, "phone", "phone number"),
        ({"data_consent": None}, "data_consent", "We need your agreement to register you."),
        ({"arrival_date": "2027-03-10", "departure_date": "2027-03-08"}, "departure_date", "before the arrival"),
        ({"needs_visa_letter": "y"}, "passport_number", "Needed for the visa letter."),
        ({"needs_visa_letter": "y", "nationality": "Cambodian", "passport_number": "N1234567",
          "date_of_birth": "1990-01-01", "passport_expiry": (date.today() - timedelta(days=1)).isoformat()},
         "passport_expiry", "This passport has expired."),
        ({"date_of_birth": (date.today() + timedelta(days=1)).isoformat()}, "date_of_birth", "in the past"),
    ],
)
def test_invalid_field_gets_a_message_beside_it_and_input_is_kept(client, db, make_event, changes, field, message):
    event = make_event()
    response = _post(client, event, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in _field_error(html, field)
    kept = "full_name" if "organisation" in changes else "organisation"
    assert f'value="{VALID[kept]}"' in html  # the rest of the input is kept
    assert db.session.scalar(select(Registration)) is None


def test_latin_name_is_optional_for_a_latin_script_name(client, db, make_event):
    event = make_event()
    response = _post(client, event, full_name="Nguyễn Thị Hương", name_latin="", email="huong@example.org")
    assert response.status_code == 302


def test_visa_details_are_stored_encrypted(client, db, make_event):
    from sqlalchemy import text

    event = make_event()
    response = _post(client, event, needs_visa_letter="y", nationality="Cambodian", passport_number="N1234567",
                     date_of_birth="1990-01-01", passport_expiry="2031-01-01")
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert registration.passport_number == "N1234567"
    raw = db.session.execute(text("SELECT passport_number FROM registrations")).scalar_one()
    assert "N1234567" not in raw


def test_form_without_csrf_token_is_refused(client, db, make_event):
    event = make_event()
    response = client.post(f"/events/{event.slug}/register", data=VALID)
    assert response.status_code == 400
    assert db.session.scalar(select(Registration)) is None


def test_double_submission_makes_one_registration(client, db, make_event):
    event = make_event()
    page = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    key = re.search(r'id="submission_key" name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    payload = {**VALID, "csrf_token": token, "submission_key": key}
    first = client.post(f"/events/{event.slug}/register", data=payload)
    second = client.post(f"/events/{event.slug}/register", data=payload)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(db.session.scalars(select(Registration)).all()) == 1


def test_same_email_again_resends_the_link_instead_of_registering_twice(client, db, make_event):
    from events_app.mail.models import OutboxMessage

    event = make_event()
    _post(client, event)
    response = _post(client, event, full_name="Sok Chanthy", name_latin="")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{event.slug}/registered")
    assert len(db.session.scalars(select(Registration)).all()) == 1
    kinds = [m.kind for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert kinds == ["registration_received", "lost_link"]


def test_registration_closed_shows_a_message_not_a_form(client, db, make_event):
    from datetime import UTC, datetime

    event = make_event(registration_closes_at=datetime.now(UTC) - timedelta(hours=1))
    html = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "Registration is closed." in html
    assert 'name="full_name"' not in html


def test_nul_characters_are_removed_not_a_database_error(client, db, make_event):
    event = make_event()
    response = _post(client, event, full_name="សុខ\x00 ចាន់ធី", organisation="CMWA\x00")
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert (registration.full_name, registration.organisation) == ("សុខ ចាន់ធី", "CMWA")


def test_diet_is_kept_as_a_choice_and_not_given_stays_empty(client, db, make_event):
    event = make_event()
    _post(client, event, dietary="halal")
    _post(client, event, email="no.diet@example.org", full_name="Somchai Jaidee")
    by_email = {r.email: r for r in db.session.scalars(select(Registration))}
    assert by_email["sok.chanthy@example.org"].dietary == Dietary.HALAL
    assert by_email["no.diet@example.org"].dietary is None
    stored = db.session.execute(text("SELECT email, dietary FROM registrations ORDER BY email")).all()
    assert [tuple(row) for row in stored] == [("no.diet@example.org", ""), ("sok.chanthy@example.org", "halal")]


@pytest.mark.parametrize(("sent", "stored"), [("zz", "en"), ('en"', "en"), ("x" * 40, "en"), ("km", "km"),
                                              ("zh-Hans", "zh_Hans")])
def test_a_tampered_language_is_read_as_english_never_a_server_error(client, db, make_event, sent, stored):
    event = make_event()
    response = _post(client, event, locale=sent)
    assert response.status_code == 302
    assert db.session.scalar(select(Registration.locale)) == stored
