"""A place is decided last, under the lock: whoever is overtaken for the last place is waitlisted, told once."""
from sqlalchemy import select

from events_app.choices import Status
from events_app.mail.models import OutboxMessage
from events_app.mail.render import render_message
from events_app.registration import capacity, lifecycle, services
from events_app.registration.models import StatusChange
from tests.conftest import delegate_data


def test_overtaken_for_the_last_place_the_delegate_is_waitlisted_and_told_once(db, make_event, monkeypatch):
    event = make_event(capacity=1)
    services.register(event, delegate_data(1))
    db.session.commit()
    calls = []

    def first_look_sees_a_place(event, registration):
        # The look before the lock is stale (another request took the place meanwhile); the one under it is not.
        calls.append(1)
        return capacity.FITS if len(calls) == 1 else capacity.check_place(event, registration)

    monkeypatch.setattr(lifecycle, "check_place", first_look_sees_a_place)
    outcome = services.register(event, delegate_data(2))
    db.session.commit()

    registration = outcome.registration
    assert len(calls) == 2
    assert (registration.status, registration.waitlist_position) == (Status.WAITLISTED, 1)
    history = db.session.scalars(select(StatusChange).where(StatusChange.registration_id == registration.id)).all()
    assert [(c.from_status, c.to_status) for c in history] == [(None, Status.WAITLISTED)]
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.registration_id == registration.id)).all()
    assert len(mails) == 1 and mails[0].kind == "registration_received"
    assert "waiting list" in render_message(mails[0]).text and mails[0].attachments == []


def test_a_place_guessed_full_that_is_free_under_the_lock_is_given(db, make_event, monkeypatch):
    event = make_event(capacity=5)
    calls = []

    def first_look_sees_it_full(event, registration):
        calls.append(1)
        return capacity.PlaceCheck(False, capacity.Limit.CAPACITY) if len(calls) == 1 else capacity.FITS

    monkeypatch.setattr(lifecycle, "check_place", first_look_sees_it_full)
    outcome = services.register(event, delegate_data(1))
    db.session.commit()

    registration = outcome.registration
    assert (registration.status, registration.waitlist_position) == (Status.APPROVED, None)
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.registration_id == registration.id)).all()
    assert len(mails) == 1 and len(mails[0].attachments) == 2  # the calendar file and the ticket
