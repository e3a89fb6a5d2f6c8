"""A copied session cookie stops working after sign-out, sign-out everywhere, a password change, deactivation;
sessions end after inactivity and after an absolute lifetime; signing in starts a fresh session."""
from events_app.auth.services import change_password, set_active
from events_app.auth.sessions import end_sessions
from tests.auth.conftest import forget_request_caches, get_afresh
from tests.conftest import Auth, csrf_token, submit


def signed_in_copy(client, auth, copy_of):
    user = auth.login("organiser")
    other = copy_of(client)
    assert get_afresh(other, "/manage/").status_code == 200  # the copy works, as a cookie does
    return user, other


def test_signing_out_ends_a_copy_of_the_session(client, auth, copy_of):
    _user, other = signed_in_copy(client, auth, copy_of)
    auth.logout()
    assert get_afresh(other, "/manage/").status_code == 302


def test_sign_out_everywhere_ends_every_session(client, auth, db, copy_of):
    user, other = signed_in_copy(client, auth, copy_of)
    end_sessions(user)
    db.session.commit()
    assert get_afresh(other, "/manage/").status_code == 302
    assert get_afresh(client, "/manage/").status_code == 302


def test_a_password_change_ends_the_old_sessions(client, auth, db, copy_of):
    user, other = signed_in_copy(client, auth, copy_of)
    change_password(user, "a brand new password")
    db.session.commit()
    assert get_afresh(other, "/manage/").status_code == 302
    response = submit(client, "/auth/login", {"email": user.email, "password": "a brand new password"})
    assert response.status_code == 302 and get_afresh(client, "/manage/").status_code == 200


def test_deactivation_ends_the_sessions_and_refuses_sign_in(client, auth, db, copy_of):
    user, other = signed_in_copy(client, auth, copy_of)
    set_active(user, False)
    db.session.commit()
    assert get_afresh(other, "/manage/").status_code == 302
    response = submit(client, "/auth/login", {"email": user.email, "password": "correct horse battery"})
    assert "do not match an account" in response.get_data(as_text=True)


def _age_session(client, *, idle: int = 0, since_sign_in: int = 0) -> None:
    """Make the browser's session look `idle` seconds unused and signed in `since_sign_in` seconds ago."""
    with client.session_transaction() as session:
        session["seen_at"] -= idle
        session["signed_in_at"] -= max(since_sign_in, idle)


def test_a_session_idle_longer_than_the_limit_ends(app, client, auth):
    auth.login("staff")
    assert app.config["SESSION_IDLE_MINUTES"] == 60
    _age_session(client, idle=59 * 60)
    assert get_afresh(client, "/manage/").status_code == 200  # 59 minutes: still signed in, and it counts as use
    _age_session(client, idle=61 * 60)
    response = get_afresh(client, "/manage/")
    assert response.status_code == 302 and "/auth/login" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "Your session ended. Please sign in again." in page


def test_a_session_ends_after_its_absolute_lifetime_even_when_used(app, client, auth):
    auth.login("organiser")
    assert app.config["SESSION_MAX_HOURS"] == 12
    _age_session(client, since_sign_in=11 * 3600)
    assert get_afresh(client, "/manage/").status_code == 200
    _age_session(client, since_sign_in=3600 + 60)  # 12 hours and a minute, used a moment ago
    assert get_afresh(client, "/manage/").status_code == 302


def test_signing_in_starts_a_fresh_session_with_a_new_csrf_token(client, auth):
    """No session fixation: what the browser held before signing in (its CSRF token too) is dropped."""
    before = csrf_token(client.get("/auth/login").get_data(as_text=True))
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        raw_before = session["csrf_token"]
    auth.login("organiser")
    forget_request_caches()
    with client.session_transaction() as session:
        assert "planted" not in session and "csrf_token" not in session
    after = csrf_token(client.get("/manage/").get_data(as_text=True))
    with client.session_transaction() as session:
        assert session["csrf_token"] != raw_before
    assert after != before
    # A form filled with the token from before sign-in is refused now.
    refused = client.post("/auth/logout", data={"csrf_token": before})
    assert refused.status_code == 400
    assert client.post("/auth/logout", data={"csrf_token": after}).status_code == 302


def test_an_admins_sign_out_everywhere_ends_a_copied_cookie(client, auth, db, copy_of, app):
    user, other = signed_in_copy(client, auth, copy_of)
    admin_browser = app.test_client()
    Auth(admin_browser).login("admin")
    forget_request_caches()
    response = submit(admin_browser, f"/manage/users/{user.id}/sign-out", {}, page=f"/manage/users/{user.id}")
    assert response.status_code == 302
    assert get_afresh(other, "/manage/").status_code == 302
    assert get_afresh(client, "/manage/").status_code == 302
