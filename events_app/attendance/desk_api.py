"""What desk.js asks for: live counts, the day's codes for offline use, a batch of offline scans, the worker."""
from datetime import date

from flask import current_app, jsonify, request, send_from_directory
from flask_babel import get_locale
from flask_login import current_user

from events_app.attendance import offline
from events_app.attendance.counts import live_counts
from events_app.attendance.services import session_of
from events_app.attendance.views import bp, desk_day, requested_place
from events_app.countries import country_name
from events_app.events.access import TEAM_ROLES, event_view
from events_app.events.models import Event
from events_app.extensions import db


@bp.route("/<slug>/counts.json")
@event_view(*TEAM_ROLES)
def counts_json(event: Event):
    """The day's counts, polled every few seconds by the desk page."""
    locale = str(get_locale() or "en")
    day, session = requested_place(event)
    response = jsonify(live_counts(event, day, session).as_json(lambda code: country_name(code, locale)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<slug>/codes.json")
@event_view(*TEAM_ROLES)
def codes_json(event: Event):
    """The day's codes and names, kept by the browser so the desk answers scans when the wifi drops."""
    response = jsonify(offline.day_list(event.id, *requested_place(event)))
    response.headers["Cache-Control"] = "no-store, private"
    return response


@bp.route("/<slug>/batch", methods=["POST"])
@event_view(*TEAM_ROLES)
def batch(event: Event):
    """Scans queued while offline; answers each one's result (idempotent: sending twice records nothing more)."""
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    session_id = body.get("session")
    session = session_of(event.id, session_id) if isinstance(session_id, int) else None
    day = session.day if session else desk_day(event, _iso_day(body.get("day")))
    try:
        scans = offline.parse_batch(body.get("scans"))
    except ValueError as error:
        return jsonify(error=str(error)), 400
    outcomes = offline.record_batch(event.id, scans, day=day, by_user=current_user, session=session)
    db.session.commit()
    return jsonify(day=day.isoformat(), results=[{"code": s.code, "result": o.result}
                                                 for s, o in zip(scans, outcomes, strict=True)])


def _iso_day(value):
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@bp.route("/desk-worker.js")
def service_worker():
    """The desk's service worker, served from /checkin/ so it may keep the desk pages (its scope)."""
    response = send_from_directory(current_app.static_folder, "desk-worker.js", mimetype="text/javascript",
                                   max_age=0)
    response.headers["Service-Worker-Allowed"] = "/checkin/"
    return response
