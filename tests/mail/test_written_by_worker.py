"""Emails are written by the mail worker, not in the request: what is frozen, what is current, what cannot be."""
from flask import template_rendered
from sqlalchemy import delete, select

from events_app.choices import FIELD_LABELS, Status
from events_app.mail import messages
from events_app.mail.models import OutboxMessage, OutboxStatus
from events_app.mail.render import render_message
from events_app.mail.sender import deliver_due
from events_app.models import utcnow
from events_app.registration import lifecycle
from events_app.registration.models import Registration, StatusChange


def fresh(db, message_id: int) -> OutboxMessage:
    db.session.expire_all()
    row = db.session.get(OutboxMessage, message_id)
    db.session.rollback()  # release SQLite's write lock for the sender
    return row


def test_queueing_renders_no_template_and_records_what_to_write(app, db, make_event, register):
    event = make_event(approval_required=True)
    rendered = []

    def record(_sender, template, **_extra):
        rendered.append(template.name)

    template_rendered.connect(record, app)
    try:
        registration = register(event, full_name="Sok Dara", email="dara@example.org", locale="km")
    finally:
        template_rendered.disconnect(record, app)
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert rendered == [], "no template is rendered while the registration is being made"
    assert (message.subject, message.body_text, message.body_html) == (None, None, None)
    assert (message.kind, message.recipient, message.locale) == ("registration_received", "dara@example.org", "km")
    assert (message.registration_id, message.event_id) == (registration.id, event.id)
    assert message.context == {"status": "pending"}


def test_the_worker_writes_the_current_name_and_the_status_the_email_announced(db, smtp_server, make_event,
                                                                              register):
    event = make_event(approval_required=True)
    registration = register(event, full_name="Sok Dara", email="dara@example.org")
    registration.full_name = "Sok Darareth"  # corrected before the email left
    lifecycle.change_status(registration, Status.APPROVED, actor="organiser")  # its own email follows
    db.session.commit()

    assert len(deliver_due().sent) == 2
    received, approved = smtp_server.to("dara@example.org")
    assert "Dear Sok Darareth," in received.text, "the name as it is when the email is written"
    assert "The organisers will review your registration" in received.text, "the status it announced"
    assert "Status: Pending" in received.text and "Approved" not in received.text
    assert "has been approved" in approved.text


def test_the_written_message_is_stored_when_claimed_and_a_retry_sends_it_identically(db, smtp_server, symposium,
                                                                                  register):
    smtp_server.handler.replies = ["451 4.3.0 try again later"]
    registration = register(symposium, full_name="Nguyễn Thị Lan", email="lan@example.vn")
    [message_id] = db.session.scalars(select(OutboxMessage.id)).all()

    assert deliver_due().retrying == [message_id]
    first = fresh(db, message_id)
    assert first.status == OutboxStatus.QUEUED and "Dear Nguyễn Thị Lan," in first.body_text
    assert first.subject == f"Your registration for {symposium.title}"

    registration.full_name = "Nguyen Thi Lan"  # changed after the first attempt was written
    db.session.commit()
    assert deliver_due(now=utcnow() + (first.next_attempt_at - utcnow()) * 2).sent == [message_id]
    [received] = smtp_server.to("lan@example.vn")
    assert "Dear Nguyễn Thị Lan," in received.text, "every attempt sends the message as first written"
    assert received.message["Message-ID"] == first.message_id


def test_a_message_whose_registration_was_deleted_fails_once_with_the_reason(db, smtp_server, symposium, register):
    registration = register(symposium, email="gone@example.org")
    [message_id] = db.session.scalars(select(OutboxMessage.id)).all()
    db.session.execute(delete(StatusChange).where(StatusChange.registration_id == registration.id))
    db.session.execute(delete(Registration).where(Registration.id == registration.id))
    db.session.commit()

    report = deliver_due()
    assert report.failed == [message_id] and report.sent == []
    row = fresh(db, message_id)
    assert row.status == OutboxStatus.FAILED and row.last_error == "not sent: its registration was deleted"
    assert row.attempts == 1 and row.body_text is None
    assert deliver_due().claimed == [], "not retried"
    assert smtp_server.received == []


def test_a_template_error_fails_the_message_and_the_rest_of_the_batch_goes(db, smtp_server, symposium,
                                                                           make_registration, monkeypatch):
    broken = make_registration(symposium, email="broken@example.org")
    fine = make_registration(symposium, email="fine@example.org")
    messages.reminder(broken, days=3)
    messages.lost_link(fine)
    db.session.commit()

    def failing_render_body(kind, **context):
        if kind == "reminder":
            raise KeyError("starts_in")
        return original(kind, **context)

    from events_app.mail import render

    original = render.render_body
    monkeypatch.setattr(render, "render_body", failing_render_body)
    report = deliver_due()
    assert len(report.failed) == 1 and len(report.sent) == 1
    [failed] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)).all()
    assert failed.kind == "reminder"
    assert failed.last_error == "not sent: the reminder email could not be written (KeyError)"
    assert [r.rcpt_tos for r in smtp_server.received] == [["fine@example.org"]]


def test_reading_a_message_before_it_is_sent_writes_it_and_stores_nothing(db, client, auth, symposium, register):
    registration = register(symposium, full_name="សុខ ដារ៉ា", email="dara@example.org")
    message = db.session.scalar(select(OutboxMessage))
    auth.login("organiser")
    page = client.get(f"/manage/mail/{message.id}").get_data(as_text=True)
    listed = client.get("/manage/mail/").get_data(as_text=True)
    framed = client.get(f"/manage/mail/{message.id}/html").get_data(as_text=True)

    assert f"Your registration for {symposium.title}" in page and "សុខ ដារ៉ា" in page
    assert f">Your registration for {symposium.title}</a>" in listed
    assert f"http://events.test/r/{registration.token}" in framed
    assert fresh(db, message.id).body_text is None, "only the worker stores the written message"


def test_changed_fields_are_named_in_the_language_the_email_is_written_in(db, symposium, make_registration):
    registration = make_registration(symposium, locale="km")
    message = messages.details_changed(registration, changes=[FIELD_LABELS["organisation"], "Dietary needs"])
    assert message.context["changes"] == [{"field": "organisation"}, "Dietary needs"]
    written = render_message(message)
    assert written.locale == "km"
    assert "ស្ថាប័ន, Dietary needs" in written.text, "the field's label in Khmer, text given as it was"


def test_a_bulk_message_fills_its_placeholders_when_written(db, smtp_server, symposium, make_registration):
    registration = make_registration(symposium, full_name="Mary Santos", email="mary@example.ph")
    messages.bulk(registration, subject="For {full_name}", body="Dear {full_name},\n\nSee you.")
    db.session.commit()
    registration.full_name = "Maria Santos"
    db.session.commit()
    deliver_due()
    [received] = smtp_server.to("mary@example.ph")
    assert received.message["Subject"] == "For Maria Santos"
    assert received.text.startswith("Dear Maria Santos,")


def test_migration_0013_keeps_written_rows_and_fails_unwritten_ones_on_the_way_down(app, db, symposium, register):
    import flask_migrate
    from sqlalchemy import text

    from events_app.mail import outbox

    register(symposium, email="unwritten@example.org")
    written = outbox.queue("lost_link", recipient="written@example.org", subject="Your link", body_text="link\n")
    db.session.commit()
    written_id = written.id
    db.session.remove()
    flask_migrate.downgrade(revision="0012")
    try:
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT recipient, subject, body_text, body_html, status, last_error "
                                           "FROM outbox ORDER BY recipient")).all()
    finally:
        flask_migrate.upgrade()
    assert [tuple(row) for row in rows] == [
        ("unwritten@example.org", "", "", "", "failed", "not written before the downgrade to 0012"),
        ("written@example.org", "Your link", "link\n", "", "queued", ""),
    ]
    again = db.session.get(OutboxMessage, written_id)
    assert again.context is None and render_message(again).text == "link\n", "a row written before 0013 stays valid"
