"""The organisers' outbox and bulk message pages, driven through the real forms with CSRF."""
import re

import pytest
from sqlalchemy import select

from events_app.mail import outbox
from events_app.mail.models import OutboxMessage, OutboxStatus
from events_app.mail.render import render_message
from events_app.mail.sender import deliver_due

TOKEN_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def token(html: str) -> str:
    match = TOKEN_RE.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


def failed_message(db, recipient: str, error: str) -> OutboxMessage:
    message = outbox.queue("lost_link", recipient=recipient, subject="Your private link", body_text="link")
    db.session.flush()
    message.status, message.attempts, message.last_error = OutboxStatus.FAILED, 1, error
    db.session.commit()
    return message


def test_admins_see_failed_mail_with_its_error_and_can_filter(db, client, auth):
    failed_message(db, "bounced@example.org", "server replied: 550 5.1.1 mailbox unavailable")
    outbox.queue("lost_link", recipient="waiting@example.org", subject="Queued one", body_text="x")
    db.session.commit()
    auth.login("admin")  # mail of no event (a user's invitation) is for admins only

    page = client.get("/manage/mail/").get_data(as_text=True)
    assert "bounced@example.org" in page and "waiting@example.org" in page
    assert "550 5.1.1 mailbox unavailable" in page

    failed_only = client.get("/manage/mail/?status=failed").get_data(as_text=True)
    assert "bounced@example.org" in failed_only and "waiting@example.org" not in failed_only


def test_signing_in_is_needed_to_open_the_outbox(db, client):
    assert client.get("/manage/mail/").status_code == 302


def test_resend_one_failed_message_and_it_arrives(db, client, auth, smtp_server):
    message = failed_message(db, "retry@example.org", "gave up after 8 attempts: timed out")
    auth.login("admin")
    csrf = token(client.get("/manage/mail/?status=failed").get_data(as_text=True))

    response = client.post(f"/manage/mail/{message.id}/resend", data={"csrf_token": csrf})

    assert response.status_code == 302
    db.session.rollback()
    row = db.session.get(OutboxMessage, message.id)
    assert row.status == OutboxStatus.QUEUED and row.attempts == 0
    db.session.rollback()
    deliver_due()
    assert [r.rcpt_tos for r in smtp_server.received] == [["retry@example.org"]]


def test_resend_all_failed_messages(db, client, auth):
    for i in range(3):
        failed_message(db, f"f{i}@example.org", "server replied: 554 rejected")
    auth.login("admin")
    page = client.get("/manage/mail/").get_data(as_text=True)
    assert "Send all 3 failed messages again" in page

    client.post("/manage/mail/resend-failed", data={"csrf_token": token(page)})

    db.session.rollback()
    assert set(db.session.scalars(select(OutboxMessage.status))) == {OutboxStatus.QUEUED}


def test_resend_without_csrf_token_changes_nothing(db, client, auth):
    message = failed_message(db, "x@example.org", "boom")
    auth.login("organiser")
    assert client.post(f"/manage/mail/{message.id}/resend").status_code == 400
    assert client.post("/manage/mail/resend-failed").status_code == 400
    db.session.rollback()
    assert db.session.get(OutboxMessage, message.id).status == OutboxStatus.FAILED


def compose(client, slug: str, **fields):
    page = client.get(f"/manage/mail/events/{slug}/message").get_data(as_text=True)
    data = {"csrf_token": token(page), "statuses": ["approved"], **fields}
    return client.post(f"/manage/mail/events/{slug}/message", data=data)


def test_bulk_message_preview_then_send(db, client, auth, symposium, make_registration, smtp_server):
    for n in range(3):
        make_registration(symposium, full_name=f"Delegate Nº{n}", country="KH" if n else "TH")
    auth.login("organiser")
    text = {"subject": "Visa support for {full_name}", "body": "Dear {full_name},\n\nPlease reply.\n\n{link}"}

    preview = compose(client, symposium.slug, countries=["KH"], preview="Preview", **text)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "This message will go to 2 delegates." in html
    assert "Visa support for Delegate Nº1" in html
    assert re.search(r'<input[^>]*name="confirm_count"[^>]*value="2"', html), "the preview's count is kept"
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 0
    db.session.rollback()

    sent = client.post(f"/manage/mail/events/{symposium.slug}/message", data={
        "csrf_token": token(html), "statuses": ["approved"], "countries": ["KH"], "confirm_count": "2",
        "send": "Send", **text})
    assert sent.status_code == 302 and "/manage/mail/" in sent.headers["Location"]
    deliver_due()
    subjects = sorted(r.message["Subject"] for r in smtp_server.received)
    assert subjects == ["Visa support for Delegate Nº1", "Visa support for Delegate Nº2"]


def test_bulk_send_refuses_when_the_recipients_changed_since_the_preview(db, client, auth, symposium,
                                                                        make_registration):
    make_registration(symposium)
    auth.login("organiser")
    response = compose(client, symposium.slug, subject="Hi", body="Hello", confirm_count="5", send="Send")
    assert response.status_code == 200
    assert "The list of recipients changed since the preview" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.parametrize(("subject", "body", "error"), [
    ("Hello\r\nBcc: victim@example.org", "Hi", "The subject must be a single line."),
    ("Hello {fullname}", "Hi", "Unknown placeholders: {fullname}"),
    ("Hello", "Hi {event.__class__}", None),  # not a placeholder at all: sent as typed
])
def test_bulk_form_refuses_header_injection_and_unknown_placeholders(db, client, auth, symposium,
                                                                    make_registration, subject, body, error):
    make_registration(symposium)
    auth.login("organiser")
    response = compose(client, symposium.slug, subject=subject, body=body, confirm_count="1", send="Send")
    db.session.rollback()
    queued = db.session.scalars(select(OutboxMessage)).all()
    if error:
        assert response.status_code == 200 and error in response.get_data(as_text=True)
        assert queued == []
    else:
        assert response.status_code == 302
        assert [render_message(m).text.splitlines()[0] for m in queued] == ["Hi {event.__class__}"]
        assert queued[0].status in (OutboxStatus.QUEUED, OutboxStatus.SENT)


def test_the_outbox_of_one_event_shows_only_its_mail_and_links_to_the_bulk_form(db, client, auth, make_event,
                                                                                register):
    hanoi, vientiane = make_event(slug="hanoi-meeting"), make_event(slug="vientiane-meeting")
    register(hanoi, email="hanoi@example.org")
    register(vientiane, email="vientiane@example.org")
    auth.login("organiser")

    page = client.get("/manage/mail/?event=hanoi-meeting").get_data(as_text=True)

    assert "hanoi@example.org" in page and "vientiane@example.org" not in page
    assert 'href="/manage/mail/events/hanoi-meeting/message"' in page
    assert client.get("/manage/mail/?event=no-such-event").status_code == 404
