"""Status changes: approve, decline, waitlist, cancel, and promotion from the waiting list.

`decide` is the one place that says whether a registration gets a place (capacity, quotas); every
path that may approve someone (registering, an organiser's change, promotion, a delegate's edit)
asks it. Changes announce themselves through events_app.signals (mail tells the delegate).
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from events_app import signals
from events_app.audit import services as audit
from events_app.choices import Status
from events_app.events.locking import lock_event
from events_app.extensions import db
from events_app.models import utcnow
from events_app.registration.capacity import FITS, Limit, PlaceCheck, check_place
from events_app.registration.models import Registration, StatusChange

# Which moves an organiser may make from each status.
ALLOWED = {
    Status.PENDING: {Status.APPROVED, Status.WAITLISTED, Status.DECLINED, Status.CANCELLED},
    Status.WAITLISTED: {Status.APPROVED, Status.DECLINED, Status.CANCELLED},
    Status.APPROVED: {Status.WAITLISTED, Status.DECLINED, Status.CANCELLED},
    Status.DECLINED: {Status.PENDING, Status.APPROVED, Status.WAITLISTED},
    Status.CANCELLED: {Status.PENDING, Status.APPROVED, Status.WAITLISTED},
}


class TransitionError(ValueError):
    """A status change that the rules refuse; the message is meant for the organiser."""


@dataclass(frozen=True)
class Decision:
    """The status a registration is to take, and the place check behind it."""

    status: Status
    place: PlaceCheck = FITS


def decide(event, registration: Registration, wanted: Status, *, when_full: Status | None) -> Decision:
    """The status `registration` may take when `wanted` is asked for (call under the event lock).

    Only approval needs a place (capacity and every quota). Without one the registration gets
    `when_full` (waitlisted, or left where it is), or TransitionError when `when_full` is None.
    """
    if wanted != Status.APPROVED:
        return Decision(wanted)
    place = check_place(event, registration)
    if place.fits:
        return Decision(Status.APPROVED, place)
    if when_full is None:
        raise TransitionError(place.reason)
    return Decision(when_full, place)


def record(registration: Registration, to: Status, *, by_user=None, actor: str = "system", reason: str = "") -> None:
    """Set the status and append the change to the registration's history."""
    change = StatusChange(
        from_status=registration.status,
        to_status=to,
        at=utcnow(),
        by_user_id=getattr(by_user, "id", None),
        actor="organiser" if by_user is not None and actor == "system" else actor,
        reason=reason,
    )
    registration.history.append(change)
    registration.status = to
    if to == Status.WAITLISTED:
        registration.waitlist_position = next_waitlist_position(registration.event_id)
    else:
        registration.waitlist_position = None


def next_waitlist_position(event_id: int) -> int:
    highest = db.session.scalar(
        select(func.max(Registration.waitlist_position)).where(Registration.event_id == event_id)
    )
    return (highest or 0) + 1


def move(event, registration: Registration, to: Status, *, by_user=None, actor: str = "system",
         reason: str = "", notify: bool = True) -> None:
    """Record a decided move (caller holds the event lock), tell the delegate, pass on a freed place."""
    previous = registration.status
    record(registration, to, by_user=by_user, actor=actor, reason=reason)
    db.session.flush()
    if notify:
        signals.status_changed.send(registration, reason=reason, previous=previous)
    if previous == Status.APPROVED:
        # The place this delegate frees goes to those already waiting, not straight back to them.
        promote_waitlisted(event, skip=registration if to == Status.WAITLISTED else None)


def change_status(
    registration: Registration,
    to: Status,
    *,
    by_user=None,
    actor: str = "system",
    reason: str = "",
    notify: bool = True,
) -> Status:
    """Move one registration to `to` under the event lock; returns the status it ended in.

    Approving beyond capacity or a full quota waitlists (event.waitlist_when_full) or raises
    TransitionError. Freeing a place promotes the first waitlisted delegates that fit. A change made
    by a user (`by_user`) is written to the audit log, whichever page or command made it.
    """
    event = lock_event(registration.event_id)
    db.session.refresh(registration)
    current = registration.status
    if to == current:
        return current
    if to not in ALLOWED[current]:
        raise TransitionError(
            _("A registration that is %(current)s cannot be made %(new)s.", current=current.label, new=to.label)
        )
    may_wait = event.waitlist_when_full and current != Status.WAITLISTED
    decision = decide(event, registration, to, when_full=Status.WAITLISTED if may_wait else None)
    move(event, registration, decision.status, by_user=by_user, actor=actor,
         reason=reason or decision.place.reason, notify=notify)
    if by_user is not None:
        audit.record("delegate.status", user=by_user, registration=registration, summary=reason,
                     changes={"status": (current, decision.status)})
    return decision.status


@dataclass
class BulkResult:
    """What a bulk action did, for the organiser's summary."""

    changed: list[Registration] = field(default_factory=list)
    waitlisted_instead: list[Registration] = field(default_factory=list)
    refused: list[tuple[Registration, str]] = field(default_factory=list)


def change_many(registrations, to: Status, *, by_user=None, reason: str = "", notify: bool = True) -> BulkResult:
    """Apply one status change to many registrations in order; each is decided on its own."""
    result = BulkResult()
    for registration in registrations:
        try:
            ended = change_status(registration, to, by_user=by_user, reason=reason, notify=notify)
        except TransitionError as error:
            result.refused.append((registration, str(error)))
            continue
        (result.changed if ended == to else result.waitlisted_instead).append(registration)
    return result


def promote_waitlisted(event, *, skip: Registration | None = None) -> list[Registration]:
    """Approve waitlisted delegates in order while places (and their quotas) allow; tell each.

    The caller must hold the event lock. A delegate whose quota is full is skipped, not
    blocking those behind them.
    """
    promoted = []
    query = select(Registration).where(Registration.event_id == event.id, Registration.status == Status.WAITLISTED)
    if skip is not None:
        query = query.where(Registration.id != skip.id)
    waiting = db.session.scalars(query.order_by(Registration.waitlist_position, Registration.id)).all()
    for registration in waiting:
        decision = decide(event, registration, Status.APPROVED, when_full=Status.WAITLISTED)
        if decision.place.full == Limit.CAPACITY:
            break
        if decision.status != Status.APPROVED:
            continue
        record(registration, Status.APPROVED, actor="system", reason=_("A place became free."))
        db.session.flush()
        signals.status_changed.send(registration, reason="", previous=Status.WAITLISTED)
        promoted.append(registration)
    return promoted
