"""The public event pages: the list of events and one event's page, where people go to register.

They show places left (registration's count), so they live here, but stay on the `events`
blueprint: their URLs and endpoint names (events.index, events.detail) do not change.
"""
from datetime import date

from flask import render_template

from events_app.events.services import event_or_404, upcoming_events
from events_app.events.views import bp
from events_app.registration.capacity import places_left


@bp.route("/")
def index():
    """Open and upcoming events."""
    return render_template("events/index.html", events=upcoming_events(date.today()))


@bp.route("/events/<slug>")
def detail(slug: str):
    """One event's public page, with a link to register while registration is open."""
    event = event_or_404(slug)
    return render_template("events/detail.html", event=event, places_left=places_left(event))
