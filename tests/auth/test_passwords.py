"""Passwords: at least 12 characters and not common, on every path (invitation link, own change, `users create`);
a page to change one's own password that ends the other sessions; an admin reset that forces a change."""
import re

import pytest
from sqlalchemy import select

from events_app.auth.models import User
from events_app.auth.services import UserError, create_user
from tests.auth.conftest import forget_request_caches, get_afresh, set_password_link
from tests.conftest import PASSWORD, Auth, submit

NEW = "rice paddies after rain"


@pytest.mark.parametrize(("password", "message"), [
    ("eleven char", "at least 12 characters"),
    ("password1234", "on a list of common passwords"),
    ("qwertyuiop12", "on a list of common passwords"),
    ("aaaaaaaaaaaaaaaa", "too easy to guess"),
    ("lan@example.org!", "too easy to guess"),  # the account's own email
])
def test_short_common_or_guessable_passwords_are_refused_everywhere(client, auth, db, password, message):
    with pytest.raises(UserError, match=message):
        create_user("lan@example.org", password=password, role="staff")
    auth.login("admin")
    submit(client, "/manage/users", {"email": "lan@example.org", "name": "Lan", "role": "staff"})
    auth.logout()
    link = set_password_link(db, "lan@example.org")
    page = submit(client, link, {"password": password, "confirm": password}).get_data(as_text=True)
    assert re.search(r'<p class="error" id="password-error">[^<]*' + message, page)


def test_users_create_refuses_a_common_password_in_one_line(app, db):
    result = app.test_cli_runner().invoke(args=["users", "create", "lan@example.org", "--role", "staff",
                                                "--password-stdin"], input="password1234\n")
    assert result.exit_code == 1 and "common passwords" in result.output
    assert db.session.scalar(select(User)) is None


def test_changing_ones_password_asks_the_current_one_and_ends_the_other_sessions(client, auth, db, copy_of):
    user = auth.login("organiser")
    other = copy_of(client)
    forget_request_caches()
    wrong = submit(client, "/auth/password", {"current": "not my password", "password": NEW, "confirm": NEW})
    assert "That is not your current password." in wrong.get_data(as_text=True)
    common = submit(client, "/auth/password", {"current": PASSWORD, "password": "password1234",
                                               "confirm": "password1234"})
    assert "on a list of common passwords" in common.get_data(as_text=True)
    done = submit(client, "/auth/password", {"current": PASSWORD, "password": NEW, "confirm": NEW},
                  follow_redirects=True)
    assert "Every other session of your account has ended." in done.get_data(as_text=True)
    assert get_afresh(client, "/manage/").status_code == 200  # this browser stays signed in
    assert get_afresh(other, "/manage/").status_code == 302  # the copy does not
    db.session.refresh(user)
    assert user.check_password(NEW) and not user.check_password(PASSWORD)


def test_an_admin_reset_forces_a_new_password_at_the_next_sign_in(app, client, auth, db, copy_of):
    staff = auth.login("staff")
    other = copy_of(client)
    admin_browser = app.test_client()
    forget_request_caches()
    Auth(admin_browser).login("admin")
    forget_request_caches()
    page = submit(admin_browser, f"/manage/users/{staff.id}/reset-password", {}, page=f"/manage/users/{staff.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    temporary = re.search(r'<code class="secret" id="temporary-password">([^<]+)</code>', html).group(1)
    assert get_afresh(other, "/manage/").status_code == 302  # signed out everywhere
    assert submit(client, "/auth/login", {"email": staff.email, "password": PASSWORD}).status_code == 200

    signed_in = submit(client, "/auth/login", {"email": staff.email, "password": temporary})
    assert signed_in.location.endswith("/auth/password")
    forget_request_caches()
    blocked = client.get("/manage/")  # nothing else until the password is changed
    assert blocked.status_code == 302 and blocked.location.endswith("/auth/password")
    form = client.get("/auth/password").get_data(as_text=True)
    assert "An administrator reset your password." in form
    submit(client, "/auth/password", {"current": temporary, "password": NEW, "confirm": NEW})
    assert get_afresh(client, "/manage/").status_code == 200
    db.session.refresh(staff)
    assert not staff.must_change_password and staff.check_password(NEW)


def test_an_admin_cannot_reset_their_own_password_there_and_others_cannot_reset(client, auth, db):
    staff = auth.user("staff")
    admin = auth.login("admin")
    refused = submit(client, f"/manage/users/{admin.id}/reset-password", {}, page=f"/manage/users/{admin.id}",
                     follow_redirects=True)
    assert "Change your own password from Your account." in refused.get_data(as_text=True)
    auth.logout()
    auth.login("organiser")
    forget_request_caches()
    assert submit(client, f"/manage/users/{staff.id}/reset-password", {}, page="/manage/").status_code == 403
    db.session.refresh(staff)
    assert staff.check_password(PASSWORD) and not staff.must_change_password


def test_guessing_the_current_password_from_an_open_session_pauses_too(client, auth, db):
    user = auth.login("organiser")
    for n in range(5):
        wrong = submit(client, "/auth/password", {"current": f"guess number {n}", "password": NEW, "confirm": NEW})
        assert "That is not your current password." in wrong.get_data(as_text=True)
    right = submit(client, "/auth/password", {"current": PASSWORD, "password": NEW, "confirm": NEW})
    assert "Too many failed attempts" in right.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(PASSWORD)
