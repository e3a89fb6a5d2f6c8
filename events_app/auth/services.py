"""Use cases for users: create one, and check a sign-in."""
from sqlalchemy import func, select

from events_app.auth.models import User
from events_app.choices import UserRole
from events_app.extensions import db

MIN_PASSWORD_LENGTH = 10


class UserError(ValueError):
    """A user could not be created; the message says why."""


def create_user(email: str, *, password: str, role: UserRole | str, name: str = "") -> User:
    """Create a user with a hashed password; refuses duplicates and short passwords."""
    email = email.strip().lower()
    if "@" not in email:
        raise UserError(f"not an email address: {email!r}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if find_user(email) is not None:
        raise UserError(f"a user with the email {email} exists already")
    user = User(email=email, name=name, role=UserRole(role))
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
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
