"""Fixtures of the API tests: users of each role, tokens for them, and requests that carry a token."""
import pytest

from events_app.api import tokens
from events_app.auth.services import create_user
from events_app.choices import UserRole
from events_app.extensions import db as _db
from tests.conftest import delegate_data


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture()
def make_token(db):
    """Factory: a token (its secret) for a user, with a scope and optionally one event."""

    def factory(user, scope: str = "write", event=None) -> str:
        _token, secret = tokens.issue(user, scope=scope, event=event)
        _db.session.commit()
        return secret

    return factory


@pytest.fixture()
def team(auth):
    """The standard users (organiser, staff, rapporteur at every event the test makes; an admin)."""
    return {role: auth.user(role) for role in ("organiser", "staff", "rapporteur", "admin")}


@pytest.fixture()
def outsider(db):
    """An organiser with no role at the test's events."""
    user = create_user("elsewhere@test.example", password="correct horse battery", role=UserRole.ORGANISER)
    _db.session.commit()
    return user


def delegate_json(n: int = 1, **overrides) -> dict:
    """A valid body for POST …/registrations."""
    return delegate_data(n, **overrides)
