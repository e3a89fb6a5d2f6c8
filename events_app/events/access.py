"""Who may do what at which event: admins everywhere; organisers, staff and rapporteurs where granted.

Another event's pages answer 404 to a user without a role there (the event's existence is not
revealed); a user with a role there but not the one a page needs gets 403.
"""
from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from events_app.auth.models import EventRoleGrant, User
from events_app.choices import EventRole, UserRole
from events_app.events.models import Event
from events_app.extensions import db, login_manager

# Every role at an event, for pages any of its team may see.
ANY_ROLE = tuple(EventRole)


class AccessError(ValueError):
    """A grant or revocation that cannot be made; the message says why."""


def role_at(user, event_id: int) -> EventRole | None:
    """The user's role at this event (None without a grant; admins hold every role, see `may`)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(EventRoleGrant.role).where(EventRoleGrant.user_id == user.id, EventRoleGrant.event_id == event_id)
    )


def may(user, event, *roles: EventRole) -> bool:
    """May this user act at this event in one of these roles (any role when none are named)?"""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == UserRole.ADMIN:
        return True
    held = role_at(user, event.id)
    return held is not None and (not roles or held in roles)


def event_for(slug: str, *roles: EventRole) -> Event:
    """The event with this slug if the signed-in user may act there in one of `roles`; else 404 or 403."""
    event = db.session.scalar(select(Event).where(Event.slug == slug)) or abort(404)
    if may(current_user, event, *roles):
        return event
    if current_user.role != UserRole.ADMIN and role_at(current_user, event.id) is not None:
        abort(403)  # of this event's team, but not allowed this page
    abort(404)


def event_view(*roles: EventRole):
    """Decorate a view taking `slug`: sign-in required, then the view gets `event` (see event_for) instead."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, slug: str, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            return view(*args, event=event_for(slug, *roles), **kwargs)

        return wrapped

    return decorator


def visible_events(user):
    """A SELECT of the events this user may see (every event for admins), soonest last-started first."""
    query = select(Event).order_by(Event.starts_on.desc())
    if user.role != UserRole.ADMIN:
        query = query.join(EventRoleGrant, EventRoleGrant.event_id == Event.id).where(EventRoleGrant.user_id == user.id)
    return query


def grant(user: User, event: Event, role: EventRole | str) -> EventRoleGrant:
    """Give the user this role at the event (replacing a role they had there)."""
    role = EventRole(role)
    existing = db.session.scalar(
        select(EventRoleGrant).where(EventRoleGrant.user_id == user.id, EventRoleGrant.event_id == event.id)
    )
    if existing is None:
        existing = EventRoleGrant(user_id=user.id, event_id=event.id, role=role)
        db.session.add(existing)
    existing.role = role
    db.session.flush()
    return existing


def revoke(user: User, event: Event) -> None:
    """Take away the user's role at the event; AccessError when they had none."""
    existing = db.session.scalar(
        select(EventRoleGrant).where(EventRoleGrant.user_id == user.id, EventRoleGrant.event_id == event.id)
    )
    if existing is None:
        raise AccessError(f"{user.email} has no role at {event.slug}")
    db.session.delete(existing)
    db.session.flush()
