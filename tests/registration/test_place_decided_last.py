"""A place is decided last, under the lock: whoever finds no place there is waitlisted, told once."""
from sqlalchemy import event as sa_event
from sqlalchemy import select

from events_app.choices import Status
from events_app.events.models import Quota
from events_app.mail.models import OutboxMessage
from events_app.mail.render import render_message
from events_app.registration import capacity, lifecycle, services
from events_app.registration.models import StatusChange
from tests.conftest import delegate_data


def _mails(db, registration):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.registration_id == registration.id)).all()


def test_no_place_under_the_lock_the_delegate_is_waitlisted_and_told_once(db, make_event, monkeypatch):
    event = make_event(capacity=1)
    services.register(event, delegate_data(1))
    db.session.commit()
    calls = []

    def noted_check_place(event, registration):
        calls.append(1)
        return capacity.check_place(event, registration)

    monkeypatch.setattr(lifecycle, "check_place", noted_check_place)
    outcome = services.register(event, delegate_data(2))
    db.session.commit()

    registration = outcome.registration
    assert len(calls) == 1, "the places are counted once, under the lock"
    assert (registration.status, registration.waitlist_position) == (Status.WAITLISTED, 1)
    history = db.session.scalars(select(StatusChange).where(StatusChange.registration_id == registration.id)).all()
    assert [(c.from_status, c.to_status) for c in history] == [(None, Status.WAITLISTED)]
    mails = _mails(db, registration)
    assert len(mails) == 1 and mails[0].kind == "registration_received"
    assert "waiting list" in render_message(mails[0]).text and mails[0].attachments == []


def test_a_free_place_under_the_lock_is_given_with_the_calendar_and_ticket(db, make_event):
    event = make_event(capacity=5)
    outcome = services.register(event, delegate_data(1))
    db.session.commit()

    registration = outcome.registration
    assert (registration.status, registration.waitlist_position) == (Status.APPROVED, None)
    mails = _mails(db, registration)
    assert len(mails) == 1 and len(mails[0].attachments) == 2  # the calendar file and the ticket


def test_capacity_and_quota_are_counted_in_one_statement_under_the_lock(db, make_event):
    event = make_event(capacity=3)
    db.session.add(Quota(event_id=event.id, kind="country", value="TH", places=1))
    db.session.commit()
    counts = []

    def note(conn, cursor, sql, *rest):
        if "count(" in sql.lower():
            counts.append(sql)

    sa_event.listen(db.engine, "before_cursor_execute", note)
    try:
        first = services.register(event, {**delegate_data(1), "country": "TH"}).registration
        db.session.commit()
        assert len(counts) == 1, counts
        second = services.register(event, {**delegate_data(2), "country": "TH"}).registration
        other = services.register(event, {**delegate_data(3), "country": "VN"}).registration
        db.session.commit()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", note)
    assert (first.status, second.status, other.status) == (Status.APPROVED, Status.WAITLISTED, Status.APPROVED)
    assert second.history[-1].to_status == Status.WAITLISTED and second.waitlist_position == 1
