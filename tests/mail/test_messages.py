"""Every email the app sends: what the delegate reads, in their language, and reminders that never repeat."""
from datetime import timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from events_app.choices import Status
from events_app.mail import bulk, messages
from events_app.mail.models import OutboxMessage
from events_app.mail.reminders import queue_due_reminders
from events_app.mail.render import render_message
from events_app.mail.sender import deliver_due
from events_app.models import utcnow
from events_app.registration import lifecycle
from tests.conftest import events_today
from tests.mail.conftest import invite


def rows(db, kind=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.scalars(query).all()


@pytest.mark.parametrize(("kind", "call", "subject", "phrase"), [
    ("approved", messages.approved, "Your place at {event} is confirmed", "has been approved"),
    ("waitlisted", messages.waitlisted, "You are on the waiting list for {event}", "waiting list"),
    ("promoted", messages.promoted, "A place is now yours at {event}", "moved from the waiting list"),
    ("declined", lambda r: messages.declined(r, reason="Places are reserved for government delegates."),
     "Your registration for {event}", "Places are reserved for government delegates."),
    ("cancelled", lambda r: messages.cancelled(r, reason="Duplicate registration"),
     "Your registration for {event} is cancelled", "Duplicate registration"),
    ("details_changed", lambda r: messages.details_changed(r, changes=["Organisation", "Dietary needs"]),
     "Your details for {event} were updated", "Organisation, Dietary needs"),
    ("lost_link", messages.lost_link, "Your private link for {event}", "already registered"),
    ("reminder", lambda r: messages.reminder(r, days=3), "Reminder: {event} is coming soon",
     "starts in 3 days"),
    ("visa_letter_ready", messages.visa_letter_ready, "Your visa invitation letter for {event}",
     "visa invitation letter"),
])
def test_each_email_names_the_event_dates_venue_and_private_link(db, symposium, make_registration, kind, call,
                                                                 subject, phrase):
    registration = make_registration(symposium, full_name="Nguyễn Thị Lan", name_latin="Nguyen Thi Lan")
    message = call(registration)
    db.session.commit()

    assert message.kind == kind
    assert message.body_text is None, "written by the worker, not when queued"
    written = render_message(message)
    assert written.subject == subject.format(event=symposium.title)
    link = f"http://events.test/r/{registration.token}"
    for body in (written.text, written.html):
        assert "Nguyễn Thị Lan" in body
        assert phrase in body
        assert link in body
        assert "UN Conference Centre, Bangkok, Thailand" in body
        assert format_date(symposium.starts_on, "medium", locale="en") in body
    assert "\n\n\n" not in written.text


def test_every_email_ends_with_the_organisers_contact(app, db, symposium, make_event, make_registration):
    registration = make_registration(symposium)
    for message in (messages.approved(registration), messages.lost_link(registration),
                    messages.bulk(registration, subject="News", body="Hello")):
        written = render_message(message)
        assert "Questions? Write to the organisers: info@mekong.test" in written.text
        assert '<a href="mailto:info@mekong.test"' in written.html
    no_contact = make_registration(make_event())
    fallback = app.config["MAIL_REPLY_TO"] or app.config["MAIL_DEFAULT_SENDER"]
    assert f"Questions? Write to the organisers: {fallback}" in render_message(messages.approved(no_contact)).text


def test_html_emails_escape_what_people_typed(db, symposium, make_registration):
    registration = make_registration(symposium, full_name="<script>alert(1)</script> Lan")
    message = render_message(messages.declined(registration, reason="<b>no</b>"))
    assert "<script>" not in message.html and "&lt;script&gt;" in message.html
    assert "&lt;b&gt;no&lt;/b&gt;" in message.html
    assert "<script>alert(1)</script> Lan" in message.text  # plain text stays as typed


def test_status_changes_send_the_email_for_the_new_status(db, make_event, register):
    event = make_event(capacity=1, approval_required=True)
    first = register(event, email="first@example.org")
    second = register(event, email="second@example.org")
    lifecycle.change_status(first, Status.APPROVED, actor="organiser")
    lifecycle.change_status(second, Status.APPROVED, actor="organiser")  # full: waitlisted
    db.session.commit()
    lifecycle.change_status(first, Status.CANCELLED, actor="registrant", reason="Cannot travel")
    db.session.commit()  # the place frees up and the second delegate is promoted

    kinds = [(m.recipient, m.kind) for m in rows(db) if m.kind != "registration_received"]
    assert kinds == [("first@example.org", "approved"), ("second@example.org", "waitlisted"),
                     ("first@example.org", "cancelled"), ("second@example.org", "promoted")]
    promoted = rows(db, "promoted")[0]
    assert [a["kind"] for a in promoted.attachments] == ["ics", "ticket"]


def test_invitation_goes_to_the_invitee_with_the_invitation_link(db, symposium):
    invitation = invite(symposium)
    message = messages.invitation(invitation)
    assert message.recipient == "invitee@example.org"
    written = render_message(message)
    assert written.subject == f"You are invited to {symposium.title}"
    assert f"http://events.test/events/{symposium.slug}/register?code={invitation.code}" in written.text
    assert "Daw Aye Aye" in written.text


def test_reminders_go_once_to_approved_delegates_of_events_starting_soon(db, make_event, make_registration):
    today = events_today()
    soon = make_event(slug="soon-event", starts_on=today + timedelta(days=2))
    later = make_event(slug="later-event", starts_on=today + timedelta(days=20))
    going = make_registration(soon)
    make_registration(later)
    cancelled = make_registration(soon)
    lifecycle.change_status(cancelled, Status.CANCELLED, actor="registrant")
    db.session.commit()

    assert queue_due_reminders(days=3) == 1
    db.session.commit()
    assert queue_due_reminders(days=3) == 0, "a reminder is never repeated"
    db.session.commit()
    [reminder] = rows(db, "reminder")
    assert reminder.registration_id == going.id
    assert "starts in 2 days" in render_message(reminder).text, "the reminder counts the days that are really left"
    assert reminder.dedupe_key == f"reminder:3:{going.id}"


def test_reminders_command_queues_once(app, db, make_event, make_registration):
    event = make_event(slug="tomorrow-event", starts_on=events_today() + timedelta(days=1))
    make_registration(event)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["mail", "reminders", "--days", "2"])
    second = runner.invoke(args=["mail", "reminders", "--days", "2"])
    assert first.exit_code == 0 and first.output.startswith("1 reminders queued"), first.output
    assert second.output.startswith("0 reminders queued")


def test_bulk_placeholders_are_filled_per_delegate_and_nothing_else_is_interpreted(db, symposium,
                                                                                  make_registration):
    registration = make_registration(symposium, full_name="ສົມພອນ", name_latin="Somphone", badge_name="Phone",
                                     locale="lo")
    text = "Dear {full_name} ({badge_name}), see you at {event} on {dates}: {link} {registration.token} {0}"
    filled = bulk.fill(text, registration)
    assert filled.startswith("Dear ສົມພອນ (Phone), see you at Regional Symposium on Labour Migration on ")
    assert f"http://events.test/r/{registration.token}" in filled
    assert filled.endswith("{registration.token} {0}"), "unknown braces are left as they are"
    assert bulk.unknown_placeholders("Hi {fullname} {event}") == ["fullname"]


def test_bulk_message_reaches_only_the_filtered_delegates_and_is_delivered(db, smtp_server, symposium,
                                                                          make_registration):
    thai = make_registration(symposium, email="th@example.org", country="TH", stakeholder_group="government")
    make_registration(symposium, email="kh@example.org", country="KH", stakeholder_group="government")
    make_registration(symposium, email="ngo@example.org", country="TH", stakeholder_group="ngo")
    audience = bulk.Audience(countries=("TH",), stakeholder_groups=("government",))

    preview = bulk.preview(symposium, subject="Visa for {full_name}", body="Hello {full_name}",
                           audience=audience)
    assert preview.count == 1 and preview.samples[0][1] == f"Visa for {thai.full_name}"
    assert rows(db) == [], "a preview queues nothing"

    assert bulk.send_bulk(symposium, subject="Visa for {full_name}", body="Hello {full_name}\n\n{link}",
                          audience=audience) == 1
    db.session.commit()
    deliver_due(now=utcnow())
    [received] = smtp_server.received
    assert received.rcpt_tos == ["th@example.org"]
    assert received.message["Subject"] == f"Visa for {thai.full_name}"
    assert f"Hello {thai.full_name}" in received.text
