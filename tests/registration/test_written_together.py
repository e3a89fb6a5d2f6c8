"""The form's registration, its history row and its email are written together (one statement on PostgreSQL)."""
import dataclasses

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from events_app.choices import Status
from events_app.extensions import db as _db
from events_app.mail.models import OutboxMessage
from events_app.registration import rows, services
from events_app.registration.models import Registration, StatusChange
from tests.conftest import csrf_token

VALID = {"full_name": "Delegate One", "email": "one@example.org", "organisation": "MMN",
         "stakeholder_group": "ngo", "country": "TH", "data_consent": "y", "locale": "km"}


@pytest.fixture
def inserts(db):
    """The statements that INSERT, as they are executed."""
    seen = []

    def note(conn, cursor, sql, *rest):
        if "insert into" in sql.lower():
            seen.append(sql)

    sa_event.listen(db.engine, "before_cursor_execute", note)
    yield seen
    sa_event.remove(db.engine, "before_cursor_execute", note)


def _post(client, event, **fields):
    """GET the form, then POST it from an empty session, as in production (so the cached event is used)."""
    url = f"/events/{event.slug}/register"
    token = csrf_token(client.get(url).get_data(as_text=True))
    _db.session.close()
    response = client.post(url, data={**VALID, "csrf_token": token, **fields})
    assert response.status_code == 302
    return response


def _rows(db, email="one@example.org"):
    registration = db.session.scalar(select(Registration).where(Registration.email == email))
    history = db.session.scalars(select(StatusChange).where(StatusChange.registration_id == registration.id)).all()
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.registration_id == registration.id)).all()
    return registration, history, mails


def _one_statement_on_postgresql(db, inserts, expected_elsewhere):
    expected = 1 if db.engine.dialect.name == "postgresql" else expected_elsewhere
    assert len(inserts) == expected, inserts


@pytest.mark.parametrize("fields", [{}, {"approval_required": True}, {"capacity": 5}])
def test_the_three_rows_are_written_with_the_registration_s_id(client, db, make_event, inserts, fields):
    event = make_event(**fields)
    event_id = event.id
    inserts.clear()
    _post(client, event, submission_key="k1")
    _one_statement_on_postgresql(db, inserts, 3)
    registration, history, mails = _rows(db)
    status = Status.PENDING if fields.get("approval_required") else Status.APPROVED
    assert registration.status == status and registration.submission_key == "k1"
    assert [(change.from_status, change.to_status, change.actor) for change in history] == [
        (None, status, "registrant")]
    (mail,) = mails
    assert (mail.kind, mail.recipient, mail.locale, mail.event_id) == (
        "registration_received", "one@example.org", "km", event_id)
    assert mail.context == {"status": status.value} and mail.message_id
    attachments = [(spec["kind"], spec["registration_id"]) for spec in mail.attachments]
    assert attachments == ([] if status == Status.PENDING else [("ics", registration.id), ("ticket", registration.id)])


def test_with_no_place_left_the_delegate_is_written_waitlisted_and_told_so(client, db, make_event, inserts):
    event = make_event(capacity=1)
    _post(client, event, email="first@example.org")
    inserts.clear()
    _post(client, event)
    _one_statement_on_postgresql(db, inserts, 3)
    registration, history, mails = _rows(db)
    assert (registration.status, registration.waitlist_position) == (Status.WAITLISTED, 1)
    assert [change.to_status for change in history] == [Status.WAITLISTED]
    assert [(mail.context, mail.attachments) for mail in mails] == [({"status": "waitlisted"}, [])]


def test_a_long_form_writes_its_email_in_a_statement_of_its_own(client, db, make_event, inserts, monkeypatch):
    monkeypatch.setattr(rows, "CACHED_PARAMETERS", 10)  # as if the form filled every column
    event = make_event()
    inserts.clear()
    _post(client, event)
    assert len(inserts) == (2 if db.engine.dialect.name == "postgresql" else 3), inserts
    registration, history, mails = _rows(db)
    assert [change.to_status for change in history] == [Status.APPROVED]
    assert [mail.kind for mail in mails] == ["registration_received"]


def test_a_lost_race_for_the_email_leaves_no_email_of_its_own(client, db, make_event, monkeypatch):
    event = make_event()
    _post(client, event, submission_key="first")
    real = services._look_up

    def not_there_yet(*args, **kwargs):  # the other request had not committed when this one looked
        return dataclasses.replace(real(*args, **kwargs), existing=None)

    monkeypatch.setattr(services, "_look_up", not_there_yet)
    _post(client, event, submission_key="second")
    assert db.session.scalars(select(Registration.submission_key)).all() == ["first"]
    kinds = db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == ["registration_received", "lost_link"]  # the winner's confirmation, then the link again
