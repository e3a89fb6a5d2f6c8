"""Fixtures for users and sessions: a second browser holding a copy of the first one's cookie."""
import re

import pytest
from flask import g
from sqlalchemy import select

from events_app.mail.models import OutboxMessage


@pytest.fixture()
def copy_of(app):
    """A new browser holding the session cookie of `client` (as if it were copied off the computer)."""

    def copy(client):
        other = app.test_client()
        cookie = client.get_cookie("session")
        other.set_cookie("session", cookie.value)
        return other

    return copy


def set_password_link(db, email: str) -> str:
    """The path of the set-password link in the latest email to `email`."""
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, f"no email to {email}"
    return re.search(r"https?://[^/\s]+(/auth/set-password/\S+)", message.body_text).group(1)


def get_afresh(client, url: str):
    """GET as a new request would: the `db` fixture keeps one app context open across requests, and
    Flask-Login caches the signed-in user (Flask-WTF the CSRF token) in its `g`, so those are dropped before and
    after: a browser's request never sees another's."""
    forget_request_caches()
    response = client.get(url)
    forget_request_caches()
    return response


def forget_request_caches() -> None:
    """Drop what Flask-Login and Flask-WTF keep on `g` for one request (tests share one app context)."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


@pytest.fixture(autouse=True)
def fresh_sign_in_counts(app):
    """Each test starts with no failed sign-ins counted (the throttle's memory storage outlives a test)."""
    from events_app.auth import throttle

    with app.app_context():
        throttle._limiter().storage.reset()
    yield
