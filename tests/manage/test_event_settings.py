"""Organisers set up events, quotas and extra questions: local times, errors beside fields, organisers only."""
import html as html_lib
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from events_app.choices import Status
from events_app.events import services as event_services
from events_app.events.models import Event, Question, Quota
from events_app.events.services import find_event
from tests.conftest import submit

NEW = "/manage/events/new"


def event_data(**overrides) -> dict:
    """A complete, valid event form; an override of None leaves the field out (an unticked box)."""
    data = {
        "slug": "mekong-2027", "title": "Mekong Symposium on Labour Migration", "description": "Three days.",
        "contact_email": "symposium@example.org", "venue": "UN Conference Centre", "city": "Bangkok",
        "country": "TH", "timezone": "Asia/Bangkok", "starts_on": "2027-03-10", "ends_on": "2027-03-12",
        "capacity": "200", "registration_opens_at": "2027-01-10T09:00", "registration_closes_at": "2027-03-01T17:00",
        "approval_required": "y", "waitlist_when_full": "y", "edit_deadline": "2027-03-05T12:00",
        "reapproval_fields": ["stakeholder_group", "country"], "attendance_threshold_days": "2",
        "badge_colour_by": "stakeholder_group", "letterhead_text": "Mekong Migration Network\nBangkok",
        "signatory_name": "Dr. Somchai P.", "signatory_title": "Coordinator",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def error_beside(html: str, field_id: str) -> str:
    """The error text shown right under the field with this id ('' when there is none)."""
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    return html_lib.unescape(match.group(1)).strip() if match else ""


def settings_url(event) -> str:
    return f"/manage/events/{event.slug}/settings"


def edit_data(event, **overrides) -> dict:
    """The edit form as it stands for this event, with some fields changed."""
    data = event_data(slug=None, starts_on=event.starts_on.isoformat(), ends_on=event.ends_on.isoformat(),
                      attendance_threshold_days="1", registration_opens_at="", registration_closes_at="",
                      edit_deadline="", capacity="" if event.capacity is None else str(event.capacity),
                      approval_required="y" if event.approval_required else None,
                      waitlist_when_full="y" if event.waitlist_when_full else None)
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


# --- creating and editing events --------------------------------------------------------------

def test_an_organiser_creates_an_event_with_all_its_settings(client, db, auth):
    auth.login("organiser")
    response = submit(client, NEW, event_data())
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/events/mekong-2027/settings"
    event = find_event("mekong-2027")
    assert (event.title, event.city, event.country, event.timezone) == (
        "Mekong Symposium on Labour Migration", "Bangkok", "TH", "Asia/Bangkok")
    assert (event.capacity, event.approval_required, event.waitlist_when_full, event.invitation_only) == (
        200, True, True, False)
    assert event.reapproval_fields == ["stakeholder_group", "country"]
    assert (event.attendance_threshold_days, event.badge_colour_by) == (2, "stakeholder_group")
    assert (event.signatory_name, event.contact_email) == ("Dr. Somchai P.", "symposium@example.org")
    assert event.letterhead_text.splitlines() == ["Mekong Migration Network", "Bangkok"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "was created" in page


def test_local_times_are_stored_in_utc_and_shown_back_in_local_time(client, db, auth):
    auth.login("organiser")
    submit(client, NEW, event_data(registration_opens_at="2027-01-10T09:00", edit_deadline="2027-03-05T00:30"))
    event = find_event("mekong-2027")
    assert event.registration_opens_at == datetime(2027, 1, 10, 2, 0, tzinfo=UTC)
    assert event.edit_deadline == datetime(2027, 3, 4, 17, 30, tzinfo=UTC)
    page = client.get(settings_url(event)).get_data(as_text=True)
    assert 'value="2027-01-10T09:00"' in page
    assert 'value="2027-03-05T00:30"' in page


def test_a_change_of_time_zone_reads_the_times_in_the_new_zone(client, db, auth, make_event):
    event = make_event()
    auth.login("organiser")
    response = submit(client, settings_url(event), edit_data(event, timezone="asia/yangon",
                                                              registration_opens_at="2027-01-10T09:00"))
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.timezone == "Asia/Yangon"  # spelled as the tz database does
    assert event.registration_opens_at == datetime(2027, 1, 10, 2, 30, tzinfo=UTC)


def test_an_organiser_edits_an_event_and_the_slug_stays(client, db, auth, make_event):
    event = make_event(capacity=50)
    auth.login("organiser")
    page = client.get(settings_url(event)).get_data(as_text=True)
    assert 'name="slug"' not in page and event.slug in page
    response = submit(client, settings_url(event), edit_data(event, slug="renamed", title="Renamed meeting",
                                                             capacity="", invitation_only="y",
                                                             reapproval_fields=["email"]), follow_redirects=True)
    assert "The settings were saved." in response.get_data(as_text=True)
    db.session.refresh(event)
    assert (event.slug, event.title, event.capacity, event.invitation_only) == (
        "consultation-1", "Renamed meeting", None, True)
    assert event.reapproval_fields == ["email"]


def test_unticked_boxes_turn_settings_off(client, db, auth, make_event):
    event = make_event(approval_required=True)
    auth.login("organiser")
    submit(client, settings_url(event), edit_data(event, approval_required=None, waitlist_when_full=None,
                                                  reapproval_fields=None))
    db.session.refresh(event)
    assert (event.approval_required, event.waitlist_when_full, event.reapproval_fields) == (False, False, [])


CREATE_ERRORS = [
    ("slug", {"slug": "Mekong 2027"}, "lower-case letters, digits and hyphens"),
    ("slug", {"slug": "ab"}, "lower-case letters, digits and hyphens"),
    ("slug", {"slug": ""}, "Please give the event a short name."),
    ("title", {"title": "  "}, "Please give the event a title."),
    ("title", {"title": "x" * 201}, "Field cannot be longer than 200 characters."),
    ("country", {"country": ""}, "Please choose the country."),
    ("country", {"country": "XX"}, "Not a valid choice"),
    ("timezone", {"timezone": "Mars/Olympus_Mons"}, "Unknown time zone."),
    ("timezone", {"timezone": "../../etc/passwd"}, "Unknown time zone."),
    ("starts_on", {"starts_on": "10/03/2027"}, "Enter a date"),
    ("ends_on", {"ends_on": "2027-03-09"}, "The last day cannot be before the first day."),
    # The same rules and messages as `flask events create` (tests/test_cli.py): one service decides.
    ("ends_on", {"ends_on": "2031-03-09"}, "An event can last at most 60 days."),
    ("ends_on", {"ends_on": "2027-05-09"}, "An event can last at most 60 days."),
    ("starts_on", {"starts_on": "0002-03-10"}, "Use a date between the years 2000 and 2100."),
    ("starts_on", {"starts_on": "0001-01-01"}, "Use a date between the years 2000 and 2100."),
    ("registration_opens_at", {"registration_opens_at": "0001-01-01T00:00"},
     "Use a date between the years 2000 and 2100."),
    ("edit_deadline", {"edit_deadline": "9999-12-31T23:59"}, "Use a date between the years 2000 and 2100."),
    ("capacity", {"capacity": "-1"}, "The capacity must be a whole number from 0 to 100000."),
    ("capacity", {"capacity": "lots"}, "Enter a whole number."),
    ("capacity", {"capacity": "5000000000"}, "The capacity must be a whole number from 0 to 100000."),
    ("capacity", {"capacity": "99999999999999999999"}, "The capacity must be a whole number from 0 to 100000."),
    ("registration_opens_at", {"registration_opens_at": "tomorrow"}, "Enter a date and time"),
    ("registration_closes_at", {"registration_closes_at": "2027-01-10T09:00"}, "must close after it opens"),
    ("registration_closes_at", {"registration_closes_at": "2027-01-01T09:00"}, "must close after it opens"),
    ("edit_deadline", {"timezone": "America/New_York", "edit_deadline": "2027-03-14T02:30"}, "does not exist"),
    ("contact_email", {"contact_email": "not-an-address"}, "Enter a valid email address."),
    ("attendance_threshold_days", {"attendance_threshold_days": "4"}, "from 1 to 3 (the days of the event)"),
    ("attendance_threshold_days", {"attendance_threshold_days": "0"}, "Enter a whole number from 1 to 60."),
    ("badge_colour_by", {"badge_colour_by": "gender"}, "Not a valid choice"),
    ("reapproval_fields", {"reapproval_fields": ["data_consent"]}, "not a valid choice"),
]


@pytest.mark.parametrize(("field", "changes", "message"), CREATE_ERRORS,
                         ids=[f"{f}-{i}" for i, (f, _c, _m) in enumerate(CREATE_ERRORS)])
def test_each_mistake_is_shown_beside_its_field_and_the_input_kept(client, db, auth, field, changes, message):
    auth.login("organiser")
    response = submit(client, NEW, event_data(**changes))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in error_beside(page, field)
    assert "Please correct the highlighted fields" in page
    assert 'value="Mekong Symposium on Labour Migration"' in page or field == "title"
    for value in changes.values():
        if isinstance(value, str) and value.strip() and field != "country":
            assert html_lib.escape(value) in page  # what was typed is kept
    assert db.session.scalar(select(Event)) is None


def test_a_taken_slug_is_a_friendly_error(client, db, auth, make_event):
    make_event(slug="mekong-2027")
    auth.login("organiser")
    page = submit(client, NEW, event_data()).get_data(as_text=True)
    assert error_beside(page, "slug") == "An event with this short name exists already."


def test_a_slug_taken_at_the_same_moment_is_refused_without_a_500(db, make_event, monkeypatch):
    make_event(slug="mekong-2027")
    monkeypatch.setattr(event_services, "find_event", lambda slug: None)  # both checks pass: the insert races
    with pytest.raises(event_services.EventError) as refused:
        event_services.create_event("mekong-2027", **_service_values())
    assert refused.value.field == "slug"
    db.session.commit()  # the transaction is still usable
    assert len(db.session.scalars(select(Event)).all()) == 1


def _service_values() -> dict:
    return {"title": "Mekong", "starts_on": datetime(2027, 3, 10).date(), "ends_on": datetime(2027, 3, 12).date()}


def test_edit_errors_are_beside_their_fields_too(client, db, auth, make_event):
    event = make_event()
    auth.login("organiser")
    page = submit(client, settings_url(event), edit_data(event, timezone="Nowhere/City", ends_on="2000-01-01"))
    html = page.get_data(as_text=True)
    assert "Unknown time zone" in error_beside(html, "timezone")
    assert "before the first day" in error_beside(html, "ends_on")
    assert 'value="Nowhere/City"' in html


def test_reducing_capacity_below_the_approved_warns_and_unapproves_nobody(
        client, db, auth, make_event, make_registration):
    event = make_event(capacity=3)
    people = [make_registration(event) for _ in range(3)]
    auth.login("organiser")
    page = submit(client, settings_url(event), edit_data(event, capacity="1"),
                  follow_redirects=True).get_data(as_text=True)
    assert "3 delegates are approved already, 2 more than the capacity of 1." in html_lib.unescape(page)
    assert "Nobody was unapproved" in page
    for person in people:
        db.session.refresh(person)
        assert person.status == Status.APPROVED


def test_raising_capacity_promotes_the_waiting_list(client, db, auth, make_event, make_registration):
    event = make_event(capacity=1)
    _first, second = make_registration(event), make_registration(event)
    assert second.status == Status.WAITLISTED
    auth.login("organiser")
    page = submit(client, settings_url(event), edit_data(event, capacity="2"),
                  follow_redirects=True).get_data(as_text=True)
    assert "1 delegate was moved from the waiting list" in page
    db.session.refresh(second)
    assert second.status == Status.APPROVED


# --- quotas -----------------------------------------------------------------------------------

def quotas_url(event) -> str:
    return f"/manage/events/{event.slug}/quotas"


def test_quotas_are_added_counted_changed_and_removed(client, db, auth, make_event, make_registration):
    event = make_event()
    make_registration(event, stakeholder_group="ngo")
    make_registration(event, stakeholder_group="ngo", country="KH")
    auth.login("organiser")
    response = submit(client, quotas_url(event), {"target": "stakeholder_group:ngo", "places": "5"})
    assert response.status_code == 302
    submit(client, quotas_url(event), {"target": "country:KH", "places": "3"})
    quotas = {(q.kind, q.value): q for q in db.session.scalars(select(Quota))}
    assert {k: q.places for k, q in quotas.items()} == {("stakeholder_group", "ngo"): 5, ("country", "KH"): 3}
    page = client.get(quotas_url(event)).get_data(as_text=True)
    assert "2 of 5" in page and "1 of 3" in page and "Cambodia" in page and "NGO" in page

    ngo = quotas[("stakeholder_group", "ngo")]
    page = submit(client, f"{quotas_url(event)}/{ngo.id}", {f"quota-{ngo.id}-places": "1"},
                  page=quotas_url(event), follow_redirects=True).get_data(as_text=True)
    assert "2 delegates of NGO are approved already, 1 more than the quota of 1." in html_lib.unescape(page)
    db.session.refresh(ngo)
    assert ngo.places == 1

    response = submit(client, f"{quotas_url(event)}/{ngo.id}/delete", {}, page=quotas_url(event))
    assert response.status_code == 302
    assert [(q.kind, q.value) for q in db.session.scalars(select(Quota))] == [("country", "KH")]


def test_a_second_quota_for_the_same_group_is_refused_beside_the_field(client, db, auth, make_event):
    event = make_event()
    auth.login("organiser")
    submit(client, quotas_url(event), {"target": "country:MM", "places": "4"})
    page = submit(client, quotas_url(event), {"target": "country:MM", "places": "6"}).get_data(as_text=True)
    assert error_beside(page, "target") == "This event has a quota for Myanmar already."
    assert 'value="6"' in page
    assert db.session.scalar(select(Quota)).places == 4


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"target": "country:XX", "places": "2"}, "target", "Not a valid choice"),
    ({"target": "gender:woman", "places": "2"}, "target", "Not a valid choice"),
    ({"target": "country:TH", "places": "-2"}, "places", "Enter a whole number from 0"),
    ({"target": "country:TH", "places": ""}, "places", "Please give a number of places."),
    ({"target": "country:TH", "places": "two"}, "places", "Enter a whole number."),
])
def test_quota_mistakes_are_shown_beside_their_field(client, db, auth, make_event, data, field, message):
    event = make_event()
    auth.login("organiser")
    page = submit(client, quotas_url(event), data).get_data(as_text=True)
    assert message in error_beside(page, field)
    assert db.session.scalar(select(Quota)) is None


def test_a_bad_number_of_places_on_a_row_is_shown_on_that_row(client, db, auth, make_event):
    event = make_event()
    auth.login("organiser")
    submit(client, quotas_url(event), {"target": "country:VN", "places": "4"})
    quota = db.session.scalar(select(Quota))
    response = submit(client, f"{quotas_url(event)}/{quota.id}", {f"quota-{quota.id}-places": "-5"},
                      page=quotas_url(event))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Enter a whole number from 0" in error_beside(page, f"quota-{quota.id}-places")
    assert 'value="-5"' in page
    db.session.refresh(quota)
    assert quota.places == 4


def test_removing_a_full_quota_promotes_those_it_held_back(client, db, auth, make_event, make_registration):
    event = make_event()
    auth.login("organiser")
    submit(client, quotas_url(event), {"target": "country:LA", "places": "1"})
    first, second = make_registration(event, country="LA"), make_registration(event, country="LA")
    assert (first.status, second.status) == (Status.APPROVED, Status.WAITLISTED)
    quota = db.session.scalar(select(Quota))
    submit(client, f"{quotas_url(event)}/{quota.id}/delete", {}, page=quotas_url(event))
    db.session.refresh(second)
    assert second.status == Status.APPROVED


def test_a_quota_of_another_event_is_not_found(client, db, auth, make_event):
    event, other = make_event(), make_event()
    auth.login("organiser")
    submit(client, quotas_url(other), {"target": "country:TH", "places": "1"})
    quota = db.session.scalar(select(Quota))
    response = submit(client, f"{quotas_url(event)}/{quota.id}/delete", {}, page=quotas_url(event))
    assert response.status_code == 404


# --- extra questions --------------------------------------------------------------------------

def questions_url(event) -> str:
    return f"/manage/events/{event.slug}/questions"


def question_rows(db, event) -> list[tuple]:
    db.session.expire_all()
    return [(q.key, q.position) for q in db.session.scalars(
        select(Question).where(Question.event_id == event.id).order_by(Question.position))]


def test_questions_are_added_edited_moved_and_removed(client, db, auth, make_event):
    event = make_event()
    auth.login("organiser")
    url = questions_url(event)
    assert submit(client, url, {"key": "working_group", "label": "Which working group?", "kind": "choice",
                                "options": "Labour rights\r\n\r\nSafe migration\r\nLabour rights\r\n",
                                "required": "y"}).status_code == 302
    submit(client, url, {"key": "first_time", "label": "Is this your first symposium?", "kind": "yes_no",
                         "options": "ignored"})
    submit(client, url, {"key": "expectations", "label": "What do you hope for?", "kind": "text", "position": "1"})
    assert question_rows(db, event) == [("expectations", 1), ("working_group", 2), ("first_time", 3)]
    working_group = db.session.scalar(select(Question).where(Question.key == "working_group"))
    assert (working_group.kind, working_group.options, working_group.required) == (
        "choice", ["Labour rights", "Safe migration"], True)
    assert db.session.scalar(select(Question).where(Question.key == "first_time")).options == []

    edit_url = f"{url}/{working_group.id}"
    page = client.get(edit_url).get_data(as_text=True)
    assert "Labour rights\nSafe migration" in page and 'name="key"' not in page
    response = submit(client, edit_url, {"label": "Your working group", "kind": "choice", "position": "3",
                                         "options": "Labour rights\nSafe migration\nReturn"})
    assert response.status_code == 302
    db.session.refresh(working_group)
    assert (working_group.label, working_group.options, working_group.required) == (
        "Your working group", ["Labour rights", "Safe migration", "Return"], False)
    assert question_rows(db, event) == [("expectations", 1), ("first_time", 2), ("working_group", 3)]

    first_time = db.session.scalar(select(Question).where(Question.key == "first_time"))
    submit(client, f"{url}/{first_time.id}/move", {"direction": "up"}, page=url)
    assert question_rows(db, event) == [("first_time", 1), ("expectations", 2), ("working_group", 3)]
    submit(client, f"{url}/{first_time.id}/move", {"direction": "up"}, page=url)  # already first: stays
    submit(client, f"{url}/{first_time.id}/move", {"direction": "down"}, page=url)
    assert question_rows(db, event) == [("expectations", 1), ("first_time", 2), ("working_group", 3)]

    submit(client, f"{url}/{first_time.id}/delete", {}, page=url)
    assert question_rows(db, event) == [("expectations", 1), ("working_group", 2)]
    page = client.get(url).get_data(as_text=True)
    assert page.index("What do you hope for?") < page.index("Your working group")


QUESTION_ERRORS = [
    ({"key": "Working Group"}, "key", "Use lower-case letters, digits and underscores"),
    ({"key": "working-group"}, "key", "Use lower-case letters, digits and underscores"),
    ({"key": "email"}, "key", "email is a field of the registration form already"),
    ({"key": ""}, "key", "Please give the question a key."),
    ({"label": ""}, "label", "Please write the question."),
    ({"kind": "essay"}, "kind", "Not a valid choice"),
    ({"kind": "choice", "options": "Only one"}, "options", "at least two options"),
    ({"kind": "choice", "options": "\n \n"}, "options", "at least two options"),
    ({"position": "0"}, "position", "Enter a whole number from 1 to 1000."),
    ({"position": "first"}, "position", "Enter a whole number."),
]


@pytest.mark.parametrize(("changes", "field", "message"), QUESTION_ERRORS)
def test_question_mistakes_are_shown_beside_their_field(client, db, auth, make_event, changes, field, message):
    event = make_event()
    auth.login("organiser")
    data = {"key": "diet_detail", "label": "Anything else about your diet?", "kind": "text", **changes}
    response = submit(client, questions_url(event), data)
    assert response.status_code == 200
    assert message in error_beside(response.get_data(as_text=True), field)
    assert db.session.scalar(select(Question)) is None


def test_a_repeated_key_is_refused_but_another_event_may_use_it(client, db, auth, make_event):
    event, other = make_event(), make_event()
    auth.login("organiser")
    data = {"key": "arrival_flight", "label": "Flight number", "kind": "text"}
    submit(client, questions_url(event), data)
    page = submit(client, questions_url(event), data).get_data(as_text=True)
    assert error_beside(page, "key") == "This event has a question with this key already."
    assert submit(client, questions_url(other), data).status_code == 302


def test_editing_a_choice_without_options_is_refused(client, db, auth, make_event):
    event = make_event()
    auth.login("organiser")
    submit(client, questions_url(event), {"key": "session", "label": "Session", "kind": "text"})
    question = db.session.scalar(select(Question))
    page = submit(client, f"{questions_url(event)}/{question.id}",
                  {"label": "Session", "kind": "choice", "options": ""}).get_data(as_text=True)
    assert "at least two options" in error_beside(page, "options")
    db.session.refresh(question)
    assert question.kind == "text"


# --- who may use these pages ------------------------------------------------------------------

def _routes(db, event):
    quota = Quota(event_id=event.id, kind="country", value="TH", places=2)
    question = Question(event_id=event.id, key="topic", label="Topic", kind="text", position=1)
    db.session.add_all([quota, question])
    db.session.commit()
    base = f"/manage/events/{event.slug}"
    return [
        ("get", NEW), ("post", NEW),
        ("get", f"{base}/settings"), ("post", f"{base}/settings"),
        ("get", f"{base}/quotas"), ("post", f"{base}/quotas"),
        ("post", f"{base}/quotas/{quota.id}"), ("post", f"{base}/quotas/{quota.id}/delete"),
        ("get", f"{base}/questions"), ("post", f"{base}/questions"),
        ("get", f"{base}/questions/{question.id}"), ("post", f"{base}/questions/{question.id}"),
        ("post", f"{base}/questions/{question.id}/delete"), ("post", f"{base}/questions/{question.id}/move"),
    ]


def test_staff_may_not_change_event_settings(client, db, auth, make_event):
    event = make_event()
    routes = _routes(db, event)
    auth.login("staff")
    for method, url in routes:
        if method == "get":
            response = client.get(url)
        else:  # with a valid CSRF token, so that the role is what refuses
            response = submit(client, url, {"title": "Hijacked", "places": "0"}, page="/manage/")
        assert response.status_code == 403, (method, url)
    db.session.expire_all()
    assert find_event(event.slug).title != "Hijacked"
    assert len(db.session.scalars(select(Quota)).all()) == 1
    assert "Settings" not in client.get(f"/manage/events/{event.slug}/").get_data(as_text=True).split("<main")[1]


def test_anonymous_visitors_are_sent_to_sign_in(client, db, make_event):
    event = make_event()
    for method, url in _routes(db, event):
        response = client.get(url) if method == "get" else submit(client, url, {}, page="/auth/login")
        assert response.status_code == 302, (method, url)
        assert "/auth/login" in response.headers["Location"]


def test_a_post_without_the_csrf_token_changes_nothing(client, db, auth, make_event):
    event = make_event()
    auth.login("organiser")
    response = client.post(settings_url(event), data=edit_data(event, title="No token"))
    assert response.status_code == 400
    db.session.refresh(event)
    assert event.title != "No token"


# --- badge settings: the logo and the colour legend -------------------------------------------

def image_bytes(kind: str, size=(240, 80)) -> bytes:
    """A small logo as PNG (with transparency) or JPEG."""
    import io

    from PIL import Image

    image = Image.new("RGBA" if kind == "PNG" else "RGB", size, (11, 92, 173))
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def same_pixels(one: bytes, other: bytes) -> bool:
    """True when two image files hold the same picture (JPEG: within its loss)."""
    import io

    from PIL import Image, ImageChops

    with Image.open(io.BytesIO(one)) as a, Image.open(io.BytesIO(other)) as b:
        if a.size != b.size:
            return False
        difference = ImageChops.difference(a.convert("RGBA"), b.convert("RGBA")).getextrema()
        return max(high for _low, high in difference) <= 8


def upload(data: bytes, name: str):
    import io

    return (io.BytesIO(data), name)


@pytest.mark.parametrize("kind, name, content_type", [("PNG", "logo.png", "image/png"),
                                                      ("JPEG", "Logo.JPG", "image/jpeg")])
def test_a_png_or_jpeg_logo_is_uploaded_previewed_and_removed(client, db, auth, make_event, kind, name,
                                                             content_type):
    event = make_event()
    auth.login("organiser")
    data = image_bytes(kind)
    response = submit(client, settings_url(event), edit_data(event, logo=upload(data, name)))
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert event.logo_content_type == content_type and same_pixels(event.logo, data)  # re-encoded: pixels only
    page = client.get(settings_url(event)).get_data(as_text=True)
    assert f'src="/manage/events/{event.slug}/logo"' in page and 'name="remove_logo"' in page
    served = client.get(f"/manage/events/{event.slug}/logo")
    assert (served.status_code, served.mimetype, served.get_data()) == (200, content_type, event.logo)
    # Saving other settings without a new file keeps the logo.
    stored = event.logo
    submit(client, settings_url(event), edit_data(event, title="Renamed"))
    db.session.expire_all()
    assert event.logo == stored
    submit(client, settings_url(event), edit_data(event, remove_logo="y"))
    db.session.expire_all()
    assert (event.logo, event.logo_content_type) == (None, "")
    assert client.get(f"/manage/events/{event.slug}/logo").status_code == 404


@pytest.mark.parametrize("data, message", [
    (b"Mekong Migration Network\n" * 20, "This file is not a PNG or JPEG image."),
    (b"GIF89a" + b"\0" * 100, "This file is not a PNG or JPEG image."),
    (image_bytes("PNG")[:60], "This image could not be read"),
    (image_bytes("PNG", size=(4001, 10)), "at most 4000 pixels a side"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024), "larger than 1 MB"),
])
def test_a_file_that_is_not_a_usable_image_is_refused_beside_the_field(client, db, auth, make_event, data,
                                                                       message):
    event = make_event()
    auth.login("organiser")
    response = submit(client, settings_url(event), edit_data(event, title="Not saved", logo=upload(data, "logo.png")))
    assert response.status_code == 200
    assert message in error_beside(response.get_data(as_text=True), "logo")
    db.session.expire_all()
    assert event.logo is None and event.title != "Not saved"


def test_the_service_refuses_a_renamed_text_file_too(db, make_event):
    event = make_event()
    with pytest.raises(event_services.EventError) as refused:
        event_services.update_event(event, logo=b"just text, named logo.png")
    assert refused.value.field == "logo"


def test_badge_colours_are_edited_per_role_and_group_and_reach_the_legend(client, db, auth, make_event):
    from events_app.documents.data import event_info
    from events_app.events.colours import ROLE_COLOURS

    event = make_event()
    auth.login("organiser")
    page = client.get(settings_url(event)).get_data(as_text=True)
    assert 'id="colour_speaker" name="colour_speaker" type="color" value="#c0392b"' in page
    assert 'name="colour_trade_union"' in page
    response = submit(client, settings_url(event), edit_data(
        event, badge_colour_by="stakeholder_group", colour_ngo="#123ABC", colour_speaker=ROLE_COLOURS["speaker"]))
    assert response.status_code == 302
    db.session.expire_all()
    assert event.badge_colours == {"ngo": "#123abc"}  # only what differs from the defaults
    info = event_info(event)
    assert info.colour_by == "stakeholder_group" and info.colour("ngo").colour == "#123abc"
    page = client.get(settings_url(event)).get_data(as_text=True)
    assert 'name="colour_ngo" type="color" value="#123abc"' in page


@pytest.mark.parametrize("value", ["red", "#12345", "#1234567", "#12345g"])
def test_a_badge_colour_that_is_not_rrggbb_is_refused_beside_it(client, db, auth, make_event, value):
    event = make_event()
    auth.login("organiser")
    response = submit(client, settings_url(event), edit_data(event, colour_press=value))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert error_beside(html, "colour_press") == "Enter a colour as #rrggbb, e.g. #1f5fa8."
    assert "<details class=\"more\" open>" in html  # the editor opens to show the mistake
    with pytest.raises(event_services.EventError):
        event_services.update_event(event, badge_colours={"press": value})
