"""Invitation-only events: single-use links, optionally bound to one email, sent and tracked by organisers."""
from sqlalchemy import select

from events_app.mail.models import OutboxMessage
from events_app.mail.render import render_message
from events_app.registration.models import Invitation, Registration
from tests.conftest import submit
from tests.registration.test_form import VALID


def _invite(client, event, text):
    return submit(client, f"/manage/events/{event.slug}/invitations", {"invitees": text},
                  follow_redirects=True).get_data(as_text=True)


def test_invitation_only_form_needs_a_valid_code(client, db, make_event):
    event = make_event(invitation_only=True)
    response = client.get(f"/events/{event.slug}/register")
    assert response.status_code == 403
    assert "not valid" in response.get_data(as_text=True)
    assert client.get(f"/events/{event.slug}/register?code=made-up-code").status_code == 403


def test_organiser_invites_and_the_invitee_registers_once(client, db, auth, make_event):
    event = make_event(invitation_only=True)
    auth.login("organiser")
    html = _invite(client, event, "sok.chanthy@example.org, Sok Chanthy\nKhin Mar Oo <khin@example.org>\n")
    assert "2 invitations sent." in html.replace("&#39;", "'")
    sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "invitation")).all()
    assert sorted(m.recipient for m in sent) == ["khin@example.org", "sok.chanthy@example.org"]
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "sok.chanthy@example.org"))
    assert f"/events/{event.slug}/register?code={invitation.code}" in next(
        render_message(m).text for m in sent if m.recipient == "sok.chanthy@example.org")
    auth.logout()

    url = f"/events/{event.slug}/register?code={invitation.code}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="sok.chanthy@example.org"' in page  # the invitee's email is filled in
    response = submit(client, url, {**VALID, "code": invitation.code}, page=url)
    assert response.status_code == 302
    db.session.refresh(invitation)
    assert invitation.used_at is not None
    assert invitation.registration_id == db.session.scalar(select(Registration.id))
    again = client.get(url)
    assert again.status_code == 403 and "already been used" in again.get_data(as_text=True)


def test_an_invitation_bound_to_an_email_refuses_another_address(client, db, auth, make_event):
    event = make_event(invitation_only=True)
    auth.login("organiser")
    _invite(client, event, "invitee@example.org")
    auth.logout()
    code = db.session.scalar(select(Invitation.code))
    url = f"/events/{event.slug}/register?code={code}"
    response = submit(client, url, {**VALID, "email": "someone.else@example.org", "code": code}, page=url)
    assert response.status_code == 200
    assert "invitation is for another email address" in response.get_data(as_text=True)
    assert db.session.scalar(select(Registration)) is None


def test_bad_invitee_lines_send_nothing_and_say_which_line(client, db, auth, make_event):
    event = make_event(invitation_only=True)
    auth.login("organiser")
    response = submit(client, f"/manage/events/{event.slug}/invitations",
                      {"invitees": "good@example.org\nnot an email\ngood@example.org"})
    html = response.get_data(as_text=True)
    assert "Line 2:" in html and "Line 3:" in html
    assert db.session.scalars(select(Invitation)).all() == []


def test_inviting_the_same_person_twice_sends_once(client, db, auth, make_event):
    event = make_event(invitation_only=True)
    auth.login("organiser")
    _invite(client, event, "invitee@example.org")
    html = _invite(client, event, "INVITEE@example.org")
    assert "not sent again: invitee@example.org" in html
    assert len(db.session.scalars(select(Invitation)).all()) == 1


def test_open_single_use_code(client, db, auth, make_event):
    event = make_event(invitation_only=True)
    auth.login("organiser")
    submit(client, f"/manage/events/{event.slug}/invitations/code", {"note": "for the Lao delegation"},
           page=f"/manage/events/{event.slug}/invitations")
    invitation = db.session.scalar(select(Invitation))
    assert invitation.email is None and invitation.note == "for the Lao delegation"
    auth.logout()
    url = f"/events/{event.slug}/register?code={invitation.code}"
    assert submit(client, url, {**VALID, "code": invitation.code}, page=url).status_code == 302
