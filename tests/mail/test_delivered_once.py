"""Mail is delivered once: a failed recording is retried (not the sending), and an unknown outcome is noted.

The outcome of an SMTP delivery is only certain once the server's final reply arrives. These tests use
the real SMTP server (aiosmtpd) and inject the faults the issue measured: the database failing while
the worker records a delivery, a server that takes the whole message and never answers, and a worker
that vanishes between the server's acceptance and the recording.
"""
import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.exc import OperationalError

from events_app.extensions import db
from events_app.mail import sender
from events_app.mail.models import OutboxMessage, OutboxStatus
from events_app.mail.sender import claim, deliver_due
from events_app.models import utcnow
from tests.mail.conftest import RecordingHandler, SMTPServer


def _rows():
    db.session.rollback()
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    db.session.rollback()
    return rows


class KeepsThenHangs(RecordingHandler):
    """A server that stores the message, then takes `delay` seconds to say so (a real failure mode)."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        delay, self.delay = self.delay, 0
        reply = await super().handle_DATA(server, session, envelope)
        self.delay = delay
        await asyncio.sleep(delay)
        return reply


@pytest.fixture()
def no_waiting(monkeypatch):
    """Record the worker's pauses between recording attempts instead of sleeping through them."""
    waits = []
    monkeypatch.setattr(sender, "stop_for", waits.append)
    return waits


def test_a_database_failure_while_recording_is_retried_and_the_message_is_not_sent_again(
        app, db, smtp_server, symposium, register, no_waiting):
    register(symposium, email="once@example.org")
    failures = {"left": 3}

    def fail_recording(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE OUTBOX") and "sent_at" in statement \
                and failures["left"]:
            failures["left"] -= 1
            raise OperationalError(statement, parameters, Exception("server closed the connection unexpectedly"))

    event.listen(db.engine, "before_cursor_execute", fail_recording)
    try:
        report = deliver_due()
    finally:
        event.remove(db.engine, "before_cursor_execute", fail_recording)

    assert failures["left"] == 0, "the fault was injected three times"
    assert len(no_waiting) == 3, "the worker waited before each new recording attempt"
    assert len(smtp_server.to("once@example.org")) == 1, "delivered once, not once per failed recording"
    (row,) = _rows()
    assert row.status == OutboxStatus.SENT and row.last_error == ""
    assert report.sent == [row.id] and not report.lost


def test_a_server_that_takes_the_message_and_never_answers_leaves_an_unknown_outcome_sent_again_with_the_same_id(
        app, db, stopped_smtp_server, symposium, register, mail_settings):
    mail_settings.update(MAIL_TIMEOUT=0.5)
    register(symposium, email="silent@example.org")
    register(symposium, email="next@example.org")
    handler = KeepsThenHangs(delay=1.5)  # the whole message arrives; the final reply never comes in time
    smtp_server = SMTPServer(port=mail_settings["MAIL_PORT"], handler=handler).start()
    try:
        first = deliver_due()
        after_first = [(row.status, row.last_error) for row in _rows()]
        handler.delay = 0
        deliver_due(now=utcnow() + timedelta(days=1))
    finally:
        smtp_server.stop()

    assert not first.sent and len(first.retrying) == 2
    (silent_status, silent_note), (_, following_note) = after_first
    assert silent_status == OutboxStatus.QUEUED
    assert silent_note.startswith("outcome unknown") and "same Message-ID" in silent_note
    assert following_note.startswith("not tried"), "the next message never went out: no doubt about it"
    copies = smtp_server.to("silent@example.org")
    assert len(copies) == 2, "the server kept the first copy, so the retry is a duplicate a client can spot"
    silent, following = _rows()
    assert {c.message["Message-ID"].strip("<>") for c in copies} == {silent.message_id.strip("<>")}
    assert len(smtp_server.to("next@example.org")) == 1
    assert silent.status == following.status == OutboxStatus.SENT
    assert "may have it twice" in silent.last_error and following.last_error == ""


def test_a_worker_that_vanished_mid_send_is_noted_and_its_message_goes_with_the_same_message_id(
        app, db, smtp_server, symposium, register, mail_settings):
    mail_settings.update(MAIL_LEASE_SECONDS=60)
    register(symposium, email="vanished@example.org")
    ids, _ = claim(limit=10, now=utcnow())  # a worker claims it, then is killed before recording anything
    assert len(ids) == 1

    report = deliver_due(now=utcnow() + timedelta(minutes=5))  # after the dead worker's lease

    assert report.sent == ids
    (row,) = _rows()
    assert row.status == OutboxStatus.SENT and "may have it twice" in row.last_error
    (received,) = smtp_server.to("vanished@example.org")
    assert received.message["Message-ID"].strip("<>") == row.message_id.strip("<>")


def test_a_delivery_recorded_after_its_lease_ran_out_is_still_recorded_as_sent(
        app, db, smtp_server, symposium, register):
    register(symposium, email="late@example.org")
    ids, lease_until = claim(limit=10, now=utcnow())
    db.session.execute(update(OutboxMessage).values(status=OutboxStatus.QUEUED, locked_until=None))
    db.session.commit()  # as if our lease had run out and the row had been released meanwhile
    report = sender.Report()

    sender._record_sent(ids[0], lease_until, report)

    assert report.sent == ids
    (row,) = _rows()
    assert row.status == OutboxStatus.SENT, "a message the server accepted is never queued again"
