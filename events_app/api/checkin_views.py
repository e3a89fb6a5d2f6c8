"""Check-ins: the sessions, check in by badge code or registration, the day's (or a session's) list, undo, and
the offline desk's batch — all through the desk's own services (attendance/services.py, attendance/offline.py)."""
from datetime import date

from sqlalchemy import select

from events_app.api.errors import ApiError
from events_app.api.requests import bounded_id, bp, current_user, event_for
from events_app.api.schemas import (
    BatchIn,
    BatchOut,
    CheckInIn,
    CheckInList,
    CheckInOut,
    DayQuery,
    ErrorBody,
    SessionList,
)
from events_app.api.spec import operation, responses
from events_app.attendance import offline
from events_app.attendance import services as attendance
from events_app.events.access import TEAM_ROLES
from events_app.extensions import db
from events_app.registration.models import Registration


def _day_and_session(event, day: date | None, session_id: int | None):
    """The day asked for (today in the event's zone by default) and the session, if one is named; 422 otherwise."""
    session = None
    if session_id is not None:
        session = attendance.session_of(event.id, session_id)
        if session is None:
            raise ApiError(422, "This event has no such session.", fields={"session_id": ["See GET …/sessions."]})
        day = day or session.day
        if session.day != day:
            raise ApiError(422, "This session is on another day.", fields={"session_id": [session.day.isoformat()]})
    day = day or event.today()
    if day not in event.days:
        raise ApiError(422, f"{day.isoformat()} is not a day of this event.", code="not_an_event_day",
                       fields={"day": [f"One of {', '.join(d.isoformat() for d in event.days)}."]})
    return day, session


@bp.get("/events/<slug>/sessions")
@operation(resp=responses(HTTP_200=SessionList), tags=["check-ins"], operation_id="listSessions")
def list_sessions(slug: str):
    """The event's sessions (plenaries, working groups), each checked in to on its own, in programme order."""
    event = event_for(slug, "read", *TEAM_ROLES)
    return {"items": [{"id": s.id, "day": s.day, "title": s.title, "kind": s.kind}
                      for s in attendance.sessions_of(event.id)]}


@bp.post("/events/<slug>/checkins")
@operation(json=CheckInIn, resp=responses(HTTP_201=CheckInOut, HTTP_200=CheckInOut, HTTP_409=ErrorBody,
                                          HTTP_422=ErrorBody), tags=["check-ins"], operation_id="createCheckIn")
def create_check_in(slug: str, json: CheckInIn):
    """Check a delegate in for a day (or a session), by the badge's code (a scan) or the registration's id.

    201 when recorded; 200 with `already` and the first time when they were checked in before
    (nothing new is recorded); 404 for a code or id unknown at this event; 409 `not_approved`
    for a delegate who is not approved (the desk turns them away), 409 `revoked` for a lost badge's code.
    """
    event = event_for(slug, "checkin", *TEAM_ROLES)
    if (json.badge_code is None) == (json.registration_id is None):
        raise ApiError(422, "Send either badge_code or registration_id.",
                       fields={"badge_code": ["Send this or registration_id, not both."]})
    day, session = _day_and_session(event, json.day, json.session_id)
    if json.badge_code is not None:
        outcome = attendance.scan(event.id, json.badge_code, day=day, by_user=current_user(), method="api",
                                  session=session)
    else:
        outcome = attendance.check_in(attendance.delegate_of_event(event.id, json.registration_id), day=day,
                                      by_user=current_user(), method="api", session=session)
    if outcome.result in ("unknown", "other_event"):  # nothing about another event's badges
        raise ApiError(404, "No delegate of this event has this badge code or id.", code="unknown_delegate")
    if outcome.result == "revoked":
        raise ApiError(409, "This badge was replaced (lost): use the delegate's new badge.", code="revoked")
    if outcome.result == "not_approved":
        raise ApiError(409, f"This delegate's registration is {outcome.registration.status.value}, not approved.",
                       code="not_approved")
    db.session.commit()
    person = db.session.get(Registration, outcome.registration.id)
    arrival = outcome.checkin or attendance.checkin_for(person.id, day)
    return {"result": outcome.result, "registration_id": person.id, "full_name": person.full_name, "day": day,
            "checked_in_at": arrival.checked_in_at}, 201 if outcome.result == "checked_in" else 200


@bp.get("/events/<slug>/checkins")
@operation(query=DayQuery, resp=responses(HTTP_200=CheckInList, HTTP_422=ErrorBody), tags=["check-ins"],
           operation_id="listCheckIns")
def list_check_ins(slug: str, query: DayQuery):
    """Who was checked in on a day (or at a session), in order of arrival."""
    event = event_for(slug, "read", *TEAM_ROLES)
    day, session = _day_and_session(event, query.day, query.session_id)
    arrival, joined = attendance.arrivals(day, session)
    rows = db.session.execute(
        select(arrival, Registration).join(Registration, joined).where(Registration.event_id == event.id)
        .order_by(arrival.checked_in_at, arrival.id)
    ).all()
    return {"day": day, "session_id": session.id if session else None, "total": len(rows), "items": [
        {"registration_id": person.id, "full_name": person.full_name, "name_latin": person.name_latin,
         "organisation": person.organisation, "checked_in_at": checkin.checked_in_at, "method": checkin.method}
        for checkin, person in rows]}


@bp.delete("/events/<slug>/checkins/<int:registration_id>")
@operation(query=DayQuery, resp=responses(HTTP_204=None, HTTP_422=ErrorBody), tags=["check-ins"],
           operation_id="undoCheckIn")
def undo_check_in(slug: str, registration_id: int, query: DayQuery):
    """Take back a check-in (the wrong badge was scanned); 404 if they were not checked in that day (or session)."""
    event = event_for(slug, "checkin", *TEAM_ROLES)
    day, session = _day_and_session(event, query.day, query.session_id)
    registration = attendance.delegate_of_event(event.id, bounded_id(registration_id))
    if not attendance.undo_check_in(registration, day=day, session=session):
        raise ApiError(404, "This delegate was not checked in then.")
    db.session.commit()
    return "", 204


@bp.post("/events/<slug>/checkins/batch")
@operation(json=BatchIn, resp=responses(HTTP_200=BatchOut, HTTP_422=ErrorBody), tags=["check-ins"],
           operation_id="batchCheckIns")
def batch_check_ins(slug: str, json: BatchIn):
    """The offline desk's queue of scans, sent when it is back online: idempotent, the earliest time wins.

    Each scan gets its own result in the order sent; sending the same batch again records nothing more.
    """
    event = event_for(slug, "checkin", *TEAM_ROLES)
    day, session = _day_and_session(event, json.day, json.session_id)
    scans = [offline.QueuedScan(scan.code, scan.at) for scan in json.scans]
    outcomes = offline.record_batch(event.id, scans, day=day, by_user=current_user(), session=session)
    db.session.commit()
    return {"results": [{"code": scan.code, "result": "unknown" if outcome.result == "other_event" else outcome.result,
                         "registration_id": outcome.registration.id if outcome.registration is not None
                         and outcome.result != "other_event" else None}
                        for scan, outcome in zip(json.scans, outcomes, strict=True)]}
