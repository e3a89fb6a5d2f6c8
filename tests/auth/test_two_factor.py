"""Optional two-step sign-in for admins and organisers: enrol with a server-drawn QR code and the key as text,
confirm with a code, ten recovery codes shown once and kept hashed; sign-in asks for a code; turning it off needs
the password."""
import re
import time

import pyotp
from sqlalchemy import text

from events_app.auth.models import RecoveryCode
from tests.auth.conftest import forget_request_caches, get_afresh
from tests.conftest import PASSWORD, submit


def enrol(client) -> tuple[str, list[str]]:
    """Turn two-step sign-in on through the pages; returns the secret and the recovery codes shown."""
    submit(client, "/auth/two-factor/start", {}, page="/auth/two-factor")
    page = client.get("/auth/two-factor/enrol").get_data(as_text=True)
    assert re.search(r'<img class="qr" src="data:image/svg\+xml[;,][^"]+" width="245"', page)
    secret = "".join(re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).split())
    wrong = submit(client, "/auth/two-factor/enrol", {"code": "000000" if pyotp.TOTP(secret).now() != "000000"
                                                      else "111111"})
    assert "That code is not right." in wrong.get_data(as_text=True)
    shown = submit(client, "/auth/two-factor/enrol", {"code": pyotp.TOTP(secret).now()})
    assert shown.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", shown.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def sign_in_with_password(client, email):
    response = submit(client, "/auth/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 302 and "/auth/code" in response.location
    forget_request_caches()
    return response


def next_code(secret: str) -> str:
    """The code of the next 30-second step (the current one was used at enrolment; a code works once)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_an_organiser_enrols_and_sign_in_then_asks_for_a_code(client, auth, db):
    user = auth.login("organiser")
    assert "Off." in client.get("/auth/two-factor").get_data(as_text=True)
    secret, codes = enrol(client)
    db.session.refresh(user)
    assert user.has_two_factor
    # At rest the secret is encrypted and the recovery codes are digests.
    stored = db.session.execute(text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user.id}).scalar()
    assert stored and secret not in stored
    digests = db.session.execute(text("SELECT code_hash FROM user_recovery_codes")).scalars().all()
    assert len(digests) == 10 and not {code.replace("-", "") for code in codes} & set(digests)
    auth.logout()

    sign_in_with_password(client, user.email)
    assert get_afresh(client, "/manage/").status_code == 302  # the password alone signs nobody in
    assert "authenticator app" in client.get("/auth/code").get_data(as_text=True)
    wrong = submit(client, "/auth/code", {"code": "12345"})
    assert "That code is not right." in wrong.get_data(as_text=True)
    assert submit(client, "/auth/code", {"code": next_code(secret)}).status_code == 302
    assert get_afresh(client, "/manage/").status_code == 200
    auth.logout()
    sign_in_with_password(client, user.email)
    replayed = submit(client, "/auth/code", {"code": next_code(secret)})  # the same code a second time
    assert replayed.status_code == 200 and "That code is not right." in replayed.get_data(as_text=True)


def test_a_recovery_code_signs_in_once(client, auth, db):
    user = auth.login("admin")
    _secret, codes = enrol(client)
    auth.logout()
    sign_in_with_password(client, user.email)
    assert submit(client, "/auth/code", {"code": codes[3].upper().replace("-", " ")}).status_code == 302
    auth.logout()
    sign_in_with_password(client, user.email)
    again = submit(client, "/auth/code", {"code": codes[3]})
    assert "That code is not right." in again.get_data(as_text=True)
    assert db.session.query(RecoveryCode).filter(RecoveryCode.used_at.is_not(None)).count() == 1
    assert submit(client, "/auth/code", {"code": codes[4]}).status_code == 302
    forget_request_caches()
    assert "Recovery codes left: 8 of 10." in client.get("/auth/two-factor").get_data(as_text=True)


def test_turning_it_off_needs_the_password(client, auth, db):
    user = auth.login("organiser")
    enrol(client)
    refused = submit(client, "/auth/two-factor/disable", {"password": "not my password"}, page="/auth/two-factor")
    assert refused.status_code == 400 and "That is not your password." in refused.get_data(as_text=True)
    db.session.refresh(user)
    assert user.has_two_factor
    done = submit(client, "/auth/two-factor/disable", {"password": PASSWORD}, page="/auth/two-factor",
                  follow_redirects=True)
    assert "Two-step sign-in is off." in done.get_data(as_text=True)
    db.session.refresh(user)
    assert not user.has_two_factor and user.totp_secret is None and db.session.query(RecoveryCode).count() == 0
    auth.logout()
    assert submit(client, "/auth/login", {"email": user.email, "password": PASSWORD}).location.endswith("/manage/")


def test_the_code_step_expires_and_staff_are_not_offered_it(client, auth, db):
    user = auth.login("organiser")
    enrol(client)
    auth.logout()
    sign_in_with_password(client, user.email)
    with client.session_transaction() as session:
        user_id, version, since = session["awaiting_code"]
        session["awaiting_code"] = [user_id, version, since - 301]  # the password was given 5 minutes ago
    late = client.get("/auth/code")
    assert late.status_code == 302 and "/auth/login" in late.location
    forget_request_caches()
    auth.login("staff")
    forget_request_caches()
    assert client.get("/auth/two-factor").status_code == 403
