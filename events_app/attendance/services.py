"""Check-in at the door: by badge code or by name, once per delegate per day."""
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import load_only

from events_app.attendance.models import CheckIn
from events_app.choices import Status
from events_app.database import LIKE_ESCAPE, contains_pattern
from events_app.extensions import db
from events_app.models import utcnow
from events_app.registration.models import Registration


@dataclass(frozen=True)
class CheckInOutcome:
    """The result of a scan or a click at the desk, in the words the desk shows."""

    result: str  # "checked_in" | "already" | "not_approved" | "unknown"
    registration: Registration | None = None
    checkin: CheckIn | None = None


def find_by_code(event_id: int, code: str) -> Registration | None:
    """The registration whose badge carries this check-in code (scanners may add spaces)."""
    code = (code or "").strip()
    if not code or len(code) > 64:
        return None
    # Only what the desk decides on: a scan must not pay for the other 40-odd columns.
    return db.session.scalar(
        select(Registration)
        .options(load_only(Registration.id, Registration.event_id, Registration.status))
        .where(Registration.event_id == event_id, Registration.checkin_code == code)
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


def check_in(registration: Registration | None, *, day: date, by_user=None, method: str = "scan") -> CheckInOutcome:
    """Record the delegate's arrival for `day`; a second time says when, and records nothing."""
    if registration is None:
        return CheckInOutcome("unknown")
    if registration.status != Status.APPROVED:
        return CheckInOutcome("not_approved", registration)
    # Insert first and let the (registration, day) constraint say "already": the first scan,
    # the common case, then costs one statement.
    checkin = CheckIn(
        registration_id=registration.id,
        day=day,
        checked_in_at=utcnow(),
        by_user_id=getattr(by_user, "id", None),
        method=method,
    )
    try:
        with db.session.begin_nested():
            db.session.add(checkin)
    except IntegrityError:
        # Scanned before (or by another desk at the same moment): say when, record nothing.
        return CheckInOutcome("already", registration, _checkin_for(registration.id, day))
    return CheckInOutcome("checked_in", registration, checkin)


def _checkin_for(registration_id: int, day: date) -> CheckIn | None:
    return db.session.scalar(select(CheckIn).where(CheckIn.registration_id == registration_id, CheckIn.day == day))


def checked_in_ids(event_id: int, day: date) -> set[int]:
    """Ids of the event's registrations checked in on that day."""
    return set(
        db.session.scalars(
            select(CheckIn.registration_id)
            .join(Registration, Registration.id == CheckIn.registration_id)
            .where(Registration.event_id == event_id, CheckIn.day == day)
        )
    )


def day_count(event_id: int, day: date) -> int:
    """How many delegates are checked in on that day."""
    return db.session.scalar(
        select(func.count(CheckIn.id))
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(Registration.event_id == event_id, CheckIn.day == day)
    ) or 0


def undo_check_in(registration: Registration | None, *, day: date) -> bool:
    """Remove the delegate's check-in for `day` (a wrong badge scanned); False when there was none."""
    if registration is None:
        return False
    checkin = _checkin_for(registration.id, day)
    if checkin is None:
        return False
    db.session.delete(checkin)
    db.session.flush()
    return True


def record_batch(event_id: int, scans: list[tuple[str, datetime]], *, day: date, by_user=None) -> list[CheckInOutcome]:
    """Check in a queue of (code, time) scans made offline, oldest first; the earliest time wins.

    Sending the same batch again records nothing more. The caller commits.
    """
    now = utcnow()
    outcomes: dict[int, CheckInOutcome] = {}
    for index, (code, at) in sorted(enumerate(scans), key=lambda pair: pair[1][1]):
        at = min(at if at.tzinfo else at.replace(tzinfo=UTC), now)  # a desk clock running fast dates no future
        outcome = check_in(find_by_code(event_id, code), day=day, by_user=by_user, method="offline")
        if outcome.checkin is not None and (outcome.result == "checked_in" or at < outcome.checkin.checked_in_at):
            outcome.checkin.checked_in_at = at
            db.session.flush()
        outcomes[index] = outcome
    return [outcomes[i] for i in range(len(scans))]
