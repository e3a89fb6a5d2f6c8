"""Signed-in sessions: each carries the user's session_version (an older one no longer signs anyone in), when it
signed in and when it was last used (staff sessions end after inactivity and after an absolute lifetime)."""
from datetime import timedelta

from flask import current_app, flash, g, session
from flask_login import login_user, logout_user

from events_app.auth.models import User
from events_app.extensions import db
from events_app.models import utcnow

SESSION_VERSION_KEY = "session_version"
SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
SEEN_RESOLUTION = 60  # seconds: the cookie is rewritten at most once a minute to record activity
AWAITING_CODE = "awaiting_code"  # between the password and the second factor: [user id, session version, time]
CODE_WAIT_SECONDS = 300


def _clear() -> None:
    """Empty the session, its CSRF token included (Flask-WTF also caches it on g: the next form gets a new one)."""
    session.clear()
    g.pop("csrf_token", None)


def _now() -> int:
    return int(utcnow().timestamp())


def sign_in(user: User) -> None:
    """Sign the user in on this browser in a fresh session (no fixation: whatever the session held before,
    its CSRF token included, is dropped), remembering which generation of their sessions this is."""
    _clear()
    login_user(user)
    session[SESSION_VERSION_KEY] = user.session_version
    session[SIGNED_IN_AT] = session[SEEN_AT] = _now()


def await_code(user: User) -> None:
    """The password was right and the account has a second factor: remember who, in a fresh session, until the code
    is given (not signed in yet)."""
    _clear()
    session[AWAITING_CODE] = [user.id, user.session_version, _now()]


def awaiting_code() -> User | None:
    """The user whose password was given on this browser in the last few minutes, waiting for their code."""
    pending = session.get(AWAITING_CODE)
    if not (isinstance(pending, list) and len(pending) == 3) or _now() - pending[2] > CODE_WAIT_SECONDS:
        return None
    user = db.session.get(User, pending[0])
    if user is None or not user.active or user.session_version != pending[1] or not user.has_two_factor:
        return None
    return user


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: nobody for a deactivated user, a session older than the user's version, or one
    idle or old beyond SESSION_IDLE_MINUTES / SESSION_MAX_HOURS."""
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or session.get(SESSION_VERSION_KEY) != user.session_version:
        return None
    if _expired():
        _clear()
        flash("Your session ended. Please sign in again.", "info")
        return None
    if _now() - session[SEEN_AT] >= SEEN_RESOLUTION:
        session[SEEN_AT] = _now()
    return user


def _expired() -> bool:
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(seen_at, int):
        return True  # a session from before these limits existed
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]).total_seconds()
    lifetime = timedelta(hours=current_app.config["SESSION_MAX_HOURS"]).total_seconds()
    now = _now()
    return now - seen_at > idle or now - signed_in_at > lifetime


def end_sessions(user: User) -> None:
    """Sign the user out on every browser: a session from before this no longer counts (flushes)."""
    user.session_version += 1
    db.session.flush()


def sign_out(user: User) -> None:
    """Sign out here, and end copies of this session elsewhere (the caller commits)."""
    end_sessions(user)
    logout_user()
    _clear()
