"""Admins manage users through the real forms: invite, set a password by link, roles per event, deactivate."""
from datetime import timedelta

from sqlalchemy import select

from events_app.auth.models import User, UserToken
from events_app.choices import EventRole
from events_app.events import access
from tests.auth.conftest import set_password_link
from tests.conftest import submit


def invite(client, email="lan@example.org", role="staff"):
    return submit(client, "/manage/users", {"email": email, "name": "Lan", "role": role}, follow_redirects=True)


def test_an_invited_user_sets_a_password_once_and_signs_in(client, auth, db):
    auth.login("admin")
    page = invite(client).get_data(as_text=True)
    assert "lan@example.org was invited" in page
    user = db.session.scalar(select(User).where(User.email == "lan@example.org"))
    assert not user.check_password("") and user.role.value == "staff"
    link = set_password_link(db, "lan@example.org")
    token = db.session.scalar(select(UserToken).where(UserToken.user_id == user.id))
    assert token.purpose == "set_password" and link.rsplit("/", 1)[1] not in token.token_hash
    assert len(token.token_hash) == 64 and timedelta(days=6) < token.expires_at - token.created_at <= timedelta(days=7)
    auth.logout()

    short = submit(client, link, {"password": "short", "confirm": "short"})
    assert "at least 12 characters" in short.get_data(as_text=True)
    done = submit(client, link, {"password": "mekong river 2027", "confirm": "mekong river 2027"},
                  follow_redirects=True)
    assert "Your password is set" in done.get_data(as_text=True)
    again = client.get(link)
    assert again.status_code == 410 and "has been used already" in again.get_data(as_text=True)
    signed_in = submit(client, "/auth/login", {"email": "lan@example.org", "password": "mekong river 2027"})
    assert signed_in.status_code == 302


def test_an_expired_or_unknown_link_says_so(client, auth, db):
    auth.login("admin")
    invite(client)
    link = set_password_link(db, "lan@example.org")
    token = db.session.scalar(select(UserToken))
    token.expires_at = token.created_at - timedelta(seconds=1)
    db.session.commit()
    expired = client.get(link)
    assert expired.status_code == 410 and "This link has expired" in expired.get_data(as_text=True)
    assert client.get("/auth/set-password/not-a-token").status_code == 404


def test_inviting_an_existing_email_is_refused_beside_the_field(client, auth, db):
    admin = auth.login("admin")
    page = invite(client, email=admin.email).get_data(as_text=True)
    assert "A user with this email exists already." in page


def test_an_admin_grants_and_revokes_a_role_at_an_event(client, auth, db, make_event):
    event = make_event()
    auth.login("admin")
    invite(client)
    user = db.session.scalar(select(User).where(User.email == "lan@example.org"))
    page = f"/manage/users/{user.id}"
    granted = submit(client, f"{page}/grant", {"event": str(event.id), "role": "staff"}, page=page,
                     follow_redirects=True).get_data(as_text=True)
    assert f"lan@example.org is now Staff at {event.title}" in granted
    assert access.role_at(user, event.id) == EventRole.STAFF
    listing = client.get("/manage/users").get_data(as_text=True)
    assert f"{event.title}: Staff" in listing
    submit(client, f"{page}/revoke/{event.id}", {}, page=page)
    db.session.expire_all()
    assert access.role_at(user, event.id) is None


def test_deactivate_and_sign_out_everywhere_through_the_page(client, auth, db):
    auth.login("admin")
    staff = auth.user("staff")
    page = f"/manage/users/{staff.id}"
    submit(client, f"{page}/sign-out", {}, page=page)
    db.session.refresh(staff)
    assert staff.session_version == 1
    done = submit(client, f"{page}/deactivate", {}, page=page, follow_redirects=True).get_data(as_text=True)
    db.session.refresh(staff)
    assert "deactivated and signed out everywhere" in done and not staff.active
    submit(client, f"{page}/reactivate", {}, page=page)
    db.session.refresh(staff)
    assert staff.active


def test_only_admins_manage_users(client, auth, db):
    auth.login("organiser")
    assert client.get("/manage/users").status_code == 403
    assert "/manage/users" not in client.get("/manage/").get_data(as_text=True)
