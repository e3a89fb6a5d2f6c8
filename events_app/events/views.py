"""The events blueprint: the health check (registration.event_pages adds the public event pages to it)."""
from flask import Blueprint
from sqlalchemy import text

from events_app.extensions import db

bp = Blueprint("events", __name__)


@bp.route("/healthz")
def healthz():
    """Liveness and a database round trip, for load balancers and monitoring."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
