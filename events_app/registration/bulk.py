"""Registering many delegates at once (an import) without making the registration form wait.

The rows are written in batches without the event lock, each with the status it would get now (the
places counted once beforehand, without the lock), waitlisted rows without a position yet. Only then
is the event locked, once, to check those guesses against the places as they are now (the form may
have taken some meanwhile): a few counts, a fix for the rare row guessed wrong, and one UPDATE
that numbers the new waiting list entries behind anyone already waiting. Everything stays in the
caller's transaction: an import is written completely or not at all, and nobody else sees a guess.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from events_app import signals
from events_app.choices import Status
from events_app.events.locking import lock_event
from events_app.extensions import db
from events_app.registration import lifecycle
from events_app.registration.capacity import PlaceLedger
from events_app.registration.models import Registration, new_checkin_code, new_token
from events_app.registration.services import apply_fields, decides_a_place, record_consent

BATCH = 500


@dataclass
class ManyOutcome:
    """What register_many did: the new registrations (in input order) and the emails it skipped."""

    created: list[Registration] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # indexes into the input of emails registered meanwhile
    redecided: list[Registration] = field(default_factory=list)  # guessed wrong: their status changed at the end


def register_many(event, rows: Iterable[dict[str, Any]], *, actor: str = "import", by_user=None,
                  notify: bool = False, extra: Callable[[Registration, int], None] | None = None,
                  progress: Callable[[int], None] | None = None, batch: int | None = None) -> ManyOutcome:
    """Register validated rows (services.register's data) in batches; flushes, never commits.

    An email registered since the rows were checked (through the form, say) is skipped, its index in
    `skipped`. `extra(registration, index)` may set more columns before a row is written.
    """
    progress = progress or (lambda _done: None)
    outcome = ManyOutcome()
    rows, batch = list(rows), batch or BATCH
    wanted = Status.PENDING if event.approval_required else Status.APPROVED
    guess = PlaceLedger(event) if decides_a_place(event) else None  # no lock: checked again at the end
    for start in range(0, len(rows), batch):
        chunk = [(start + i, row) for i, row in enumerate(rows[start:start + batch])]
        made = _write_batch(event, chunk, wanted, guess, actor=actor, by_user=by_user, extra=extra,
                            outcome=outcome)
        outcome.created.extend(made)
        if notify:
            for registration in made:
                signals.registration_received.send(registration)
            db.session.flush()
        progress(min(start + batch, len(rows)))
    if outcome.created and decides_a_place(event):
        outcome.redecided = _decide_places(event, outcome.created)
        if notify:
            for registration in outcome.redecided:
                signals.registration_received.send(registration, replaces=True)
    return outcome


def _new(event, data: dict[str, Any], wanted: Status, guess: PlaceLedger | None, *, actor: str,
         by_user) -> Registration:
    # Tokens are set here, not at flush, so that a batch is one multi-row INSERT.
    registration = Registration(event_id=event.id, event=event, token=new_token(), checkin_code=new_checkin_code())
    apply_fields(registration, data)
    record_consent(event, registration)
    if wanted == Status.APPROVED and guess is not None and not guess.take(registration).fits:
        wanted = Status.WAITLISTED
    _record(registration, wanted, by_user=by_user, actor=actor)
    return registration


def _record(registration: Registration, status: Status, *, by_user, actor: str) -> None:
    """lifecycle.record, but a waitlisted row is numbered later, under the lock (_number_waiting)."""
    lifecycle.record(registration, Status.PENDING if status == Status.WAITLISTED else status,
                     by_user=by_user, actor=actor)
    registration.status = registration.history[-1].to_status = status
    registration.waitlist_position = None


def _write_batch(event, chunk, wanted: Status, guess: PlaceLedger | None, *, actor, by_user, extra,
                 outcome: ManyOutcome) -> list[Registration]:
    """Write one batch in a savepoint; when an email was taken meanwhile, again row by row without it."""
    made = []
    try:
        with db.session.begin_nested():
            for index, data in chunk:
                registration = _new(event, data, wanted, guess, actor=actor, by_user=by_user)
                if extra is not None:
                    extra(registration, index)
                made.append(registration)
            db.session.add_all(made)
            db.session.flush()
        return made
    except IntegrityError:
        pass
    made = []
    for index, data in chunk:
        try:
            with db.session.begin_nested():
                registration = _new(event, data, wanted, guess, actor=actor, by_user=by_user)
                if extra is not None:
                    extra(registration, index)
                db.session.add(registration)
                db.session.flush()
        except IntegrityError:
            outcome.skipped.append(index)
            continue
        made.append(registration)
    return made


def _decide_places(event, created: list[Registration]) -> list[Registration]:
    """Under the event lock: check each guess in file order, fix those now wrong, number the new waiting list.

    Returns the registrations whose status changed from the guess (their email said the guess).
    """
    event = lock_event(event.id)
    ledger = PlaceLedger(event, exclude=created)
    changed = []
    for registration in created:
        fits = ledger.take(registration).fits if registration.status in (Status.APPROVED, Status.WAITLISTED) else None
        now = {True: Status.APPROVED, False: Status.WAITLISTED, None: registration.status}[fits]
        if now != registration.status:
            registration.status = registration.history[-1].to_status = now
            registration.waitlist_position = None
            changed.append(registration)
    db.session.flush()
    _number_waiting(event.id)
    for registration in created:
        if registration.status == Status.WAITLISTED:
            db.session.expire(registration, ["waitlist_position"])
    return changed


def _number_waiting(event_id: int) -> None:
    """Give this transaction's new waiting-list entries (no position yet) the next positions, in file order."""
    base = lifecycle.next_waitlist_position(event_id) - 1
    new = (select(Registration.id, func.row_number().over(order_by=Registration.id).label("n"))
           .where(Registration.event_id == event_id, Registration.status == Status.WAITLISTED,
                  Registration.waitlist_position.is_(None)).subquery())
    db.session.execute(update(Registration).where(Registration.id == new.c.id)
                       .values(waitlist_position=base + new.c.n).execution_options(synchronize_session=False))
