"""The private link: edit until the deadline, re-approval of important changes, lost links, new links."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from events_app.choices import Status
from events_app.mail.models import OutboxMessage
from events_app.mail.render import render_message
from events_app.registration import lifecycle, services
from events_app.registration.models import Registration
from tests.conftest import submit
from tests.registration.test_form import VALID


def _edit(client, registration, **changes):
    url = f"/r/{registration.token}/edit"
    data = {**VALID, "email": registration.email, **changes}
    return submit(client, url, data, follow_redirects=True).get_data(as_text=True)


def test_registrant_changes_details_and_is_told(client, db, make_event, make_registration):
    event = make_event()
    registration = make_registration(event, full_name="Somchai Jaidee")
    html = _edit(client, registration, organisation="Department of Employment", phone="+66 81 234 5678")
    assert "Your details are saved." in html
    db.session.refresh(registration)
    assert registration.organisation == "Department of Employment" and registration.phone == "+66812345678"
    assert registration.status == Status.APPROVED
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "details_changed")).one()
    assert "Organisation" in render_message(message).text


def test_the_same_languages_in_another_order_are_no_change(db, make_event, make_registration):
    """An imported "km en" edited through the form (which lists English first) is not a change of interpretation."""
    registration = make_registration(make_event(), languages=["km", "en"])
    changed = services.update_details(registration, {"organisation": "Ministry of Labour", "languages": ["en", "km"]})
    assert changed == ["organisation"] and registration.languages == ["km", "en"]
    assert services.update_details(registration, {"languages": ["en"]}) == ["languages"]


def test_a_change_the_organiser_cares_about_sends_it_back_for_approval(client, db, make_event, make_registration):
    event = make_event(approval_required=True, capacity=1, reapproval_fields=["organisation"])
    registration, waiting = make_registration(event), make_registration(event)
    lifecycle.change_status(registration, Status.APPROVED, notify=False)
    lifecycle.change_status(waiting, Status.WAITLISTED, notify=False)
    db.session.commit()
    html = _edit(client, registration, organisation="Another Organisation")
    assert "The organisers will review the changes." in html
    db.session.refresh(registration)
    db.session.refresh(waiting)
    assert registration.status == Status.PENDING
    assert "organisation" in registration.history[-1].reason
    assert waiting.status == Status.APPROVED  # the freed place went to the waiting list


def test_no_editing_after_the_deadline(client, db, make_event, make_registration):
    event = make_event(edit_deadline=datetime.now(UTC) - timedelta(minutes=1))
    registration = make_registration(event)
    html = client.get(f"/r/{registration.token}/edit", follow_redirects=True).get_data(as_text=True)
    assert "can no longer be changed online" in html
    assert "Change my details" not in client.get(f"/r/{registration.token}").get_data(as_text=True)


def test_edit_to_an_email_already_registered_is_refused_beside_the_field(client, db, make_event, make_registration):
    event = make_event()
    first, second = make_registration(event), make_registration(event)
    response = submit(client, f"/r/{second.token}/edit", {**VALID, "email": first.email})
    assert "Another registration for this event uses this email address." in response.get_data(as_text=True)


def test_lost_link_answers_the_same_and_emails_only_registered_addresses(client, db, make_event, make_registration):
    event = make_event()
    registration = make_registration(event)
    url = f"/events/{event.slug}/lost-link"
    known = submit(client, url, {"email": registration.email.upper()}, follow_redirects=True).get_data(as_text=True)
    unknown = submit(client, url, {"email": "stranger@example.org"}, follow_redirects=True).get_data(as_text=True)
    assert "If this address is registered" in known
    assert known.replace(registration.email.upper(), "") == unknown.replace("stranger@example.org", "")
    sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "lost_link")).all()
    assert [m.recipient for m in sent] == [registration.email]
    assert registration.token in render_message(sent[0]).text


def test_organiser_makes_a_new_private_link(client, db, auth, make_event, make_registration):
    event = make_event()
    registration = make_registration(event)
    old = registration.token
    auth.login("organiser")
    page = f"/manage/events/{event.slug}/delegates/{registration.id}"
    html = submit(client, f"{page}/token", {}, page=page, follow_redirects=True).get_data(as_text=True)
    assert "A new private link was emailed" in html
    db.session.refresh(registration)
    assert registration.token != old and len(registration.token) >= 43
    assert client.get(f"/r/{old}").status_code == 404
    assert client.get(f"/r/{registration.token}").status_code == 200


def test_extra_questions_are_asked_and_stored(client, db, make_event):
    from events_app.events.models import Question

    event = make_event()
    db.session.add_all([
        Question(event_id=event.id, key="workshop", label="Which workshop?", kind="choice",
                 options=["Recruitment fees", "Return and reintegration"], required=True, position=1),
        Question(event_id=event.id, key="first_time", label="First time at the symposium?", kind="yes_no"),
    ])
    db.session.commit()
    url = f"/events/{event.slug}/register"
    missing = submit(client, url, VALID).get_data(as_text=True)
    assert "Please choose an answer." in missing
    response = submit(client, url, {**VALID, "q_workshop": "Recruitment fees", "q_first_time": "y"})
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert registration.answers == {"workshop": "Recruitment fees", "first_time": True}
