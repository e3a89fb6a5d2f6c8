"""Single-use links for users (set a password): 256-bit random tokens of which only the sha256 is kept."""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from events_app.auth.models import User, UserToken
from events_app.extensions import db
from events_app.models import utcnow

SET_PASSWORD = "set_password"  # noqa: S105 - a purpose, not a password
SET_PASSWORD_LIFETIME = timedelta(days=7)


class TokenError(ValueError):
    """A link that cannot be used (unknown, used or expired); the message says which."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user: User, purpose: str = SET_PASSWORD, *, lifetime: timedelta = SET_PASSWORD_LIFETIME) -> str:
    """Make a new single-use token for the user and return it (it is shown once: only its hash is stored)."""
    token = secrets.token_urlsafe(32)  # 32 bytes: 256 bits
    db.session.add(UserToken(user_id=user.id, purpose=purpose, token_hash=_digest(token),
                             expires_at=utcnow() + lifetime))
    db.session.flush()
    return token


def redeemable(token: str, purpose: str = SET_PASSWORD) -> UserToken:
    """The unused, unexpired token with this value; TokenError saying why not otherwise."""
    found = db.session.scalar(
        select(UserToken).where(UserToken.token_hash == _digest(token), UserToken.purpose == purpose)
    )
    if found is None:
        raise TokenError("unknown")
    if found.used_at is not None:
        raise TokenError("used")
    if found.expires_at <= utcnow():
        raise TokenError("expired")
    return found


def spend(token: UserToken) -> None:
    """Mark the token used, so its link works only once (flushes)."""
    token.used_at = utcnow()
    db.session.flush()
