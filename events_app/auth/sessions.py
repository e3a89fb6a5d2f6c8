"""Signed-in sessions: each carries the user's session_version, and an older one no longer signs anyone in."""
from flask import session
from flask_login import login_user, logout_user

from events_app.auth.models import User
from events_app.extensions import db

SESSION_VERSION_KEY = "session_version"


def sign_in(user: User) -> None:
    """Sign the user in on this browser, remembering which generation of their sessions this is."""
    login_user(user)
    session[SESSION_VERSION_KEY] = user.session_version


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: nobody for a deactivated user or a session older than the user's version."""
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or session.get(SESSION_VERSION_KEY) != user.session_version:
        return None
    return user


def end_sessions(user: User) -> None:
    """Sign the user out on every browser: a session from before this no longer counts (flushes)."""
    user.session_version += 1
    db.session.flush()


def sign_out(user: User) -> None:
    """Sign out here, and end copies of this session elsewhere (the caller commits)."""
    end_sessions(user)
    logout_user()
    session.pop(SESSION_VERSION_KEY, None)
