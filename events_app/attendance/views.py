"""The check-in desk: scan a badge (scanner, camera or typed) or find a name, and the delegate is in for the day.

Every page works without JavaScript (Post/Redirect/Get); desk.js posts the same forms as JSON
(with the CSRF token in a header) and shows the same result fragment without a reload.
"""
from flask import Blueprint, abort, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user

from events_app.attendance import services
from events_app.attendance.counts import live_counts
from events_app.attendance.forms import DeskForm, RevokeForm, ScanForm, SearchCheckInForm
from events_app.attendance.models import CheckIn, SessionCheckIn
from events_app.events.access import TEAM_ROLES, event_view
from events_app.events.models import Event
from events_app.extensions import db
from events_app.registration.models import Registration

bp = Blueprint("attendance", __name__)


def desk_day(event, requested):
    """The day being checked in: the one asked for if it is an event day, else today, else day one."""
    if requested in event.days:
        return requested
    today = event.today()
    return today if today in event.days else event.starts_on


def desk_place(event, form) -> tuple:
    """The day and the session (None: the whole day) a desk form is for; a session decides its own day."""
    session = services.session_of(event.id, form.session.data)
    return (session.day if session else desk_day(event, form.day.data)), session


def requested_place(event) -> tuple:
    """The day and session a GET page was asked for (?day=&session=); 400 for a day that is not a date."""
    form = DeskForm(request.args)
    if not form.validate():
        abort(400)  # only a hand-edited link sends one
    return desk_place(event, form)


def back_to_desk(event, day, session):
    """Post/Redirect/Get: the desk page of that day and session."""
    return redirect(url_for(".desk", slug=event.slug, day=day.isoformat(), session=session.id if session else None))


@bp.route("/<slug>", methods=["GET"])
@event_view(*TEAM_ROLES)
def desk(event: Event):
    """The desk page: scan box, camera, name search, the last result and the day's counts."""
    day, desk_session = requested_place(event)
    query = DeskForm(request.args).q.data
    results = services.search(event.id, query) if query else []
    return render_template(
        "attendance/desk.html",
        event=event,
        day=day,
        today=event.today(),
        session=desk_session,
        sessions=services.sessions_of(event.id, day),
        scan_form=ScanForm(formdata=None, day=day),
        pick_form=SearchCheckInForm(formdata=None, day=day),
        query=query,
        results=results,
        checked_in=services.checked_in_ids(event.id, day, desk_session) if results else set(),
        counts=live_counts(event, day, desk_session),
        last=_last_result(event),
    )


@bp.route("/<slug>/scan", methods=["POST"])
@event_view(*TEAM_ROLES)
def scan(event: Event):
    """Check in by badge code: a form post (redirects back) or desk.js's JSON (answers the result)."""
    form = ScanForm()
    day, desk_session = desk_place(event, form)
    if not form.validate_on_submit():
        if request.is_json:
            return jsonify(result="invalid", errors=form.errors), 400
        return back_to_desk(event, day, desk_session)
    outcome = services.scan(event.id, form.code.data, day=day, by_user=current_user, session=desk_session)
    db.session.commit()
    if request.is_json:
        return jsonify(result_json(event, day, desk_session, outcome))
    session["last_checkin"] = _remembered(outcome)
    return back_to_desk(event, day, desk_session)


@bp.route("/<slug>/checkin", methods=["POST"])
@event_view(*TEAM_ROLES)
def pick(event: Event):
    """Check in a delegate chosen from the name search."""
    return _act_on_delegate(event, SearchCheckInForm(), lambda registration, day, desk_session: _remembered(
        services.check_in(registration, day=day, by_user=current_user, method="search", session=desk_session)))


@bp.route("/<slug>/undo", methods=["POST"])
@event_view(*TEAM_ROLES)
def undo(event: Event):
    """Take back a check-in made by mistake (the wrong badge was scanned)."""
    return _act_on_delegate(event, SearchCheckInForm(), lambda registration, day, desk_session: (
        {"result": "undone", "registration_id": registration.id}
        if services.undo_check_in(registration, day=day, session=desk_session) else None))


@bp.route("/<slug>/revoke", methods=["POST"])
@event_view(*TEAM_ROLES)
def revoke(event: Event):
    """A lost badge: revoke its code; the desk then offers the new badge, ready to print."""
    def reissue(registration, day, desk_session):
        services.revoke_code(registration, by_user=current_user)
        return {"result": "reissued", "registration_id": registration.id}

    return _act_on_delegate(event, RevokeForm(), reissue)


def _act_on_delegate(event, form, act):
    """The buttons beside a delegate: find them in this event, act, commit, and show the result once."""
    day, desk_session = desk_place(event, form)
    registration = services.delegate_of_event(event.id, form.registration_id.data) \
        if form.validate_on_submit() else None
    if registration is not None:
        last = act(registration, day, desk_session)
        if last:
            db.session.commit()
            session["last_checkin"] = last
    return back_to_desk(event, day, desk_session)


def result_json(event, day, session, outcome) -> dict:
    """What desk.js shows for a scan: the result word and the same fragment the page shows."""
    last = {"result": outcome.result, "registration": outcome.registration, "checkin": outcome.checkin}
    return {"result": outcome.result, "day": day.isoformat(),
            "html": render_template("attendance/_result.html", event=event, day=day, session=session, last=last)}


def _remembered(outcome) -> dict:
    # The result is shown once on the next page (PRG), without personal data in the URL.
    # Only ids go into the (signed, not encrypted) session cookie, never names.
    return {
        "result": outcome.result,
        "registration_id": outcome.registration.id if outcome.registration else None,
        "checkin_id": outcome.checkin.id if outcome.checkin else None,
        "at_session": isinstance(outcome.checkin, SessionCheckIn),
    }


def _last_result(event) -> dict | None:
    last = session.pop("last_checkin", None)
    if not last:
        return None
    registration = checkin = None
    if last.get("registration_id"):
        registration = db.session.get(Registration, last["registration_id"])
        if registration is None or registration.event_id != event.id:
            registration = None
    if registration is not None and last.get("checkin_id"):
        checkin = db.session.get(SessionCheckIn if last.get("at_session") else CheckIn, last["checkin_id"])
    return {"result": last.get("result"), "registration": registration, "checkin": checkin,
            "walkin": last.get("walkin", False), "existing": last.get("existing", False)}


# The desk's other pages register on this blueprint.
from events_app.attendance import desk_api, report_views, session_views, walkin_views  # noqa: E402,F401
