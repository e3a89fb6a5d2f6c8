"""Organisers approve, decline and waitlist from the list; capacity is respected and the delegate is told."""
import pytest
from sqlalchemy import select

from events_app.choices import Status
from events_app.mail.models import OutboxMessage
from events_app.mail.render import render_message
from tests.conftest import submit


def _act(client, event, registration, action, reason=""):
    return submit(client, f"/manage/events/{event.slug}/delegates/{registration.id}/status",
                  {"action": action, "reason": reason}, page=f"/manage/events/{event.slug}/",
                  follow_redirects=True).get_data(as_text=True)


def test_decline_with_a_reason_is_recorded_and_sent(client, db, auth, make_event, make_registration):
    event = make_event(approval_required=True)
    registration = make_registration(event)
    user = auth.login("organiser")
    html = _act(client, event, registration, "decline", "The meeting is for government delegates only.")
    assert "is now Declined" in html
    db.session.refresh(registration)
    assert registration.status == Status.DECLINED
    change = registration.history[-1]
    assert (change.from_status, change.to_status, change.by_user_id) == (Status.PENDING, Status.DECLINED, user.id)
    assert change.reason == "The meeting is for government delegates only."
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.registration_id == registration.id)
                                 .order_by(OutboxMessage.id.desc())).first()
    assert message.recipient == registration.email
    assert "The meeting is for government delegates only." in render_message(message).text


@pytest.mark.parametrize(("waitlist_when_full", "message", "status"), [
    (True, "waiting list: no place is free", Status.WAITLISTED),
    (False, "The event is full.", Status.PENDING),  # the event says so: refused, left pending
], ids=["waitlists-with-a-message", "refused-when-the-event-says-so"])
def test_approving_beyond_capacity(client, db, auth, make_event, make_registration, waitlist_when_full, message,
                                   status):
    event = make_event(approval_required=True, capacity=1, waitlist_when_full=waitlist_when_full)
    first, second = make_registration(event), make_registration(event)
    auth.login("organiser")
    _act(client, event, first, "approve")
    html = _act(client, event, second, "approve")
    assert message in html
    db.session.refresh(second)
    assert second.status == status


def test_cancelling_an_approved_delegate_promotes_the_first_waitlisted(client, db, auth, make_event, make_registration):
    event = make_event(capacity=1)
    holder, waiting = make_registration(event), make_registration(event)
    assert (holder.status, waiting.status) == (Status.APPROVED, Status.WAITLISTED)
    auth.login("organiser")
    _act(client, event, holder, "cancel")
    db.session.refresh(waiting)
    assert waiting.status == Status.APPROVED
    assert waiting.history[-1].actor == "system"


def test_the_list_searches_names_in_any_script(client, db, auth, make_event, make_registration):
    event = make_event()
    make_registration(event, full_name="ခင်မာဦး", name_latin="Khin Mar Oo")
    make_registration(event, full_name="Maria Santos")
    auth.login("organiser")
    html = client.get(f"/manage/events/{event.slug}/?q=khin").get_data(as_text=True)
    assert "ခင်မာဦး" in html and "Maria Santos" not in html
    html = client.get(f"/manage/events/{event.slug}/?q=ခင်မာ").get_data(as_text=True)
    assert "ခင်မာဦး" in html


def test_the_return_path_stays_in_the_workspace(client, db, auth, make_event, make_registration):
    event = make_event(approval_required=True)
    auth.login("organiser")
    listing, back = f"/manage/events/{event.slug}/", f"/manage/events/{event.slug}/duplicates"
    # A return path off the workspace is a tampered form: nothing is changed and the list is shown.
    for target, expected, status in [(back, back, Status.APPROVED),
                                     ("https://evil.example/manage/", listing, Status.PENDING),
                                     ("/manage//evil.example", listing, Status.PENDING)]:
        registration = make_registration(event)
        response = submit(client, f"{listing}delegates/{registration.id}/status",
                          {"action": "approve", "back": target}, page=listing)
        assert (response.status_code, response.headers["Location"]) == (302, expected), target
        db.session.refresh(registration)
        assert registration.status == status, target
