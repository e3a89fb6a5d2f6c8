"""Public pages: the list of events, an event's page, and the health check."""
from datetime import date

from flask import Blueprint, render_template
from sqlalchemy import text

from events_app.events.services import event_or_404, upcoming_events
from events_app.extensions import db
from events_app.registration.capacity import places_left

bp = Blueprint("events", __name__)


@bp.route("/")
def index():
    """Open and upcoming events."""
    return render_template("events/index.html", events=upcoming_events(date.today()))


@bp.route("/events/<slug>")
def detail(slug: str):
    """One event's public page, with a link to register while registration is open."""
    event = event_or_404(slug)
    return render_template("events/detail.html", event=event, places_left=places_left(event))


@bp.route("/healthz")
def healthz():
    """Liveness and a database round trip, for load balancers and monitoring."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
