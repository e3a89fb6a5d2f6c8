"""Signing in as an organiser who holds the role at one event (per-event roles), for workspace tests."""
from events_app.choices import EventRole
from events_app.events import access


def organiser_at(auth, db, event):
    """Sign in as the test organiser and grant them the organiser role at `event`; returns the user."""
    user = auth.login("organiser")
    access.grant(user, event, EventRole.ORGANISER)
    db.session.commit()
    return user
