"""registration.checker gives exactly what the registration form gives: the same data, the same errors.

A hypothesis test draws inputs field by field (names in the six scripts, blanks, NUL characters,
overlong text, good and bad emails, phones and dates, every choice and some that are not, visa
letters with and without passport details, the event's questions) and checks each with
RegistrationForm and with check_delegate, in a drawn language, comparing what a delegate would see.
"""
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from events_app import i18n
from events_app.choices import LANGUAGE_CODES, Dietary, Gender, StakeholderGroup
from events_app.countries import country_choices
from events_app.registration.checker import check_delegate
from events_app.registration.forms import HONORIFICS, form_class_for

QUESTIONS = (
    SimpleNamespace(key="track", label="Track", kind="choice", options=["Labour", "Health"], required=True),
    SimpleNamespace(key="panel", label="Panel", kind="choice", options=["A", "B"], required=False),
    SimpleNamespace(key="why", label="Why", kind="text", options=[], required=True),
    SimpleNamespace(key="note", label="Note", kind="text", options=[], required=False),
    SimpleNamespace(key="first_time", label="First time?", kind="yes_no", options=[], required=True),
    SimpleNamespace(key="photo", label="Photo?", kind="yes_no", options=[], required=False),
)
TODAY = date.today()
NAMES = ["សុខ ចាន់ធី", "สมชาย ใจดี", "Nguyễn Thị Hương", "အောင်မြင့်ထွန်း", "李明华", "ອຸໄລວັນ ແສງສຸລິນ", "Sok Chanthy",
         "O'Brien-Đặng", "Ana María", "ចាន់ធី Sok"]
BLANKS = ["", " ", "  \t", "\x00", " \x00 "]
TEXT = st.one_of(
    st.sampled_from(NAMES + BLANKS),
    st.text(st.sampled_from("aZ é中ក ไ\x00-'."), max_size=12),
    st.builds(lambda ch, n: ch * n, st.sampled_from(["x", "ក", " "]),
              st.sampled_from([39, 40, 41, 99, 100, 101, 199, 200, 201, 254, 255, 499, 500, 501, 1000, 1001])),
)
EMAILS = ["Sok.Chanthy@Example.org", " a@example.org ", "not-an-email", "a@b", "a@@example.org", "a b@example.org",
          "ñandú@example.org", "user@xn--mnchen-3ya.de", "x@" + "e" * 250 + ".org", "a@example.org\x00", "@example.org"]
PHONES = ["+66 81 234 5678", "081 234 5678", "012 345 678", "12", "abc", "+1 202 555 0101", "+855 12 345 678",
          "0" * 41, "+999 1234"]
DATES = ["2026-03-31", "2027-02-28", "1990-02-30", "31/03/2026", "1985-07-01", (TODAY - timedelta(days=1)).isoformat(),
         TODAY.isoformat(), (TODAY + timedelta(days=1)).isoformat(), (TODAY + timedelta(days=900)).isoformat()]
BOOLEANS = ["y", "", "false", "n", "on", "False", "0"]


def _choices_of(values):
    return st.one_of(st.sampled_from([*values, "", " ", "zz", "NGO", "Xx"]), TEXT)


FIELDS = {
    "full_name": TEXT, "name_latin": TEXT, "badge_name": TEXT, "organisation": TEXT, "position": TEXT,
    "region": TEXT, "dietary_notes": TEXT, "accessibility_needs": TEXT, "nationality": TEXT,
    "passport_number": TEXT, "email": st.one_of(st.sampled_from(EMAILS), TEXT),
    "phone": st.one_of(st.sampled_from(PHONES), TEXT),
    "honorific": _choices_of(HONORIFICS),
    "stakeholder_group": _choices_of([value for value, _label in StakeholderGroup.choices()]),
    "country": _choices_of([code for code, _name in country_choices("en")] + ["th", " KH ", "EU"]),
    "gender": _choices_of([value for value, _label in Gender.choices()]),
    "dietary": _choices_of([value for value, _label in Dietary.choices()]),
    "languages": st.sampled_from([*LANGUAGE_CODES, "xx", " ", "EN"]),
    "date_of_birth": st.one_of(st.sampled_from(DATES + BLANKS), TEXT),
    "passport_expiry": st.sampled_from(DATES + BLANKS), "arrival_date": st.sampled_from(DATES + BLANKS),
    "departure_date": st.sampled_from(DATES + BLANKS),
    **{name: st.sampled_from(BOOLEANS) for name in ("needs_visa_letter", "travel_support_requested",
                                                     "accommodation_needed", "list_publicly", "photo_consent",
                                                     "data_consent", "q_first_time", "q_photo")},
    "locale": st.sampled_from([*i18n.LOCALES, "xx", "", "th_TH"]),
    "q_track": _choices_of(["Labour", "Health"]), "q_panel": _choices_of(["A", "B"]), "q_why": TEXT, "q_note": TEXT,
}


GOOD = {"full_name": st.sampled_from(NAMES[2:3] + NAMES[6:9]), "email": st.sampled_from(EMAILS[:2]),
        "organisation": st.sampled_from(NAMES),
        "stakeholder_group": st.sampled_from([group.value for group in StakeholderGroup]),
        "country": st.sampled_from(["TH", "KH", "vn", " LA "]), "data_consent": st.just("y"),
        "q_track": st.just("Labour"), "q_why": st.sampled_from(NAMES), "q_first_time": st.just("y")}


@st.composite
def inputs(draw):
    """A form submission: each field absent (sometimes), once (mostly) or twice (as a repeated key).

    Half the time it starts from a valid submission and changes a few fields, so that valid data is compared too.
    """
    changed = set(draw(st.lists(st.sampled_from(sorted(FIELDS)), max_size=4))) if draw(st.booleans()) else set(FIELDS)
    pairs = [(name, draw(values)) for name, values in GOOD.items() if name not in changed]
    for name in sorted(changed):
        count = draw(st.sampled_from([0, 1, 1, 1, 2] if name != "languages" else [0, 1, 2, 3]))
        pairs += [(name, draw(FIELDS[name])) for _ in range(count)]
    return pairs


def _by_form(pairs, questions, locale):
    form = form_class_for(questions)(formdata=MultiDict(pairs), meta={"csrf": False}, locale=locale)
    ok = form.validate()
    errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    return ok, form.delegate_data() if ok else {}, errors


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(pairs=inputs(), locale=st.sampled_from(i18n.LOCALES), with_questions=st.booleans())
def test_the_checker_gives_the_forms_data_and_errors(app, pairs, locale, with_questions):
    questions = QUESTIONS if with_questions else ()
    with app.test_request_context(), force_locale(locale):
        ok, data, errors = _by_form(pairs, questions, locale)
        checked = check_delegate(MultiDict(pairs), questions=questions, locale=locale)
        as_dict = check_delegate({name: MultiDict(pairs).getlist(name) for name, _ in pairs},
                                 questions=questions, locale=locale)
    assert (checked.ok, checked.errors) == (ok, errors)
    assert checked.data == data
    assert as_dict == checked


VALID = {"full_name": "សុខ ចាន់ធី", "name_latin": "Sok Chanthy", "email": "Sok.Chanthy@Example.org",
         "organisation": "Cambodian Migrant Workers Association", "stakeholder_group": "migrant_group",
         "country": "KH", "data_consent": "y", "phone": "012 345 678", "languages": ["km", "en"], "locale": "km"}


def test_valid_fields_come_back_as_the_registration_service_takes_them(app):
    with app.test_request_context():
        checked = check_delegate(VALID, locale="en")
    assert checked.ok and checked.errors == {}
    assert checked.data["email"] == "sok.chanthy@example.org"
    assert checked.data["phone"] == "+85512345678"
    assert checked.data["languages"] == ["km", "en"]
    assert checked.data["locale"] == "km" and checked.data["answers"] == {}


def test_messages_are_in_the_language_asked_for(app):
    with app.test_request_context():
        english = check_delegate({**VALID, "name_latin": ""}, locale="en")
        thai = check_delegate({**VALID, "name_latin": ""}, locale="th")
    assert not english.ok and english.data == {}
    assert english.errors == {
        "name_latin": ["Please also write your name in Latin letters (for sorting and the badge)."]}
    assert thai.errors["name_latin"] != english.errors["name_latin"]


def test_a_visa_letter_needs_every_passport_detail(app):
    with app.test_request_context():
        checked = check_delegate({**VALID, "needs_visa_letter": "y", "nationality": "Cambodian"}, locale="en")
    assert checked.errors == {name: ["Needed for the visa letter."]
                              for name in ("passport_number", "date_of_birth", "passport_expiry")}


def test_a_required_question_is_checked_like_the_form_does(app):
    with app.test_request_context():
        missing = check_delegate(VALID, questions=QUESTIONS[:1], locale="en")
        answered = check_delegate({**VALID, "q_track": "Health"}, questions=QUESTIONS[:1], locale="en")
    assert missing.errors == {"q_track": ["Please choose an answer."]}
    assert answered.ok and answered.data["answers"] == {"track": "Health"}


@pytest.mark.parametrize("locale", ["en", "my"])
def test_an_unknown_choice_is_refused_with_the_forms_message(app, locale):
    with app.test_request_context(), force_locale(locale):
        ok, _data, errors = _by_form(MultiDict({**VALID, "dietary": "carnivore"}).items(multi=True), (), locale)
        checked = check_delegate({**VALID, "dietary": "carnivore"}, locale=locale)
    assert not ok and checked.errors == errors and list(errors) == ["dietary"]

