"""Who may do what at which event: admins everywhere; organisers, staff and rapporteurs where granted.

Another event's pages answer 404 to a user without a role there (the event's existence is not
revealed); a user with a role there but not the one a page needs gets 403.
"""
from functools import wraps

from flask import Flask, abort, has_request_context, request
from flask_login import current_user
from sqlalchemy import select

from events_app.auth.models import EventRoleGrant, User
from events_app.choices import EventRole, UserRole
from events_app.events.models import Event
from events_app.extensions import db, login_manager

# Every role at an event, for pages any of its team may see.
ANY_ROLE = tuple(EventRole)
# The people who run an event on the day: printing, documents and the check-in desk.
TEAM_ROLES = (EventRole.ORGANISER, EventRole.STAFF)


class AccessError(ValueError):
    """A grant or revocation that cannot be made; the message says why."""


def role_at(user, event_id: int) -> EventRole | None:
    """The user's role at this event (None without a grant; admins hold every role, see `may`)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    known = _known_roles(user)
    if event_id not in known and not known.get(ALL_READ):
        known.update(db.session.execute(
            select(EventRoleGrant.event_id, EventRoleGrant.role).where(EventRoleGrant.user_id == user.id)
        ).tuples().all())
        known[ALL_READ] = True
    return known.get(event_id)


# The roles a request has read, kept in its environ (which lives exactly as long as the request): a page
# that shows many events reads the user's roles once. ALL_READ marks that every role was read.
_CACHE_KEY = "events_app.event_roles"
ALL_READ = "all"


def _known_roles(user) -> dict:
    return request.environ.setdefault(_CACHE_KEY, {}).setdefault(user.id, {}) if has_request_context() else {}


def _forget_roles(user) -> None:
    if has_request_context():
        request.environ.get(_CACHE_KEY, {}).pop(user.id, None)


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
    # The event and the user's role there in one statement (pages count their statements).
    found = db.session.execute(
        select(Event, EventRoleGrant.role).where(Event.slug == slug).outerjoin(
            EventRoleGrant, (EventRoleGrant.event_id == Event.id) & (EventRoleGrant.user_id == current_user.id))
    ).first() or abort(404)
    event, held = found
    _known_roles(current_user)[event.id] = held
    if may(current_user, event, *roles):
        return event
    if current_user.role != UserRole.ADMIN and held is not None:
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

        wrapped.event_roles = roles or ANY_ROLE  # read by the access tests, which walk every route
        return wrapped

    return decorator


def visible_events(user, *roles: EventRole):
    """A SELECT of the events where this user holds one of `roles` (any role when none are named).

    Every event for admins; the latest first.
    """
    query = select(Event).order_by(Event.starts_on.desc())
    within = events_where(user, *roles)
    return query if within is None else query.where(Event.id.in_(within))


def events_where(user, *roles: EventRole):
    """A SELECT of the ids of the events where this user holds one of `roles`; None for admins (every event)."""
    if user.role == UserRole.ADMIN:
        return None
    query = select(EventRoleGrant.event_id).where(EventRoleGrant.user_id == user.id)
    return query.where(EventRoleGrant.role.in_(roles)) if roles else query


def register(app: Flask) -> None:
    """The Jinja global `may(event, *roles)`: may the signed-in user act at this event in one of these roles?"""
    app.add_template_global(lambda event, *roles: may(current_user, event, *roles), "may")


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
    _forget_roles(user)
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
    _forget_roles(user)
