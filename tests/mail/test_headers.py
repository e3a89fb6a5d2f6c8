"""Header injection: no line break from user input reaches a header; sender and reply-to are configuration."""
import pytest
from sqlalchemy import select

from events_app.mail import outbox
from events_app.mail.headers import UnsafeHeaderError, safe_headers
from events_app.mail.models import OutboxMessage, OutboxStatus
from events_app.mail.sender import deliver_due
from events_app.mail.transport import Envelope, build_message

INJECTIONS = [
    "Hello\r\nBcc: victim@example.org",
    "Hello\nBcc: victim@example.org",
    "Hello\rBcc: victim@example.org",
    "Hello\u2028Bcc: victim@example.org",
]


@pytest.mark.parametrize("subject", INJECTIONS)
def test_queueing_a_subject_with_a_line_break_is_refused(db, subject):
    with pytest.raises(UnsafeHeaderError):
        outbox.queue("bulk", recipient="someone@example.org", subject=subject, body_text="hi")


@pytest.mark.parametrize("recipient", ["a@example.org\r\nBcc: victim@example.org",
                                       "a@example.org, b@example.org", "Eve <eve@example.org>",
                                       "not-an-address"])
def test_queueing_for_anything_but_one_plain_address_is_refused(db, recipient):
    with pytest.raises(UnsafeHeaderError):
        outbox.queue("bulk", recipient=recipient, subject="Hello", body_text="hi")


@pytest.mark.parametrize("headers", [{"X-Note": "ok\r\nBcc: victim@example.org"}, {"X-Bad\r\nBcc": "x"},
                                     {"Bcc: victim@example.org\r\nX": "y"}])
def test_extra_headers_with_line_breaks_are_refused(headers):
    # Flask-Mail 0.10 checks subject and addresses, but copies extra_headers as they are.
    with pytest.raises(UnsafeHeaderError):
        safe_headers(headers)


def test_a_row_tampered_in_the_database_fails_and_is_never_sent(db, smtp_server):
    message = outbox.queue("bulk", recipient="target@example.org", subject="Hello", body_text="hi")
    db.session.flush()
    db.session.get(OutboxMessage, message.id).subject = "Hello\r\nBcc: victim@example.org"
    db.session.commit()

    report = deliver_due()

    assert report.failed == [message.id]
    assert smtp_server.received == []
    db.session.rollback()
    row = db.session.scalar(select(OutboxMessage))
    assert row.status == OutboxStatus.FAILED and row.last_error.startswith("refused:")


def test_names_with_line_breaks_stay_in_the_body_and_headers_come_from_configuration(app, db, smtp_server,
                                                                                       symposium, register):
    # Whatever a delegate types, their name never becomes a header; sender and reply-to are config.
    register(symposium, full_name="Mallory\r\nBcc: victim@example.org", email="mallory@example.org")
    deliver_due()
    [received] = smtp_server.received
    assert received.rcpt_tos == ["mallory@example.org"]
    assert received.message["Bcc"] is None
    assert received.message["From"] == "Mekong Events <events@mekong.test>"
    assert received.message["Reply-To"] == "secretariat@mekong.test"


def test_a_configured_sender_with_a_line_break_is_refused(app, mail_settings):
    mail_settings["MAIL_DEFAULT_SENDER"] = "events@mekong.test\r\nBcc: victim@example.org"
    envelope = Envelope(1, "bulk", "a@example.org", "Hello", "hi", "", ())
    with app.app_context(), pytest.raises(UnsafeHeaderError):
        build_message(envelope)
