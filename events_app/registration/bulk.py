"""Registering many delegates at once (an import) without making the registration form wait.

The rows are written in batches without the event lock, each with the status it would get now (the
places counted once beforehand, without the lock), waitlisted rows without a position yet. Only then
is the event locked, once, to check those guesses against the places as they are now (the form may
have taken some meanwhile): a few counts, a fix for the rare row guessed wrong, and one UPDATE
that numbers the new waiting list entries behind anyone already waiting. Everything stays in the
caller's transaction: an import is written completely or not at all, and nobody else sees a guess.

The rows go in with SQLAlchemy Core, not the ORM (whose unit of work cost as much again as the
INSERTs): per batch one executemany of INSERT ... ON CONFLICT (event, email) DO NOTHING, one SELECT
of the new ids, and one executemany of the status history rows. Each row's columns are still made by
the registration service's own apply_fields and record_consent, on a plain namespace instead of a
Registration.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from events_app import signals
from events_app.choices import DELEGATE_FIELDS, ParticipantRole, StakeholderGroup, Status
from events_app.events.locking import lock_event
from events_app.extensions import db
from events_app.models import utcnow
from events_app.registration import lifecycle
from events_app.registration.capacity import PlaceLedger
from events_app.registration.models import Registration, StatusChange, new_checkin_code, new_token
from events_app.registration.services import apply_fields, decides_a_place, record_consent

BATCH = 1000
REGISTRATIONS, HISTORY = Registration.__table__, StatusChange.__table__
# Each column a row's data may leave out, at its empty value, so that every row of a batch has the same keys.
_EMPTY = {
    **{name: column.default.arg if column.default is not None and column.default.is_scalar else None
       for name, column in REGISTRATIONS.c.items()
       if name in (*DELEGATE_FIELDS, "sort_name", "privacy_notice_version")},
    "answers": {}, "data_consent_at": None, "participant_role": ParticipantRole.PARTICIPANT,
}


@dataclass
class NewRow:
    """What deciding a place needs of one new registration (PlaceLedger reads the quota columns)."""

    index: int  # in the input
    id: int
    status: Status
    stakeholder_group: StakeholderGroup
    country: str


@dataclass
class ManyOutcome:
    """What register_many did: the new registrations' ids (in input order) and the emails it skipped."""

    created: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # indexes into the input of emails registered meanwhile
    redecided: list[int] = field(default_factory=list)  # guessed wrong: their status changed at the end


def register_many(event, rows: Iterable[dict[str, Any]], *, actor: str = "import", by_user=None,
                  notify: bool = False, extra: Callable[[dict, int], None] | None = None,
                  progress: Callable[[int], None] | None = None, batch: int | None = None) -> ManyOutcome:
    """Register validated rows (services.register's data) in batches; flushes, never commits.

    An email registered since the rows were checked (through the form, say) is skipped, its index in
    `skipped`. `extra(values, index)` may change a row's column values (participant_role, say) before
    it is written.
    """
    progress = progress or (lambda _done: None)
    outcome, new = ManyOutcome(), []
    rows, batch = list(rows), batch or BATCH
    wanted = Status.PENDING if event.approval_required else Status.APPROVED
    guess = PlaceLedger(event) if decides_a_place(event) else None  # no lock: checked again at the end
    db.session.flush()  # the Core statements below see what the session holds
    for start in range(0, len(rows), batch):
        chunk = [(start + i, _values(event, row, wanted, guess, extra, start + i))
                 for i, row in enumerate(rows[start:start + batch])]
        made = _write_batch(chunk, by_user=by_user, actor=actor, outcome=outcome)
        new.extend(made)
        if notify:
            for registration in _loaded([row.id for row in made]):
                signals.registration_received.send(registration)
            db.session.flush()
        progress(min(start + batch, len(rows)))
    outcome.created = [row.id for row in new]
    if new and decides_a_place(event):
        outcome.redecided = _decide_places(event, new)
        if notify:
            for registration in _loaded(outcome.redecided, refresh=True):
                signals.registration_received.send(registration, replaces=True)
    return outcome


def _values(event, data: dict[str, Any], wanted: Status, guess: PlaceLedger | None, extra, index: int) -> dict:
    """One row's columns, made by the service's apply_fields and record_consent, and its guessed status."""
    row = SimpleNamespace(**_EMPTY)
    apply_fields(row, data)
    record_consent(event, row)
    values = {name: _EMPTY[name] if value is None and _EMPTY[name] is not None else value
              for name, value in vars(row).items()}
    if wanted == Status.APPROVED and guess is not None and not guess.take(row).fits:
        wanted = Status.WAITLISTED
    values.update(event_id=event.id, status=wanted, token=new_token(), checkin_code=new_checkin_code())
    if extra is not None:
        extra(values, index)
    return values


def _write_batch(chunk: list[tuple[int, dict]], *, by_user, actor: str, outcome: ManyOutcome) -> list[NewRow]:
    """Insert one batch and its history rows; an email registered meanwhile is skipped, not an error.

    One executemany without RETURNING (psycopg sends it as a pipeline, rows in order; the multi-row
    INSERT ... RETURNING that SQLAlchemy builds instead cost psycopg 6x the CPU to convert), then the new
    ids read back by their tokens, which only this batch has.
    """
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    db.session.execute(insert(REGISTRATIONS).on_conflict_do_nothing(index_elements=["event_id", "email"]),
                       [values for _index, values in chunk])
    tokens = [values["token"] for _index, values in chunk]
    ids = dict(db.session.execute(select(REGISTRATIONS.c.token, REGISTRATIONS.c.id)
                                  .where(REGISTRATIONS.c.token.in_(tokens))).all())
    made = []
    for index, values in chunk:
        if values["token"] in ids:
            made.append(NewRow(index, ids[values["token"]], values["status"], values["stakeholder_group"],
                               values["country"]))
        else:
            outcome.skipped.append(index)
    if made:
        at, by_user_id = utcnow(), getattr(by_user, "id", None)
        actor = "organiser" if by_user is not None and actor == "system" else actor  # as lifecycle.record says
        db.session.execute(HISTORY.insert(), [
            {"registration_id": row.id, "from_status": None, "to_status": row.status, "at": at,
             "by_user_id": by_user_id, "actor": actor, "reason": ""} for row in made])
    return made


def _loaded(ids: list[int], *, refresh: bool = False) -> list[Registration]:
    """The registrations with these ids as ORM objects, in this order (for the mail's templates)."""
    if not ids:
        return []
    query = select(Registration).where(Registration.id.in_(ids))
    if refresh:
        query = query.execution_options(populate_existing=True)
    found = {registration.id: registration for registration in db.session.scalars(query)}
    return [found[id_] for id_ in ids]


def _decide_places(event, new: list[NewRow]) -> list[int]:
    """Under the event lock: check each guess in file order, fix those now wrong, number the new waiting list.

    Returns the ids of the registrations whose status changed from the guess (their email said the guess).
    """
    event = lock_event(event.id)
    ledger = PlaceLedger(event, exclude=new)
    changed = {Status.APPROVED: [], Status.WAITLISTED: []}
    for row in new:
        if row.status in changed:
            now = Status.APPROVED if ledger.take(row).fits else Status.WAITLISTED
            if now != row.status:
                row.status = now
                changed[now].append(row.id)
    for status, ids in changed.items():
        for start in range(0, len(ids), BATCH):
            some = ids[start:start + BATCH]
            db.session.execute(update(REGISTRATIONS).where(REGISTRATIONS.c.id.in_(some))
                               .values(status=status, waitlist_position=None))
            db.session.execute(update(HISTORY).where(HISTORY.c.registration_id.in_(some)).values(to_status=status))
    _number_waiting(event.id)
    redecided = {*changed[Status.APPROVED], *changed[Status.WAITLISTED]}
    return [row.id for row in new if row.id in redecided]


def _number_waiting(event_id: int) -> None:
    """Give this transaction's new waiting-list entries (no position yet) the next positions, in file order."""
    base = lifecycle.next_waitlist_position(event_id) - 1
    new = (select(REGISTRATIONS.c.id, func.row_number().over(order_by=REGISTRATIONS.c.id).label("n"))
           .where(REGISTRATIONS.c.event_id == event_id, REGISTRATIONS.c.status == Status.WAITLISTED,
                  REGISTRATIONS.c.waitlist_position.is_(None)).subquery())
    db.session.execute(update(REGISTRATIONS).where(REGISTRATIONS.c.id == new.c.id)
                       .values(waitlist_position=base + new.c.n))
