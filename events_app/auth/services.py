"""Use cases for users: create or invite one, set a password, deactivate, and check a sign-in."""
from sqlalchemy import func, select

from events_app.auth.models import User
from events_app.auth.sessions import end_sessions
from events_app.choices import UserRole
from events_app.extensions import db

MIN_PASSWORD_LENGTH = 10
# Not a hash any password matches (werkzeug's check answers False): an invited user has none yet.
UNUSABLE_PASSWORD = "!unusable"  # noqa: S105 - not a password


class UserError(ValueError):
    """A user could not be created; the message says why."""


def create_user(email: str, *, password: str, role: UserRole | str, name: str = "") -> User:
    """Create a user with a hashed password; refuses duplicates and short passwords."""
    check_password_rules(password)
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


def check_password_rules(password: str) -> None:
    """UserError when the password is too short to be a password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def change_password(user: User, password: str) -> None:
    """Set a new password; every session signed in with the old one ends (flushes)."""
    check_password_rules(password)
    user.set_password(password)
    end_sessions(user)


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


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for every failure)."""
    user = find_user(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    return user
