"""A copied session cookie stops working after sign-out, sign-out everywhere, a password change, deactivation."""
from events_app.auth.services import change_password, set_active
from events_app.auth.sessions import end_sessions
from tests.auth.conftest import get_afresh
from tests.conftest import submit


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
