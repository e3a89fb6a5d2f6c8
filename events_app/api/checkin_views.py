"""Check-ins: by badge code or registration, the day's list, undo, and the offline desk's batch."""
from datetime import date

from sqlalchemy import select

from events_app.api.errors import ApiError
from events_app.api.requests import bounded_id, bp, current_user, event_for
from events_app.api.schemas import BatchIn, BatchOut, CheckInIn, CheckInList, CheckInOut, DayQuery, ErrorBody
from events_app.api.spec import operation, responses
from events_app.attendance import services as attendance
from events_app.attendance.models import CheckIn
from events_app.events.access import TEAM_ROLES
from events_app.extensions import db
from events_app.registration.models import Registration


def _day(event, day: date | None) -> date:
    """The day asked for (today in the event's zone by default); 422 if the event does not have it."""
    day = day or event.today()
    if day not in event.days:
        raise ApiError(422, f"{day.isoformat()} is not a day of this event.", code="not_an_event_day",
                       fields={"day": [f"One of {', '.join(d.isoformat() for d in event.days)}."]})
    return day


@bp.post("/events/<slug>/checkins")
@operation(json=CheckInIn, resp=responses(HTTP_201=CheckInOut, HTTP_200=CheckInOut, HTTP_409=ErrorBody),
           tags=["check-ins"], operation_id="createCheckIn")
def create_check_in(slug: str, json: CheckInIn):
    """Check a delegate in for a day, by the badge's code (a scan) or the registration's id.

    201 when recorded; 200 with `already` and the first time when they were checked in before
    (nothing new is recorded); 404 for a code or id unknown at this event; 409 `not_approved`
    for a delegate who is not approved (the desk turns them away).
    """
    event = event_for(slug, "checkin", *TEAM_ROLES)
    if (json.badge_code is None) == (json.registration_id is None):
        raise ApiError(422, "Send either badge_code or registration_id.",
                       fields={"badge_code": ["Send this or registration_id, not both."]})
    day = _day(event, json.day)
    if json.badge_code is not None:
        registration = attendance.find_by_code(event.id, json.badge_code)
    else:
        registration = attendance.delegate_of_event(event.id, json.registration_id)
    outcome = attendance.check_in(registration, day=day, by_user=current_user(), method="api")
    if outcome.result == "unknown":
        raise ApiError(404, "No delegate of this event has this badge code or id.", code="unknown_delegate")
    if outcome.result == "not_approved":
        raise ApiError(409, f"This delegate's registration is {outcome.registration.status.value}, not approved.",
                       code="not_approved")
    db.session.commit()
    checkin = outcome.checkin
    person = db.session.get(Registration, checkin.registration_id)
    return {"result": outcome.result, "registration_id": person.id, "full_name": person.full_name,
            "day": checkin.day, "checked_in_at": checkin.checked_in_at}, 201 if outcome.result == "checked_in" else 200


@bp.get("/events/<slug>/checkins")
@operation(query=DayQuery, resp=responses(HTTP_200=CheckInList, HTTP_422=ErrorBody), tags=["check-ins"],
           operation_id="listCheckIns")
def list_check_ins(slug: str, query: DayQuery):
    """Who was checked in on a day, in order of arrival."""
    event = event_for(slug, "read", *TEAM_ROLES)
    day = _day(event, query.day)
    rows = db.session.execute(
        select(CheckIn, Registration).join(Registration, Registration.id == CheckIn.registration_id)
        .where(Registration.event_id == event.id, CheckIn.day == day)
        .order_by(CheckIn.checked_in_at, CheckIn.id)
    ).all()
    return {"day": day, "total": len(rows), "items": [
        {"registration_id": person.id, "full_name": person.full_name, "name_latin": person.name_latin,
         "organisation": person.organisation, "checked_in_at": checkin.checked_in_at, "method": checkin.method}
        for checkin, person in rows]}


@bp.delete("/events/<slug>/checkins/<int:registration_id>")
@operation(query=DayQuery, resp=responses(HTTP_204=None, HTTP_422=ErrorBody), tags=["check-ins"],
           operation_id="undoCheckIn")
def undo_check_in(slug: str, registration_id: int, query: DayQuery):
    """Take back a check-in (the wrong badge was scanned); 404 if they were not checked in that day."""
    event = event_for(slug, "checkin", *TEAM_ROLES)
    day = _day(event, query.day)
    registration = attendance.delegate_of_event(event.id, bounded_id(registration_id))
    if not attendance.undo_check_in(registration, day=day):
        raise ApiError(404, "This delegate was not checked in on that day.")
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
    day = _day(event, json.day)
    outcomes = attendance.record_batch(event.id, [(scan.code, scan.at) for scan in json.scans], day=day,
                                       by_user=current_user())
    db.session.commit()
    return {"results": [{"code": scan.code, "result": outcome.result,
                         "registration_id": outcome.registration.id if outcome.registration else None}
                        for scan, outcome in zip(json.scans, outcomes, strict=True)]}
