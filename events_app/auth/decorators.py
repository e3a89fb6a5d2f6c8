"""Route guards on the global role (admin pages, creating an event); event pages use events.access.event_view."""
from functools import wraps

from flask import abort
from flask_login import current_user

from events_app.extensions import login_manager


def role_required(*roles):
    """Allow signed-in users whose role is one of `roles` (admins always); others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
