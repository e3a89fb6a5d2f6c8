"""Simultaneous registrations, approvals and cancellations never overbook an event (SQLite and PostgreSQL).

Every thread has its own app context and session, as a request in another worker would,
and they all start at one barrier. A control runs the same registration rush with the
event lock bypassed and shows that the checks used here do catch what the lock prevents.
"""
import threading
import time
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from events_app.auth.models import User
from events_app.auth.services import create_user
from events_app.choices import Status, UserRole
from events_app.database import sqlite_read_transactions
from events_app.events.locking import lock_event_version
from events_app.events.models import Event, Quota
from events_app.extensions import db as _db
from events_app.mail.models import OutboxMessage
from events_app.registration import capacity, lifecycle, services
from events_app.registration.models import Registration, StatusChange
from tests.conftest import delegate_data
from tests.registration.concurrency_helpers import (
    count,
    errors,
    history_problems,
    registrations,
    run_together,
    waiting_list,
    waiting_list_problems,
    watch_approved,
)

PLACES = 20
CROWD = 100


@dataclass(frozen=True)
class Arrival:
    """What one registration attempt came back with, read inside its own transaction."""

    registration_id: int
    created: bool
    why_existing: str
    status: Status


def register_job(event_id: int, data: dict, **options):
    """A thread's work: load the event as a view would, then register through the service."""

    def job() -> Arrival:
        event = _db.session.get(Event, event_id)
        outcome = services.register(event, data, **options)
        registration = outcome.registration
        return Arrival(registration.id, outcome.created, outcome.why_existing, registration.status)

    return job


def online_job(event_id: int, data: dict, **options):
    """The form's way in: register_online with nothing else in the transaction (no SAVEPOINT)."""

    def job() -> Arrival:
        event = _db.session.get(Event, event_id)
        outcome = services.register_online(event, data, alone=True, **options)
        r = outcome.registration
        return Arrival(r.id, outcome.created, outcome.why_existing, r.status)

    return job


def status_job(registration_id: int, to: Status, *, user_id: int, reason: str = ""):
    """A thread's work: an organiser changes one delegate's status, as the manage view does."""

    def job() -> Status:
        registration = _db.session.get(Registration, registration_id)
        organiser = _db.session.get(User, user_id)
        return lifecycle.change_status(registration, to, by_user=organiser, reason=reason, notify=False)

    return job


def cancel_job(registration_id: int):
    """A thread's work: the delegate cancels from their private page."""

    def job() -> None:
        services.cancel_by_registrant(_db.session.get(Registration, registration_id))

    return job


def register_in_turn(db, event, people: list[dict]) -> list[int]:
    """Register people one after another (no concurrency) and return their ids, committed."""
    ids = [services.register(event, data, notify=False).registration.id for data in people]
    db.session.commit()
    return ids


def organiser_id(db) -> int:
    """A signed-up organiser's id (the user every organiser decision is recorded under)."""
    user = create_user("organiser@test.example", password="correct horse battery", role=UserRole.ORGANISER)
    db.session.commit()
    return user.id


def rush_problems(event_id: int, results, *, places: int) -> list[str]:
    """Everything an organiser would call wrong after a registration rush."""
    problems = [f"a registration failed: {line}" for line in errors(results)]
    approved = count(event_id, Status.APPROVED)
    if approved > places:
        problems.append(f"overbooked: {approved} approved for {places} places")
    problems += waiting_list_problems(event_id)
    return problems


def outbox_kinds(event_id: int) -> Counter:
    """How many emails of each kind the event has queued."""
    return Counter(_db.session.scalars(select(OutboxMessage.kind).where(OutboxMessage.event_id == event_id)))


class ArrivalOrder:
    """The order in which registering threads got the event lock: a place is decided under it, after the
    registration is written, so that (not the id) is the order of arrival."""

    def __init__(self, monkeypatch):
        self.lock_order, self.made_by = [], {}

        def noted_lock(event):
            locked = lock_event_version(event)
            self.lock_order.append(threading.get_ident())
            return locked

        monkeypatch.setattr(services, "lock_event_version", noted_lock)

    def noted(self, job):
        """The job, noting which registration its thread made."""
        def run():
            arrival = job()
            self.made_by[threading.get_ident()] = arrival.registration_id
            return arrival
        return run

    def registration_ids(self) -> list[int]:
        return [self.made_by[ident] for ident in self.lock_order if ident in self.made_by]


def test_a_rush_of_registrations_fills_exactly_the_places_and_waitlists_the_rest_in_order(app, db, make_event,
                                                                                        monkeypatch):
    event = make_event(capacity=PLACES)
    event_id = event.id
    order = ArrivalOrder(monkeypatch)
    jobs = [order.noted(register_job(event_id, delegate_data(n))) for n in range(CROWD)]

    with watch_approved(app, event_id) as seen:
        results = run_together(app, jobs)

    assert rush_problems(event_id, results, places=PLACES) == []
    assert max(seen, default=0) <= PLACES, "at no moment were more delegates approved than places"
    arrivals = [r.value for r in results]
    assert all(a.created for a in arrivals)
    assert Counter(a.status for a in arrivals) == {Status.APPROVED: PLACES, Status.WAITLISTED: CROWD - PLACES}
    assert count(event_id, Status.APPROVED) == PLACES
    assert count(event_id, Status.WAITLISTED) == CROWD - PLACES

    # First come, first served, in the order the places were decided (the lock's order).
    people = registrations(event_id)
    arrived = order.registration_ids()
    assert len(arrived) == CROWD
    assert {r.id for r in people if r.status == Status.APPROVED} == set(arrived[:PLACES]), (
        "a later arrival took a place from an earlier one")
    assert [r.id for r in waiting_list(event_id)] == arrived[PLACES:], "the waiting list is not in order of arrival"
    assert [r.waitlist_position for r in waiting_list(event_id)] == list(range(1, CROWD - PLACES + 1))
    assert [p for r in people for p in history_problems(r)] == []
    assert all(len(r.history) == 1 for r in people)
    assert outbox_kinds(event_id) == {"registration_received": CROWD}, "everyone was told, once"


def _unlocked_event(event_id: int):
    """lock_event without the lock: a plain SELECT (no FOR UPDATE)."""
    return _db.session.execute(
        select(Event).where(Event.id == event_id).execution_options(populate_existing=True)
    ).scalar_one()


def _unlocked_event_version(event):
    """lock_event_version without the lock: the event read again (no FOR UPDATE)."""
    return _unlocked_event(event.id)


def _slow_check_place(event, registration):
    """check_place, then a pause before the insert: widens the count-then-write window."""
    answer = capacity.check_place(event, registration)
    time.sleep(0.05)
    return answer


def test_control_the_same_rush_without_the_lock_is_caught(app, db, make_event, monkeypatch):
    """Control: bypass the lock and the checks of the rush test report a violation.

    Without the lock, every thread counts the approved places, pauses (a widened but
    realistic window between the count and the insert) and then writes.

    PostgreSQL (READ COMMITTED, no FOR UPDATE): threads count the same free places and all
    take one, so the event is overbooked and waiting-list positions are handed out twice.

    SQLite with deferred transactions (what a missing BEGIN IMMEDIATE would give): WAL
    snapshot isolation refuses to let a transaction that read an older snapshot write, so
    instead of overbooking the losers fail with "database is locked" (SQLITE_BUSY_SNAPSHOT,
    which busy_timeout does not retry) and their registrations are lost.
    """
    event = make_event(capacity=PLACES)
    event_id = event.id
    dialect = db.engine.dialect.name
    monkeypatch.setattr(services, "lock_event", _unlocked_event)
    monkeypatch.setattr(services, "lock_event_version", _unlocked_event_version)
    monkeypatch.setattr(lifecycle, "check_place", _slow_check_place)
    jobs = [register_job(event_id, delegate_data(n)) for n in range(CROWD)]

    results = run_together(app, jobs, context=sqlite_read_transactions if dialect == "sqlite" else nullcontext)

    problems = rush_problems(event_id, results, places=PLACES)
    assert problems, "the checks did not notice that the lock was bypassed"
    if dialect == "sqlite":
        assert any("database is locked" in p for p in problems), problems
        assert db.session.scalar(select(func.count(Registration.id))) < CROWD, "registrations were lost"
    else:
        assert any(p.startswith("overbooked") for p in problems), problems
        assert count(event_id, Status.APPROVED) > PLACES


@pytest.mark.parametrize("waitlist_when_full", [True, False], ids=["waitlist-when-full", "refuse-when-full"])
def test_simultaneous_approvals_approve_exactly_the_places(app, db, make_event, waitlist_when_full):
    event = make_event(capacity=PLACES, approval_required=True, waitlist_when_full=waitlist_when_full)
    event_id = event.id
    user_id = organiser_id(db)
    ids = register_in_turn(db, event, [delegate_data(n) for n in range(CROWD)])
    assert count(event_id, Status.PENDING) == CROWD

    with watch_approved(app, event_id) as seen:
        results = run_together(app, [status_job(i, Status.APPROVED, user_id=user_id) for i in ids])

    assert errors(results, expected=(lifecycle.TransitionError,)) == []
    assert max(seen, default=0) <= PLACES
    assert count(event_id, Status.APPROVED) == PLACES
    ended = Counter(r.value for r in results if r.error is None)
    refused = [r.error for r in results if r.error is not None]
    if waitlist_when_full:
        assert ended == {Status.APPROVED: PLACES, Status.WAITLISTED: CROWD - PLACES}
        assert not refused
        assert count(event_id, Status.WAITLISTED) == CROWD - PLACES
    else:
        assert ended == {Status.APPROVED: PLACES}
        assert len(refused) == CROWD - PLACES
        assert {str(e) for e in refused} == {"The event is full."}
        assert count(event_id, Status.PENDING) == CROWD - PLACES, "a refused approval leaves them pending"
    assert waiting_list_problems(event_id) == []

    people = registrations(event_id)
    assert [p for r in people for p in history_problems(r)] == []
    decisions = [r.history[1] for r in people if len(r.history) > 1]
    assert len(decisions) == (CROWD if waitlist_when_full else PLACES)
    assert {c.by_user_id for c in decisions} == {user_id}, "every decision names the organiser"
    # The approvals that found a place came before every one that was waitlisted.
    approvals = [c.id for c in decisions if c.to_status == Status.APPROVED]
    waitlistings = [c.id for c in decisions if c.to_status == Status.WAITLISTED]
    if waitlistings:
        assert max(approvals) < min(waitlistings)
        by_position = sorted((r for r in people if r.status == Status.WAITLISTED), key=lambda r: r.waitlist_position)
        assert [r.history[1].id for r in by_position] == sorted(waitlistings), "waiting list out of order"


@pytest.mark.parametrize("places", [None, 25], ids=["quotas-only", "quotas-and-capacity"])
def test_quotas_hold_under_a_rush_of_registrations(app, db, make_event, places):
    event = make_event(capacity=places)
    event_id = event.id
    db.session.add_all(
        [
            Quota(event_id=event_id, kind="stakeholder_group", value="ngo", places=5),
            Quota(event_id=event_id, kind="country", value="KH", places=4),
        ]
    )
    db.session.commit()
    crowd = (
        [dict(stakeholder_group="ngo", country="TH")] * 30
        + [dict(stakeholder_group="government", country="KH")] * 30
        + [dict(stakeholder_group="ngo", country="KH")] * 20
        + [dict(stakeholder_group="academic", country="VN")] * 20
    )
    jobs = [register_job(event_id, delegate_data(n, **who)) for n, who in enumerate(crowd)]

    results = run_together(app, jobs)

    assert rush_problems(event_id, results, places=places or len(crowd)) == []
    ngo = count(event_id, Status.APPROVED, stakeholder_group="ngo")
    cambodia = count(event_id, Status.APPROVED, country="KH")
    approved = count(event_id, Status.APPROVED)
    assert ngo <= 5 and cambodia <= 4, f"quota exceeded: {ngo} NGO, {cambodia} from Cambodia"
    assert approved + count(event_id, Status.WAITLISTED) == len(crowd)
    if places is None:
        # Each quota has people only it limits (NGOs from Thailand, government from Cambodia),
        # so both fill exactly, and nobody outside a quota waits.
        assert (ngo, cambodia) == (5, 4)
        assert count(event_id, Status.APPROVED, country="VN") == 20
    else:
        assert approved == places, "20 delegates from Viet Nam are limited by no quota, so the event fills"


def test_simultaneous_cancellations_promote_the_waiting_list_in_order(app, db, make_event, monkeypatch):
    event = make_event(capacity=PLACES)
    event_id = event.id
    user_id = organiser_id(db)
    ids = register_in_turn(db, event, [delegate_data(n) for n in range(60)])
    approved, waiting = ids[:PLACES], ids[PLACES:]
    assert count(event_id, Status.APPROVED) == PLACES
    assert [r.id for r in waiting_list(event_id)] == waiting
    db.session.commit()
    order = ArrivalOrder(monkeypatch)

    jobs = (
        [cancel_job(i) for i in approved[:10]]  # delegates cancel on their private page
        + [status_job(i, Status.DECLINED, user_id=user_id, reason="Duplicate") for i in approved[10:]]
        + [cancel_job(i) for i in waiting[30:]]  # the end of the waiting list gives up
        + [status_job(i, Status.APPROVED, user_id=user_id) for i in waiting[20:30]]  # no place is ever free
        + [order.noted(register_job(event_id, delegate_data(100 + n))) for n in range(20)]  # newcomers arrive
    )
    with watch_approved(app, event_id) as seen:
        results = run_together(app, jobs)

    assert errors(results, expected=(lifecycle.TransitionError,)) == []
    assert max(seen, default=0) <= PLACES, "the event was overbooked at some moment"
    refused = [r.error for r in results if r.error is not None]
    assert len(refused) == 10 and {str(e) for e in refused} == {"The event is full."}

    people = {r.id: r for r in registrations(event_id)}
    promoted = waiting[:PLACES]
    assert sorted(i for i, r in people.items() if r.status == Status.APPROVED) == promoted
    newcomers = [r.value.registration_id for r in results[-20:]]
    assert newcomers == [i for i in newcomers if people[i].status == Status.WAITLISTED]
    remaining = [r.id for r in waiting_list(event_id)]
    assert remaining == waiting[20:30] + order.registration_ids(), "the waiting list lost its order"
    assert {people[i].status for i in approved[:10] + waiting[30:]} == {Status.CANCELLED}
    assert {people[i].status for i in approved[10:]} == {Status.DECLINED}

    # Promotions happened in waiting-list order, each recorded and told.
    promotions = sorted((people[i].history[-1] for i in promoted), key=lambda change: change.id)
    assert [c.registration_id for c in promotions] == promoted
    assert all((c.from_status, c.to_status, c.actor) == (Status.WAITLISTED, Status.APPROVED, "system")
               for c in promotions)
    assert [p for r in people.values() for p in history_problems(r)] == []
    told = select(OutboxMessage.registration_id).where(OutboxMessage.kind == "promoted")
    assert sorted(_db.session.scalars(told.where(OutboxMessage.event_id == event_id))) == promoted
    assert waiting_list_problems(event_id, gap_free=False) == []


@pytest.mark.parametrize("job", [register_job, online_job], ids=["register", "online-alone"])
def test_the_same_email_from_many_threads_makes_one_registration(app, db, make_event, job):
    event = make_event(capacity=PLACES)
    event_id = event.id
    jobs = [job(event_id, delegate_data(1, email=" Same.Person@Example.org ")) for _ in range(30)]

    results = run_together(app, jobs)

    assert errors(results) == []
    arrivals = [r.value for r in results]
    assert sum(a.created for a in arrivals) == 1
    assert {a.why_existing for a in arrivals if not a.created} == {"email"}
    assert len({a.registration_id for a in arrivals}) == 1
    assert db.session.scalar(select(func.count(Registration.id)).where(Registration.event_id == event_id)) == 1
    assert outbox_kinds(event_id) == {"registration_received": 1, "lost_link": 29}


@pytest.mark.parametrize("job", [register_job, online_job], ids=["register", "online-alone"])
def test_a_double_submission_from_many_threads_makes_one_registration_and_one_email(app, db, make_event, job):
    event = make_event(capacity=PLACES)
    event_id = event.id
    jobs = [job(event_id, delegate_data(1), submission_key="form-key-1") for _ in range(10)]

    results = run_together(app, jobs)

    assert errors(results) == []
    arrivals = [r.value for r in results]
    assert sum(a.created for a in arrivals) == 1
    assert {a.why_existing for a in arrivals if not a.created} == {"resubmitted"}
    assert outbox_kinds(event_id) == {"registration_received": 1}
    history = db.session.scalars(select(StatusChange).join(Registration).where(Registration.event_id == event_id))
    assert len(list(history)) == 1


@pytest.mark.parametrize("job", [register_job, online_job], ids=["register", "online-alone"])
def test_without_the_lock_the_unique_constraint_still_makes_one_registration(app, db, make_event, monkeypatch,
                                                                           job):
    """Even racing past the event lock, the (event, email) constraint is the last word.

    PostgreSQL: every thread checks for an existing registration before any inserts (the
    pause after counting places sees to that), so all but one insert hit the unique
    constraint; the service must turn that IntegrityError into "already registered", not an
    error. SQLite: BEGIN IMMEDIATE still serialises the transactions, so the later ones find
    the first registration; the outcome the delegate sees must be the same.
    """
    event = make_event(capacity=PLACES)
    event_id = event.id
    monkeypatch.setattr(services, "lock_event", _unlocked_event)
    monkeypatch.setattr(services, "lock_event_version", _unlocked_event_version)
    monkeypatch.setattr(lifecycle, "check_place", _slow_check_place)
    jobs = [job(event_id, delegate_data(1)) for _ in range(10)]

    results = run_together(app, jobs)

    assert errors(results) == []
    arrivals = [r.value for r in results]
    assert sum(a.created for a in arrivals) == 1
    assert {a.why_existing for a in arrivals if not a.created} == {"email"}
    assert db.session.scalar(select(func.count(Registration.id)).where(Registration.event_id == event_id)) == 1


def test_a_cancellation_sent_many_times_at_once_frees_one_place(app, db, make_event):
    """A registrant double-clicks "cancel" (or retries) while an organiser declines them at the same moment."""
    event = make_event(capacity=2)
    event_id = event.id
    user_id = organiser_id(db)
    leaving, staying, *waiting = register_in_turn(db, event, [delegate_data(n) for n in range(5)])

    jobs = [cancel_job(leaving) for _ in range(8)] + [status_job(leaving, Status.DECLINED, user_id=user_id)] * 4
    results = run_together(app, jobs)

    assert errors(results, expected=(lifecycle.TransitionError,)) == []
    people = {r.id: r for r in registrations(event_id)}
    final = people[leaving].status
    assert final in (Status.CANCELLED, Status.DECLINED)
    assert [c.to_status for c in people[leaving].history] == [Status.APPROVED, final], "one change, recorded once"
    assert [people[i].status for i in (staying, *waiting)] == [
        Status.APPROVED, Status.APPROVED, Status.WAITLISTED, Status.WAITLISTED
    ], "exactly one place was freed and it went to the first on the waiting list"
    assert [r.id for r in waiting_list(event_id)] == waiting[1:]
    assert outbox_kinds(event_id)["promoted"] == 1
