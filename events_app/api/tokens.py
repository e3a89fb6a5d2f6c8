"""API token use cases: issue (shown once), revoke, list, and find the token a request carries.

A token is 256 random bits (URL-safe text); only its sha256 is stored, so a copy of the database
holds nothing that opens the API. Its scope says what it may do (read; write, which includes
read and check-in; checkin, which includes read), and it may be limited to one event; it never
reaches further than the events its user holds a role in (events/access.py), checked per request.
"""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from events_app.api.models import ApiToken
from events_app.audit import services as audit
from events_app.auth.models import User
from events_app.choices import UserRole
from events_app.events import access
from events_app.extensions import db
from events_app.models import utcnow

PREFIX = "ea_"  # recognisable in a leaked paste, and by secret scanners
SCOPES = ("read", "write", "checkin")
# What each scope allows: read is in every one; write includes the check-in desk's work.
ALLOWS = {"read": {"read"}, "write": {"read", "write", "checkin"}, "checkin": {"read", "checkin"}}
# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
TOUCH_EVERY = timedelta(minutes=1)


class TokenRefused(ValueError):
    """A token cannot be made (unknown scope, an event the user holds no role in); says why."""


def digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user: User, *, scope: str = "read", event=None, name: str = "", by_user=None) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns the row and the token itself (shown once, never stored). Flushes."""
    if scope not in SCOPES:
        raise TokenRefused(f"scope must be one of {', '.join(SCOPES)}")
    if not user.active:
        raise TokenRefused(f"{user.email} is deactivated")
    if event is not None and not access.may(user, event):
        raise TokenRefused(f"{user.email} holds no role at {event.slug}")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name.strip()[:100], token_hash=digest(secret), prefix=secret[:10],
                     scope=scope, event_id=getattr(event, "id", None))
    db.session.add(token)
    db.session.flush()
    audit.record("api.token_created", user=by_user or user, event=event,
                 summary=f"{scope} token {token.prefix}… for {user.email}")
    return token, secret


def revoke(token: ApiToken, *, by_user) -> None:
    """Stop a token working from now on (kept, for the log). Flushes."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        audit.record("api.token_revoked", user=by_user, event=token.event,
                     summary=f"{token.scope} token {token.prefix}… of {token.user.email}")


def tokens_for(user: User, *, every_user: bool = False) -> list[ApiToken]:
    """The user's tokens (an admin's `every_user`: everyone's), newest first."""
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if not (every_user and user.role == UserRole.ADMIN):
        query = query.where(ApiToken.user_id == user.id)
    return list(db.session.scalars(query))


def manageable(user: User, token_id: int) -> ApiToken | None:
    """The token with this id if `user` may revoke it (their own; any for admins)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != user.id and user.role != UserRole.ADMIN):
        return None
    return token


def authenticate(secret: str) -> ApiToken | None:
    """The active token with this value whose user is active, or None."""
    if not secret or len(secret) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    return token


def touch(token: ApiToken) -> None:
    """Note that the token was used (at most once a minute). Flushes."""
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now
        db.session.flush()


def allows(token: ApiToken, scope: str) -> bool:
    """May this token do what `scope` names?"""
    return scope in ALLOWS.get(token.scope, set())
