"""Use cases for users: create or invite one, set or reset a password, deactivate, and check a sign-in."""
import secrets
from enum import Enum
from functools import lru_cache

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from events_app.auth import throttle
from events_app.auth.models import User
from events_app.auth.passwords import password_problem
from events_app.auth.sessions import end_sessions
from events_app.choices import UserRole
from events_app.extensions import db

# Not a hash any password matches (werkzeug's check answers False): an invited user has none yet.
UNUSABLE_PASSWORD = "!unusable"  # noqa: S105 - not a password


class UserError(ValueError):
    """A user could not be created; the message says why."""


def create_user(email: str, *, password: str, role: UserRole | str, name: str = "") -> User:
    """Create a user with a hashed password; refuses duplicates and short passwords."""
    check_password_rules(password, email=email)
    user = _new_user(email, role=role, name=name)
    user.set_password(password)
    db.session.flush()
    return user


def invite_user(email: str, *, role: UserRole | str, name: str = "") -> User:
    """Create a user who cannot sign in until they set a password through a single-use link."""
    user = _new_user(email, role=role, name=name)
    user.password_hash = UNUSABLE_PASSWORD
    db.session.flush()
    return user


def check_password_rules(password: str, *, user: User | None = None, email: str = "") -> None:
    """UserError when the password is too short, common or easy to guess (passwords.py says why)."""
    inputs = (user.email, user.name) if user is not None else (email,)
    problem = password_problem(password, user_inputs=inputs)
    if problem:
        raise UserError(problem[0].lower() + problem[1:].rstrip("."))


def change_password(user: User, password: str) -> None:
    """Set a new password; every session signed in with the old one ends (flushes)."""
    check_password_rules(password, user=user)
    user.set_password(password)
    user.must_change_password = False
    end_sessions(user)


def reset_password(user: User) -> str:
    """An administrator's reset: a temporary password (returned, shown once) that must be changed at the next
    sign-in; the user's sessions end and any pause on signing in is lifted (flushes)."""
    temporary = "-".join(secrets.token_hex(3) for _ in range(4))  # 96 random bits, easy to read out
    user.set_password(temporary)
    user.must_change_password = True
    end_sessions(user)
    throttle.forget(user.email)
    return temporary


def set_active(user: User, active: bool) -> None:
    """Deactivate (signed out everywhere, cannot sign in) or reactivate a user (flushes)."""
    user.active = active
    end_sessions(user)


def _new_user(email: str, *, role: UserRole | str, name: str) -> User:
    email = email.strip().lower()
    if "@" not in email:
        raise UserError(f"not an email address: {email!r}")
    if find_user(email) is not None:
        raise UserError(f"a user with the email {email} exists already")
    user = User(email=email, name=name, role=UserRole(role))
    db.session.add(user)
    return user


def find_user(email: str) -> User | None:
    """The user with this email, case-insensitively."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


class SignIn(Enum):
    """Why a sign-in failed; the view says the same thing for an unknown email and a wrong password."""

    REFUSED = "refused"
    PAUSED = "paused"


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def authenticate(email: str, password: str) -> User | SignIn:
    """The active user with these credentials, or why not (REFUSED alike for every wrong detail).

    An unknown email costs the same hash check as a known one, so the time taken tells nothing; after
    repeated failures for one email (known or not) sign-in with it pauses (throttle.py).
    """
    if throttle.is_paused(email):
        return SignIn.PAUSED
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        matches = False
    else:
        matches = user.check_password(password)
    if not matches or not user.active:
        throttle.record_failure(email)
        return SignIn.REFUSED
    throttle.forget(email)
    return user
