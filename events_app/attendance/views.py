"""The check-in desk: scan a badge or find a name, and the delegate is in for the day."""
from datetime import datetime

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_login import current_user

from events_app.attendance import services
from events_app.attendance.forms import DeskForm, ScanForm, SearchCheckInForm
from events_app.events.access import TEAM_ROLES, event_view
from events_app.events.models import Event
from events_app.extensions import db
from events_app.registration.capacity import approved_count
from events_app.registration.models import Registration

bp = Blueprint("attendance", __name__)


def _desk_day(event, requested):
    """The day being checked in: the one asked for if it is an event day, else today, else day one."""
    if requested in event.days:
        return requested
    today = event.today()
    return today if today in event.days else event.starts_on


@bp.route("/<slug>", methods=["GET"])
@event_view(*TEAM_ROLES)
def desk(event: Event):
    """The desk page: scan box, name search, the last result and today's count."""
    form = DeskForm(request.args)
    if not form.validate():
        abort(400)  # a day that is not a date: only a hand-edited link sends one
    day = _desk_day(event, form.day.data)
    query = form.q.data
    results = services.search(event.id, query) if query else []
    return render_template(
        "attendance/desk.html",
        event=event,
        day=day,
        today=event.today(),
        scan_form=ScanForm(formdata=None, day=day),
        pick_form=SearchCheckInForm(formdata=None, day=day),
        query=query,
        results=results,
        checked_in=services.checked_in_ids(event.id, day) if results else set(),
        count=services.day_count(event.id, day),
        approved=approved_count(event.id),
        last=_last_result(event),
    )


@bp.route("/<slug>/scan", methods=["POST"])
@event_view(*TEAM_ROLES)
def scan(event: Event):
    """Check in by badge code."""
    return _check_in(event, ScanForm(), lambda form: services.find_by_code(event.id, form.code.data), "scan")


@bp.route("/<slug>/checkin", methods=["POST"])
@event_view(*TEAM_ROLES)
def pick(event: Event):
    """Check in a delegate chosen from the name search."""
    return _check_in(event, SearchCheckInForm(),
                     lambda form: services.delegate_of_event(event.id, form.registration_id.data), "search")


@bp.route("/<slug>/undo", methods=["POST"])
@event_view(*TEAM_ROLES)
def undo(event: Event):
    """Take back a check-in made by mistake (the wrong badge was scanned)."""
    form = SearchCheckInForm()
    day = _desk_day(event, form.day.data)
    if form.validate_on_submit():
        registration = services.delegate_of_event(event.id, form.registration_id.data)
        if services.undo_check_in(registration, day=day):
            db.session.commit()
            session["last_checkin"] = {"result": "undone", "registration_id": registration.id, "at": ""}
    return redirect(url_for(".desk", slug=event.slug, day=day.isoformat()))


def _check_in(event, form, find_delegate, method: str):
    """Scan and name search differ only in how the delegate is found; the check-in is the same."""
    day = _desk_day(event, form.day.data)
    if form.validate_on_submit():
        registration = find_delegate(form)
        _remember(services.check_in(registration, day=day, by_user=current_user, method=method))
        db.session.commit()
    return redirect(url_for(".desk", slug=event.slug, day=day.isoformat()))


def _remember(outcome) -> None:
    # The result is shown once on the next page (PRG), without personal data in the URL.
    # Only ids go into the (signed, not encrypted) session cookie, never names.
    session["last_checkin"] = {
        "result": outcome.result,
        "registration_id": outcome.registration.id if outcome.registration else None,
        "at": outcome.checkin.checked_in_at.isoformat() if outcome.checkin else "",
    }


def _last_result(event) -> dict | None:
    last = session.pop("last_checkin", None)
    if not last:
        return None
    registration = None
    if last.get("registration_id"):
        registration = db.session.get(Registration, last["registration_id"])
        if registration is None or registration.event_id != event.id:
            registration = None
    at = datetime.fromisoformat(last["at"]) if last.get("at") else None
    return {"result": last.get("result"), "registration": registration, "at": at}

