"""Sign-in tells nobody whether an account exists: the same answer, and the same hash check, for an unknown email;
repeated failures pause one email (known or not) on top of the per-IP limit."""
import time

from events_app.auth.services import SignIn, authenticate, reset_password
from tests.conftest import PASSWORD, submit

NOT_MATCHING = "That email and password do not match an account."
PAUSED = "Too many failed attempts to sign in with this email, so it is paused for a while"


def _timed(email: str, password: str) -> float:
    started = time.perf_counter()
    authenticate(email, password)
    return time.perf_counter() - started


def test_an_unknown_email_costs_the_same_hash_check_as_a_known_one(app, auth, db):
    user = auth.user("organiser")
    app.config["LOGIN_FAILURE_LIMITS"] = ""  # many tries in a row here; the pause is tested below
    try:
        _timed("nobody@test.example", "warm up the dummy hash")
        # Alternated, so a busy machine slows both alike; the fastest of each is its cost without the noise.
        pairs = [(_timed(user.email, f"wrong password {n}"), _timed(f"nobody{n}@test.example", "wrong password"))
                 for n in range(9)]
        known, unknown = min(k for k, _ in pairs), min(u for _, u in pairs)
    finally:
        app.config["LOGIN_FAILURE_LIMITS"] = "5 per 15 minutes; 20 per day"
    # Both pay for one password hash (tens of milliseconds); without the dummy hash the unknown one took ~1 ms.
    assert known > 0.01
    assert 0.6 < unknown / known < 1.6, (known, unknown)


def _fail(client, email: str, times: int) -> str:
    page = ""
    for n in range(times):
        page = submit(client, "/auth/login", {"email": email, "password": f"wrong guess {n}"}).get_data(as_text=True)
    return page


def test_repeated_failures_pause_an_email_with_a_message_that_reveals_nothing(client, auth, db):
    user = auth.user("organiser")
    assert NOT_MATCHING in _fail(client, user.email, 5)
    assert NOT_MATCHING in _fail(client, "nobody@test.example", 5)
    known = _fail(client, user.email, 1)
    unknown = _fail(client, "nobody@test.example", 1)
    assert PAUSED in known and PAUSED in unknown  # an unknown email pauses just the same
    # Paused: even the right password does not sign in, and says the same.
    right = submit(client, "/auth/login", {"email": user.email.upper(), "password": PASSWORD})
    assert right.status_code == 200 and PAUSED in right.get_data(as_text=True)
    # Another account is not affected.
    assert submit(client, "/auth/login", {"email": auth.user("staff").email, "password": PASSWORD}).status_code == 302


def test_a_success_clears_the_count_and_an_admin_reset_lifts_a_pause(client, auth, db):
    user = auth.user("organiser")
    _fail(client, user.email, 4)
    auth.login("organiser")
    auth.logout()
    assert NOT_MATCHING in _fail(client, user.email, 4)  # counted from zero again: 4 more are allowed
    _fail(client, user.email, 1)
    assert authenticate(user.email, PASSWORD) is SignIn.PAUSED
    temporary = reset_password(user)
    db.session.commit()
    assert authenticate(user.email, temporary) == user
