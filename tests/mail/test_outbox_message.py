"""The outbox shows each message as the delegate gets it, with its times in its event's zone."""
import re
from datetime import UTC, datetime

from markupsafe import escape

from events_app.mail import outbox
from events_app.mail.models import OutboxMessage
from events_app.mail.render import render_message


def test_the_message_page_shows_headers_attachments_text_and_sandboxed_html(db, client, auth, mail_settings,
                                                                            symposium, register):
    registration = register(symposium, full_name="សុខ ដារ៉ា", email="dara@example.org")
    message = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.registration_id == registration.id))
    written = render_message(message)
    auth.login("organiser")
    html = client.get(f"/manage/mail/{message.id}").get_data(as_text=True)
    assert "<dt>From</dt><dd>Mekong Events &lt;events@mekong.test&gt;</dd>" in html
    assert "<dt>To</dt><dd>dara@example.org</dd>" in html
    assert f"<dt>Subject</dt><dd>{escape(written.subject)}</dd>" in html
    assert f"{symposium.slug}.ics (text/calendar," in html
    assert f'<pre class="mail-body">{escape(written.text)}</pre>' in html
    frame = f"/manage/mail/{message.id}/html"
    assert re.search(r'<iframe [^>]*sandbox=""[^>]*\s+src="' + re.escape(frame) + '"', html)
    assert "សុខ ដារ៉ា" in html
    # The HTML is served alone, sandboxed, framed only by the workspace; its inline styles apply there only.
    framed = client.get(frame)
    assert framed.get_data(as_text=True) == written.html
    policy = framed.headers["Content-Security-Policy"]
    assert "sandbox" in policy and "frame-ancestors 'self'" in policy and "script-src" not in policy
    assert framed.headers["X-Frame-Options"] == "SAMEORIGIN" and framed.headers["Cache-Control"] == "no-store"


def test_the_outbox_list_links_each_message_and_labels_its_time_zone(db, client, auth, symposium):
    with_event = outbox.queue("bulk", recipient="a@example.org", subject="Agenda", body_text="x",
                              event_id=symposium.id)
    without = outbox.queue("lost_link", recipient="b@example.org", subject="Your link", body_text="y")
    db.session.flush()
    created = datetime(2026, 11, 30, 7, 5, tzinfo=UTC)
    with_event.created_at = without.created_at = created
    db.session.commit()
    auth.login("admin")  # the only one who sees mail of no event
    html = client.get("/manage/mail/").get_data(as_text=True)
    assert f'href="/manage/mail/{with_event.id}">Agenda</a>' in html
    assert "30 Nov 2026, 14:05 (Asia/Bangkok)" in html
    assert "30 Nov 2026, 07:05 (UTC)" in html


def test_an_erased_message_says_so(db, client, auth):
    message = outbox.queue("lost_link", recipient="erased@invalid", subject="Your link", body_text="")
    db.session.commit()
    auth.login("admin")
    html = client.get(f"/manage/mail/{message.id}").get_data(as_text=True)
    assert "The text of this message was erased" in html


def test_only_organisers_read_messages(db, client, auth):
    message = outbox.queue("lost_link", recipient="a@example.org", subject="Your link", body_text="secret link")
    db.session.commit()
    auth.login("staff")
    assert client.get(f"/manage/mail/{message.id}").status_code == 404  # not even whether it exists
    assert client.get("/manage/mail/999999").status_code == 404
