"""Random sequences of register / approve / decline / waitlist / cancel / promote / edit keep the event's promises.

A hypothesis state machine opens an event with drawn capacity, quotas and approval
settings, drives the real services and, after every step, compares the database with a
small reference model of PRODUCT.md's rules: never over capacity or a quota, the waiting
list in order of waitlisting, promotions to the earliest delegate who fits, and every
change of status recorded.
"""
import itertools
from dataclasses import dataclass, field
from datetime import date

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import delete, select

from events_app.auth.models import User
from events_app.auth.services import create_user
from events_app.choices import Status, UserRole
from events_app.events.locking import lock_event
from events_app.events.models import Event, Quota
from events_app.events.services import create_event
from events_app.extensions import db
from events_app.mail.models import OutboxMessage
from events_app.registration import lifecycle, services
from events_app.registration.lifecycle import ALLOWED, TransitionError
from events_app.registration.models import Registration, StatusChange
from tests.conftest import delegate_data

GROUPS = ("ngo", "government")
COUNTRIES = ("TH", "KH")
REFUSED = "refused"
EDITABLE = (Status.APPROVED, Status.WAITLISTED, Status.PENDING)  # a cancelled or declined delegate cannot edit
_numbers = itertools.count(1)


@dataclass
class Person:
    """The model's view of one registration."""

    stakeholder_group: str
    country: str
    status: Status | None = None
    history: list[tuple[Status | None, Status]] = field(default_factory=list)


class Rules:
    """A reference model of the registration rules, in plain Python."""

    def __init__(self, *, capacity, quotas, approval_required, waitlist_when_full):
        self.capacity = capacity
        self.quotas = quotas  # [(kind, value, places)] in the order the event lists them
        self.approval_required = approval_required
        self.waitlist_when_full = waitlist_when_full
        self.people: dict[int, Person] = {}
        self.waiting: list[int] = []  # in order of waitlisting

    def approved(self, **filters) -> int:
        return sum(
            1 for p in self.people.values()
            if p.status == Status.APPROVED and all(getattr(p, k) == v for k, v in filters.items())
        )

    def full(self, person: Person) -> str:
        """'' when approving the person fits, else 'capacity' or 'quota'."""
        if self.capacity is not None and self.approved() >= self.capacity:
            return "capacity"
        for kind, value, places in self.quotas:
            if getattr(person, kind) == value and self.approved(**{kind: value}) >= places:
                return "quota"
        return ""

    def set(self, registration_id: int, status: Status) -> None:
        person = self.people[registration_id]
        person.history.append((person.status, status))
        person.status = status
        if registration_id in self.waiting:
            self.waiting.remove(registration_id)
        if status == Status.WAITLISTED:
            self.waiting.append(registration_id)

    def register(self, registration_id: int, stakeholder_group: str, country: str) -> Status:
        person = self.people[registration_id] = Person(stakeholder_group, country)
        if self.approval_required:
            status = Status.PENDING
        else:
            status = Status.WAITLISTED if self.full(person) else Status.APPROVED
        self.set(registration_id, status)
        return status

    def change(self, registration_id: int, to: Status) -> tuple[Status | str, int | None]:
        """(the status it ends in, or REFUSED; a delegate whose re-promotion the rules leave open)."""
        person = self.people[registration_id]
        current = person.status
        if to == current:
            return current, None
        if to not in ALLOWED[current]:
            return REFUSED, None
        if to == Status.APPROVED and self.full(person):
            if not self.waitlist_when_full or current == Status.WAITLISTED:
                return REFUSED, None
            to = Status.WAITLISTED
        self.set(registration_id, to)
        undecided = None
        if current == Status.APPROVED:
            # An approved delegate moved to the waiting list frees their own place and joins
            # the end of the list. Whether the promotion that follows may hand the place straight
            # back to them is left open here (see the report on change_status); everyone ahead
            # of them must be served first either way.
            demoted = registration_id if to == Status.WAITLISTED else None
            self.promote(skip=demoted)
            if demoted is not None and not self.full(person):
                undecided = demoted
        return to, undecided

    def edit(self, registration_id: int, stakeholder_group: str, country: str) -> None:
        """The delegate changes their group or country: an approved one keeps the place only if it fits."""
        person = self.people[registration_id]
        if (person.stakeholder_group, person.country) == (stakeholder_group, country):
            return
        person.stakeholder_group, person.country = stakeholder_group, country
        if person.status != Status.APPROVED:
            return
        person.status = None  # not counted while their own place is decided
        full = self.full(person)
        person.status = Status.APPROVED
        if full:
            self.set(registration_id, Status.WAITLISTED)
        self.promote(skip=registration_id if full else None)

    def promote(self, *, skip: int | None = None) -> list[int]:
        promoted = []
        for registration_id in list(self.waiting):
            if registration_id == skip:
                continue
            full = self.full(self.people[registration_id])
            if full == "capacity":
                break
            if full:
                continue
            self.set(registration_id, Status.APPROVED)
            promoted.append(registration_id)
        return promoted


class RegistrationLifecycle(RuleBasedStateMachine):
    """Drives the registration services on one fresh event per example."""

    organiser_id: int  # set by the test

    @initialize(
        capacity=st.sampled_from([2, 1, 3, 4, None, 0]),
        ngo_places=st.sampled_from([None, 1, 2, 0]),
        cambodia_places=st.sampled_from([None, 1, 2, 0]),
        approval_required=st.booleans(),
        waitlist_when_full=st.booleans(),
        crowd=st.lists(st.tuples(st.sampled_from(GROUPS), st.sampled_from(COUNTRIES)), max_size=8),
    )
    def open_event(self, capacity, ngo_places, cambodia_places, approval_required, waitlist_when_full, crowd):
        """A fresh event with the drawn settings, and the first people registering for it."""
        event = create_event(
            f"property-{next(_numbers)}",
            title="Property consultation",
            starts_on=date(2030, 1, 10),
            ends_on=date(2030, 1, 11),
            capacity=capacity,
            approval_required=approval_required,
            waitlist_when_full=waitlist_when_full,
        )
        quotas = []
        if ngo_places is not None:
            quotas.append(("stakeholder_group", "ngo", ngo_places))
        if cambodia_places is not None:
            quotas.append(("country", "KH", cambodia_places))
        db.session.add_all(Quota(event=event, kind=k, value=v, places=p) for k, v, p in quotas)
        db.session.commit()
        self.event_id = event.id
        self.rules = Rules(
            capacity=capacity, quotas=quotas, approval_required=approval_required,
            waitlist_when_full=waitlist_when_full,
        )
        for stakeholder_group, country in crowd:
            self.register(stakeholder_group, country)

    def teardown(self):
        db.session.rollback()
        if getattr(self, "event_id", None) is not None:
            db.session.execute(delete(Event).where(Event.id == self.event_id))  # cascades to registrations
            db.session.commit()

    @rule(stakeholder_group=st.sampled_from(GROUPS), country=st.sampled_from(COUNTRIES))
    def register(self, stakeholder_group, country):
        n = next(_numbers)
        data = delegate_data(n, email=f"property{n}@example.org", stakeholder_group=stakeholder_group, country=country)
        outcome = services.register(db.session.get(Event, self.event_id), data, notify=False)
        db.session.commit()
        expected = self.rules.register(outcome.registration.id, stakeholder_group, country)
        assert outcome.created
        assert outcome.registration.status == expected

    def _someone(self, pick: int, *statuses: Status) -> int:
        ids = sorted(i for i, p in self.rules.people.items() if not statuses or p.status in statuses)
        return ids[pick % len(ids)]

    def _change(self, registration_id: int, to: Status, *, by_registrant: bool = False) -> None:
        """Make the change through the service and check the outcome against the rules."""
        registration = db.session.get(Registration, registration_id)
        before = registration.status
        expected, undecided = self.rules.change(registration_id, to)
        try:
            if by_registrant:
                services.cancel_by_registrant(registration)
                ended = Status.CANCELLED
            else:
                organiser = db.session.get(User, self.organiser_id)
                ended = lifecycle.change_status(registration, to, by_user=organiser, notify=False)
        except TransitionError:
            db.session.rollback()
            assert expected == REFUSED, f"refused to make a {before} registration {to}"
            return
        db.session.commit()
        assert expected != REFUSED, f"made a {before} registration {to}, which the rules refuse"
        assert ended == expected, "change_status reported another status than the rules give"
        if undecided is not None:
            # Either outcome is accepted here; both keep everyone ahead on the list served first.
            if db.session.get(Registration, undecided).status == Status.APPROVED:
                self.rules.set(undecided, Status.APPROVED)

    @precondition(lambda self: self.rules.people)
    @rule(pick=st.integers(0, 50), to=st.sampled_from(list(Status)))
    def organiser_changes_status(self, pick, to):
        self._change(self._someone(pick), to)

    @precondition(lambda self: self.rules.approved() > 0)
    @rule(pick=st.integers(0, 50), to=st.sampled_from([Status.CANCELLED, Status.DECLINED, Status.WAITLISTED]))
    def an_approved_delegate_leaves(self, pick, to):
        self._change(self._someone(pick, Status.APPROVED), to)

    @precondition(lambda self: self.rules.approved() > 0 and self.rules.waiting)
    @rule(pick=st.integers(0, 50), by_registrant=st.booleans())
    def a_place_frees_up_while_people_wait(self, pick, by_registrant):
        self._change(self._someone(pick, Status.APPROVED), Status.CANCELLED, by_registrant=by_registrant)

    @precondition(lambda self: self.rules.approved() < len(self.rules.people))
    @rule(pick=st.integers(0, 50))
    def organiser_approves(self, pick):
        waiting = (Status.PENDING, Status.WAITLISTED, Status.DECLINED, Status.CANCELLED)
        self._change(self._someone(pick, *waiting), Status.APPROVED)

    @precondition(lambda self: self.rules.people)
    @rule(pick=st.integers(0, 50))
    def delegate_cancels(self, pick):
        self._change(self._someone(pick), Status.CANCELLED, by_registrant=True)

    @precondition(lambda self: any(p.status in EDITABLE for p in self.rules.people.values()))
    @rule(pick=st.integers(0, 50), stakeholder_group=st.sampled_from(GROUPS), country=st.sampled_from(COUNTRIES))
    def a_delegate_edits_their_group_or_country(self, pick, stakeholder_group, country):
        registration_id = self._someone(pick, *EDITABLE)
        registration = db.session.get(Registration, registration_id)
        services.update_details(registration, {"stakeholder_group": stakeholder_group, "country": country},
                                notify=False)
        db.session.commit()
        self.rules.edit(registration_id, stakeholder_group, country)

    @precondition(lambda self: self.rules.waiting)
    @rule()
    def promote(self):
        promoted = lifecycle.promote_waitlisted(lock_event(self.event_id))
        ids = [r.id for r in promoted]
        db.session.commit()
        assert ids == self.rules.promote(), "promoted the wrong delegates, or in the wrong order"

    @invariant()
    def the_event_keeps_its_promises(self):
        if getattr(self, "event_id", None) is None:
            return
        rules = self.rules
        people = db.session.execute(
            select(Registration.id, Registration.status, Registration.waitlist_position,
                   Registration.stakeholder_group, Registration.country)
            .where(Registration.event_id == self.event_id)
        ).all()
        changes = db.session.execute(
            select(StatusChange.registration_id, StatusChange.from_status, StatusChange.to_status,
                   StatusChange.by_user_id, StatusChange.actor)
            .join(Registration)
            .where(Registration.event_id == self.event_id)
            .order_by(StatusChange.id)
        ).all()
        db.session.rollback()

        approved = [r for r in people if r.status == Status.APPROVED]
        if rules.capacity is not None:
            assert len(approved) <= rules.capacity, "overbooked"
        for kind, value, places in rules.quotas:
            taken = sum(1 for r in approved if getattr(r, kind) == value)
            assert taken <= places, f"the {kind} quota for {value} is over: {taken} > {places}"
        assert not [r.id for r in people if r.status != Status.WAITLISTED and r.waitlist_position is not None]
        waiting = sorted((r for r in people if r.status == Status.WAITLISTED), key=lambda r: r.waitlist_position)
        positions = [r.waitlist_position for r in waiting]
        assert len(set(positions)) == len(positions), f"waiting-list positions shared: {positions}"
        assert [r.id for r in waiting] == rules.waiting, "the waiting list is not in order of waitlisting"
        assert {r.id: r.status for r in people} == {i: p.status for i, p in rules.people.items()}

        recorded = {r.id: [] for r in people}
        for change in changes:
            recorded[change.registration_id].append((change.from_status, change.to_status))
            if change.by_user_id is None:
                assert change.actor in ("registrant", "system")
            else:
                assert (change.by_user_id, change.actor) == (self.organiser_id, "organiser")
        for r in people:
            assert recorded[r.id] == rules.people[r.id].history, f"registration {r.id}'s history"
            assert recorded[r.id][-1][1] == r.status


def test_random_sequences_of_registration_changes_keep_every_promise(app, db):
    organiser = create_user("property-organiser@test.example", password="correct horse battery",
                            role=UserRole.ORGANISER)
    db.session.commit()

    class Machine(RegistrationLifecycle):
        organiser_id = organiser.id

    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=50,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_waitlisting_an_approved_delegate_keeps_them_on_the_waiting_list(db, make_event, make_registration):
    """An organiser moves the only approved delegate of a full event to the waiting list.

    change_status records approved -> waitlisted and queues "you are on the waiting list";
    promote_waitlisted then finds the place just freed and the first in line, the same
    delegate, and records waitlisted -> approved with "a place is now yours", while
    change_status still returns WAITLISTED, so the organiser reads "now waitlisted".
    (The state machine above accepts either outcome, so it keeps passing once fixed.)
    """
    event = make_event(capacity=1)
    delegate = make_registration(event)
    assert delegate.status == Status.APPROVED

    ended = lifecycle.change_status(delegate, Status.WAITLISTED, reason="Make room for a speaker")
    db.session.commit()

    db.session.refresh(delegate)
    assert ended == Status.WAITLISTED
    assert delegate.status == ended, "the organiser was told one thing, the database holds another"
    assert [c.to_status for c in delegate.history] == [Status.APPROVED, Status.WAITLISTED]
    assert list(db.session.scalars(select(OutboxMessage.kind))) == ["waitlisted"], "two contradictory emails"
