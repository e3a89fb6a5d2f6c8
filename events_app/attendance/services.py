"""Check-in at the door: by badge code or by name, once per delegate per day (and per session); lost badges."""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, load_only

from events_app.attendance.first_scan import Arrival, DeskDelegate, find_and_check_in
from events_app.attendance.models import CheckIn, EventSession, RevokedCode, SessionCheckIn
from events_app.audit import services as audit
from events_app.choices import Status
from events_app.database import LIKE_ESCAPE, contains_pattern
from events_app.extensions import db
from events_app.models import utcnow
from events_app.registration.models import Registration, new_checkin_code

MAX_CODE = 64  # a longer "code" is a scanner misread or a paste: unknown without a query
# What the desk shows of a delegate; a scan loads these and nothing else.
DESK_COLUMNS = (Registration.id, Registration.event_id, Registration.status, Registration.full_name,
                Registration.name_latin, Registration.organisation)


@dataclass(frozen=True)
class CheckInOutcome:
    """The result of a scan or a click at the desk, in the words the desk shows."""

    # checked_in | already | not_approved | unknown | other_event | revoked
    result: str
    registration: Registration | DeskDelegate | None = None
    checkin: CheckIn | SessionCheckIn | Arrival | None = None


def _clean(code: str | None) -> str:
    code = (code or "").strip()
    return code if len(code) <= MAX_CODE else ""


def find_by_code(event_id: int, code: str) -> Registration | None:
    """The registration of this event whose badge carries this check-in code (scanners may add spaces)."""
    registration = _by_code(_clean(code))
    return registration if registration is not None and registration.event_id == event_id else None


def _by_code(code: str) -> Registration | None:
    if not code:
        return None
    # Only what the desk decides on and shows: a scan must not pay for the other 40-odd columns.
    return db.session.scalar(select(Registration).options(load_only(*DESK_COLUMNS))
                             .where(Registration.checkin_code == code))


def scan(event_id: int, code: str, *, day: date, by_user=None, method: str = "scan",
         at: datetime | None = None, session: EventSession | None = None) -> CheckInOutcome:
    """Check in whoever carries this badge code; says why not for another event's badge or a revoked one."""
    code = _clean(code)
    if code and session is None:
        return _first_scan(event_id, code, day=day, by_user=by_user, method=method, at=at)
    registration = _by_code(code)
    if registration is None:
        return _not_found(event_id, code)
    if registration.event_id != event_id:
        return CheckInOutcome("other_event")  # nothing about another event's delegate
    return check_in(registration, day=day, by_user=by_user, method=method, at=at, session=session)


def _not_found(event_id: int, code: str) -> CheckInOutcome:
    revoked = _revoked_holder(event_id, code)
    return CheckInOutcome("revoked", revoked) if revoked is not None else CheckInOutcome("unknown")


def _first_scan(event_id: int, code: str, *, day: date, by_user, method: str,
                at: datetime | None) -> CheckInOutcome:
    # The morning queue's common case, a first scan of an approved delegate, is one statement (first_scan);
    # anything else (already in, not approved, another event) takes the ordinary path afterwards.
    now = utcnow()
    at = min(at, now) if at is not None else now
    by_user_id = getattr(by_user, "id", None)
    found = find_and_check_in(code, event_id=event_id, day=day, at=at, by_user_id=by_user_id, method=method)
    if found is None:
        return _not_found(event_id, code)
    registration, checkin_id = found
    if registration.event_id != event_id:
        return CheckInOutcome("other_event")
    if registration.status != Status.APPROVED:
        return CheckInOutcome("not_approved", registration)
    if checkin_id is None:  # in already (perhaps by another desk this very moment)
        attempt = CheckIn(registration_id=registration.id, event_id=registration.event_id, day=day,
                          checked_in_at=at, by_user_id=by_user_id, method=method)
        return CheckInOutcome("already", registration, _keep_earliest(attempt, checkin_for(registration.id, day)))
    return CheckInOutcome("checked_in", registration,
                          Arrival(checkin_id, registration.id, day, at, by_user_id, method))


def _revoked_holder(event_id: int, code: str) -> Registration | None:
    if not code:
        return None
    return db.session.scalar(
        select(Registration).options(load_only(*DESK_COLUMNS))
        .join(RevokedCode, RevokedCode.registration_id == Registration.id)
        .where(RevokedCode.code == code, Registration.event_id == event_id)
    )


def delegate_of_event(event_id: int, registration_id: int) -> Registration | None:
    """The registration with this id if it belongs to the event."""
    return db.session.scalar(
        select(Registration).where(Registration.id == registration_id, Registration.event_id == event_id)
    )


def search(event_id: int, text: str, *, limit: int = 20) -> list[Registration]:
    """Registrations whose name (native or Latin), badge name or organisation contains the text."""
    text = (text or "").strip()
    if len(text) < 2:
        return []
    folded, raw = contains_pattern(text.casefold()), contains_pattern(text)
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event_id,
                or_(
                    Registration.sort_name.like(folded, escape=LIKE_ESCAPE),
                    Registration.full_name.ilike(raw, escape=LIKE_ESCAPE),
                    Registration.badge_name.ilike(raw, escape=LIKE_ESCAPE),
                    Registration.organisation.ilike(raw, escape=LIKE_ESCAPE),
                ),
            )
            .order_by(Registration.sort_name)
            .limit(limit)
        )
    )


def check_in(registration: Registration | None, *, day: date, by_user=None, method: str = "scan",
             at: datetime | None = None, session: EventSession | None = None) -> CheckInOutcome:
    """Record the delegate's arrival for `day` (and `session`); a second time says when, and records nothing.

    `at` is when the scan happened (an offline desk sends its queue later); the earliest time wins.
    Arriving at a session is arriving that day too, so day counts and certificates include it.
    """
    if registration is None:
        return CheckInOutcome("unknown")
    if registration.status != Status.APPROVED:
        return CheckInOutcome("not_approved", registration)
    now = utcnow()
    at = min(at, now) if at is not None else now  # a desk's clock running fast does not date the future
    by_user_id = getattr(by_user, "id", None)
    result, row = _record_once(CheckIn(registration_id=registration.id, event_id=registration.event_id, day=day,
                                       checked_in_at=at, by_user_id=by_user_id, method=method),
                               lambda: checkin_for(registration.id, day))
    if session is not None:
        result, row = _record_once(SessionCheckIn(registration_id=registration.id, session_id=session.id,
                                                  checked_in_at=at, by_user_id=by_user_id, method=method),
                                   lambda: session_checkin_for(registration.id, session.id))
    return CheckInOutcome(result, registration, row)


def _record_once(row, earlier_row):
    """Insert the arrival; if the unique constraint says it is there already, keep the earlier time."""
    # Insert first and let the constraint say "already": the first scan, the common case, costs one statement.
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        # Scanned before (or by another desk at the same moment): say when, record nothing new.
        return "already", _keep_earliest(row, earlier_row())
    return "checked_in", row


def _keep_earliest(attempt, earlier):
    """The recorded arrival, moved to the attempt's time (and desk) when that was earlier: an offline desk."""
    if earlier is not None and attempt.checked_in_at < earlier.checked_in_at:
        model = type(earlier)
        # One conditional UPDATE: two desks sending earlier times at once cannot leave the later one.
        db.session.execute(
            update(model).where(model.id == earlier.id, model.checked_in_at > attempt.checked_in_at)
            .values(checked_in_at=attempt.checked_in_at, by_user_id=attempt.by_user_id, method=attempt.method),
            execution_options={"synchronize_session": False})
        db.session.refresh(earlier)
    return earlier


def session_checkin_for(registration_id: int, session_id: int) -> SessionCheckIn | None:
    """The delegate's check-in at that session, with who recorded it."""
    return db.session.scalar(select(SessionCheckIn).options(joinedload(SessionCheckIn.by_user)).where(
        SessionCheckIn.registration_id == registration_id, SessionCheckIn.session_id == session_id))


def sessions_of(event_id: int, day: date | None = None) -> list[EventSession]:
    """The event's sessions (of one day), in programme order."""
    query = select(EventSession).where(EventSession.event_id == event_id)
    if day is not None:
        query = query.where(EventSession.day == day)
    return list(db.session.scalars(query.order_by(EventSession.day, EventSession.position, EventSession.id)))


def session_of(event_id: int, session_id: int | None) -> EventSession | None:
    """The session with this id if it belongs to the event."""
    if not session_id:
        return None
    return db.session.scalar(select(EventSession).where(EventSession.id == session_id,
                                                        EventSession.event_id == event_id))


def checkin_for(registration_id: int, day: date) -> CheckIn | None:
    """The delegate's check-in on that day, with who recorded it."""
    return db.session.scalar(select(CheckIn).options(joinedload(CheckIn.by_user))
                             .where(CheckIn.registration_id == registration_id, CheckIn.day == day))


def arrivals(day: date, session: EventSession | None = None):
    """The arrivals to count and their join to Registration: the day's check-ins, or one session's."""
    if session is not None:
        return SessionCheckIn, and_(SessionCheckIn.registration_id == Registration.id,
                                    SessionCheckIn.session_id == session.id)
    return CheckIn, and_(CheckIn.registration_id == Registration.id, CheckIn.day == day)


def checked_in_ids(event_id: int, day: date, session: EventSession | None = None) -> set[int]:
    """Ids of the event's registrations checked in on that day (or at that session)."""
    if session is not None:
        return set(db.session.scalars(select(SessionCheckIn.registration_id)
                                      .where(SessionCheckIn.session_id == session.id)))
    return set(
        db.session.scalars(
            select(CheckIn.registration_id).where(CheckIn.event_id == event_id, CheckIn.day == day)
        )
    )


def undo_check_in(registration: Registration | None, *, day: date, session: EventSession | None = None) -> bool:
    """Remove the delegate's check-in for `day` (or only for `session`): a wrong badge scanned; False if none."""
    if registration is None:
        return False
    row = session_checkin_for(registration.id, session.id) if session else checkin_for(registration.id, day)
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    return True


def revoke_code(registration: Registration, *, by_user=None) -> str:
    """A lost badge: its code answers "revoked" from now on, and the delegate gets a new one (returned)."""
    old = registration.checkin_code
    db.session.add(RevokedCode(registration_id=registration.id, code=old, by_user_id=getattr(by_user, "id", None)))
    registration.checkin_code = new_checkin_code()
    db.session.flush()
    if by_user is not None:
        audit.record("badge.revoked", user=by_user, registration=registration,
                     summary="Lost badge: code revoked, a new badge issued")
    return registration.checkin_code
