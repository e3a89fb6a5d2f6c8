"""Use cases of the registrant: register, find by private link, edit, cancel, register again, resend the link."""
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, func, literal_column, or_, select
from sqlalchemy.exc import IntegrityError

from events_app import signals
from events_app.audit import services as audit
from events_app.choices import DELEGATE_FIELDS, FIELD_LABELS, VISA_FIELDS, Status
from events_app.events.cache import version_of
from events_app.events.locking import lock_event, lock_event_version
from events_app.extensions import db
from events_app.inserts import gathering
from events_app.models import utcnow
from events_app.registration import invitations, lifecycle, rows
from events_app.registration.capacity import QUOTA_KINDS
from events_app.registration.models import Registration, new_token


@dataclass(frozen=True)
class RegisterOutcome:
    """What register() did: a new registration, or the one that already existed."""

    registration: Registration
    created: bool
    # "resubmitted" (same form sent twice), "email" (already registered) or "again" (cancelled, now back)
    why_existing: str = ""


class RegistrationClosed(ValueError):
    """Registration is not open (not yet, closed, or the event is over); `state` says which."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


class CannotRegisterAgain(ValueError):
    """Only a cancelled registration comes back; a declined one stays declined (the organisers decided)."""


def apply_fields(registration: Registration, data: dict[str, Any]) -> None:
    """Copy validated data-dictionary values onto the registration, with derived columns."""
    for field in DELEGATE_FIELDS:
        if field in data:
            setattr(registration, field, data[field])
    if "answers" in data:
        registration.answers = dict(data["answers"] or {})
    registration.email = registration.email.strip().lower()
    if not registration.needs_visa_letter:
        for field in VISA_FIELDS:
            setattr(registration, field, None)
    registration.sort_name = (registration.name_latin or registration.full_name).strip().casefold()


_UNKNOWN = object()


def register(
    event,
    data: dict[str, Any],
    *,
    submission_key: str | None = None,
    invitation=None,
    actor: str = "registrant",
    by_user=None,
    notify: bool = True,
    existing=_UNKNOWN,
    alone: bool = False,
    new_id: int | None = None,
    in_session: bool = True,
) -> RegisterOutcome:
    """Register one delegate for the event, deciding their status under the event lock.

    Approval required: pending. Otherwise approved while places and quotas allow, else
    waitlisted. A repeated submission or an email already registered returns the existing
    registration (and re-sends its private link for the latter) instead of a second one.
    "One per email" and "one per form" are held by unique constraints. With a place to decide, the
    event is locked and the places counted first, so the registration is written with its final
    status (no correction after); the lock is held for the count, the write and the commit.
    `existing`: the caller has looked for this email and form already (_existing's answer).
    `alone`: nothing else has been written in this transaction, so a lost race for the email or
    form rolls all of it back instead of a SAVEPOINT around the insert (two round trips fewer).
    `new_id`: the registration's id, taken from its sequence already (PostgreSQL, _look_up):
    the registration, its history row and its email then go in as one statement.
    `in_session=False`: the new rows are written but not kept by the session, and the registration does not
    refer to `event` (only to its id), for a caller that reads only the outcome's token and commits (the
    form's view): `event` may then be a detached copy shared by every request (events.cache.cached_event),
    which nothing here adds to a session. With an invitation the rows are kept all the same.
    """
    if invitation is not None:  # its single use is decided under the lock, before anything is written
        event = lock_event(event.id)
        in_session = True  # consuming the invitation refers to the new row
    email = data["email"].strip().lower()
    if existing is _UNKNOWN or invitation is not None:
        existing = _existing(event.id, email, submission_key)
    if existing is not None:
        return _outcome_for_existing(existing, submission_key, notify)

    if invitation is not None:
        db.session.refresh(invitation)  # another request may have used it while we waited for the lock
        invitations.check(invitation, email)
    registration = Registration(event_id=event.id, submission_key=submission_key)
    if in_session:
        registration.event = event
    apply_fields(registration, data)
    record_consent(event, registration)
    if decides_a_place(event) and invitation is None:  # an invitation has locked the event already
        # Only the row's updated_at is read with the lock: while it is the version this request holds,
        # the capacity and quotas it holds are the row's (events.locking.lock_event_version).
        event = lock_event_version(event)
    lifecycle.record(registration, _decide_arrival(event, registration).status, by_user=by_user, actor=actor)
    if new_id is not None:
        registration.id = new_id
    try:
        with nullcontext() if alone else db.session.begin_nested():
            _write(registration, notify=notify and new_id is not None, kept=in_session)
    except IntegrityError:
        # Another request won the race for this email or form: the unique constraints are the last word.
        if alone:
            db.session.rollback()
        existing = _existing(event.id, email, submission_key)
        if existing is None:
            raise
        return _outcome_for_existing(existing, submission_key, notify)
    if invitation is not None:
        invitations.consume(invitation, registration)
    if notify and new_id is None:
        signals.registration_received.send(registration)
    return RegisterOutcome(registration, created=True)


def _write(registration: Registration, *, notify: bool, kept: bool = True) -> None:
    """INSERT the registration with its history row; `notify` (its id known already): with its email too.

    The email's row is gathered while the signal is sent (mail queues it with inserts.insert_now) and
    written in the registration's statement: one round trip for the three rows on PostgreSQL.
    """
    if not notify:
        rows.insert_new(registration, kept=kept)
        return
    with gathering() as also:
        signals.registration_received.send(registration)
    rows.insert_new(registration, also=also, kept=kept)


def register_online(event, data: dict[str, Any], *, submission_key: str | None = None,
                    invitation=None, alone: bool = False, version=None, in_session: bool = True) -> RegisterOutcome:
    """A delegate registers themselves through the form, only while registration is open.

    Refused with RegistrationClosed otherwise (a finished event takes no one). A delegate who
    cancelled and registers again with the same email comes back on the same registration
    (register_again), with the details of this form. `alone`: as for register (the caller has
    written nothing in this transaction; the form's view). `version`: the updated_at of the event
    the caller holds, not yet checked against the database (events.cache.cached_event): the first
    statement checks it, and EventChanged says it is not the event's any more (nothing done).
    `in_session`: as for register.
    """
    email = data["email"].strip().lower()
    found = _look_up(event.id, email, submission_key, next_id=invitation is None and _takes_ids_first())
    if version is not None and found.version != version:
        raise EventChanged(event.id)
    check_open(event)
    existing = found.existing
    if existing is not None and existing.status == Status.CANCELLED and existing.submission_key != submission_key:
        register_again(existing, data=data)
        return RegisterOutcome(existing, created=False, why_existing="again")
    return register(event, data, submission_key=submission_key, invitation=invitation, existing=existing,
                    alone=alone and invitation is None, new_id=found.next_id,  # an invitation locks first: not alone
                    in_session=in_session)


class EventChanged(RuntimeError):
    """The event the caller held is not the event's current version (register_online's `version`)."""


def _takes_ids_first() -> bool:
    # PostgreSQL: the new registration's id comes from its sequence in the lookup, so the registration,
    # its history row and its email go in as one statement (rows.insert_new). SQLite has no sequence.
    return db.session.get_bind().dialect.name == "postgresql"


def register_again(registration: Registration, *, data: dict[str, Any] | None = None) -> Status:
    """A cancelled delegate comes back through the usual rules; returns the status they get.

    Same registration and private link, history kept: approval means pending, else a place means
    approved, else the waiting list. `data` (the form, when they registered again through it)
    replaces their details. Refused while registration is not open (RegistrationClosed) and for
    any registration that is not cancelled (CannotRegisterAgain).
    """
    event = lock_event(registration.event_id)
    db.session.refresh(registration)
    check_open(event)
    if registration.status != Status.CANCELLED:
        raise CannotRegisterAgain(registration.status.value)
    if data is not None:
        apply_fields(registration, _blanks_as_empty(data))
        record_consent(event, registration)
    decision = _decide_arrival(event, registration)
    reason = " ".join(part for part in (_("Registered again."), decision.place.reason) if part)
    lifecycle.record(registration, decision.status, actor="registrant", reason=reason)
    db.session.flush()
    signals.registration_received.send(registration)
    return decision.status


def _blanks_as_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Fields left out of a new form (None) as their columns' empty value, so the old details give way."""
    columns = Registration.__table__.c
    empty = {name: column.default.arg for name, column in columns.items()
             if column.default is not None and column.default.is_scalar}
    return {name: empty.get(name) if value is None else value for name, value in data.items()}


def check_open(event) -> None:
    """RegistrationClosed unless registration for the event is open now."""
    state = event.registration_state()
    if state != "open":
        raise RegistrationClosed(state)


def _decide_arrival(event, registration: Registration) -> lifecycle.Decision:
    """The status of someone who (re)joins: pending with approval, else approved while places allow."""
    wanted = Status.PENDING if event.approval_required else Status.APPROVED
    return lifecycle.decide(event, registration, wanted, when_full=Status.WAITLISTED)


def record_consent(event, registration: Registration) -> None:
    """Note when the delegate consented and to which version of the event's privacy notice."""
    if registration.data_consent:
        registration.data_consent_at = utcnow()
        registration.privacy_notice_version = str(event.privacy_notice_version)


def decides_a_place(event) -> bool:
    """Will this registration take or be refused a place (capacity or quotas, no approval step)?"""
    return not event.approval_required and (event.capacity is not None or bool(event.quotas))


def _existing(event_id: int, email: str, submission_key: str | None) -> Registration | None:
    """The registration this form already made, else the one with this email (one query)."""
    # Two columns first (nearly always no row); the whole registration only when there is one.
    found = db.session.execute(_existing_query(bool(submission_key)),
                               {"event_id": event_id, "email": email, "key": submission_key}).all()
    return _chosen(found, submission_key)


@dataclass(frozen=True)
class _Found:
    existing: Registration | None
    version: Any  # the event's updated_at now
    next_id: int | None


def _look_up(event_id: int, email: str, submission_key: str | None, *, next_id: bool) -> _Found:
    """_existing's answer, the event's version and (`next_id`, PostgreSQL) a new registration id, in one round trip."""
    found = db.session.execute(_existing_query(bool(submission_key), with_event=True, next_id=next_id),
                               {"event_id": event_id, "email": email, "key": submission_key}).all()
    existing = _chosen([row for row in found if row.id is not None], submission_key)
    return _Found(existing, found[0].version, found[0].next_id if next_id else None)


def _chosen(found, submission_key: str | None) -> Registration | None:
    by_form = [row for row in found if submission_key and row.submission_key == submission_key]
    chosen = (by_form or found or [None])[0]
    return None if chosen is None else db.session.get(Registration, chosen.id)


@lru_cache(maxsize=8)
def _existing_query(by_form: bool, with_event: bool = False, next_id: bool = False):
    # Built once per shape: building the comparisons costs more CPU than SQLAlchemy's compiled cache saves.
    # On the table's columns: an ORM-attribute SELECT costs ~150 us more CPU to execute, for the same rows.
    registrations = Registration.__table__
    match = registrations.c.email == bindparam("email")
    if by_form:
        match = or_(match, registrations.c.submission_key == bindparam("key"))
    mine = and_(registrations.c.event_id == bindparam("event_id"), match)
    if not with_event:
        return select(registrations.c.id, registrations.c.submission_key).where(mine)
    # One row always: the event's version (and the sequence's next value), the matching registrations beside it.
    head = [version_of().label("version")]
    if next_id:
        head.append(func.nextval(literal_column("pg_get_serial_sequence('registrations', 'id')")).label("next_id"))
    first = select(*head).subquery()
    return (select(*first.c, registrations.c.id, registrations.c.submission_key)
            .select_from(first.outerjoin(registrations, mine)))


def _outcome_for_existing(existing: Registration, submission_key: str | None, notify: bool) -> RegisterOutcome:
    if submission_key and existing.submission_key == submission_key:
        return RegisterOutcome(existing, created=False, why_existing="resubmitted")
    if notify:
        signals.link_requested.send(existing)
    return RegisterOutcome(existing, created=False, why_existing="email")


def by_token(token: str) -> Registration | None:
    """The registration behind a private link, or None."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Registration).where(Registration.token == token))


def cancel_by_registrant(registration: Registration) -> None:
    """The registrant cancels; a freed place goes to the waiting list."""
    lifecycle.change_status(registration, Status.CANCELLED, actor="registrant")


class EmailTaken(ValueError):
    """Another registration of the event already uses this email."""


class EmailBound(ValueError):
    """The delegate registered through an invitation sent to their email, so only organisers change it."""


def can_edit(registration: Registration, now=None) -> bool:
    """The registrant may still change their details (before the edit deadline and the event's end)."""
    event = registration.event
    now = now or utcnow()
    if registration.status in (Status.CANCELLED, Status.DECLINED):
        return False
    if event.edit_deadline is not None and now >= event.edit_deadline:
        return False
    return event.today(now) <= event.ends_on


def update_details(registration: Registration, data: dict[str, Any], *, actor: str = "registrant",
                   by_user=None, notify: bool = True) -> list[str]:
    """Change a registration's details; returns the names of the fields that changed.

    The place is decided again (see _settle_place). A registrant cannot change an email their
    invitation was bound to (EmailBound); an organiser (by_user) can, and their edit is written
    to the audit log with each field before and after.
    """
    event = lock_event(registration.event_id)
    email = data.get("email", registration.email).strip().lower()
    if email != registration.email:
        if actor == "registrant" and invitations.bound_email(registration):
            raise EmailBound(email)
        if _existing(event.id, email, None) is not None:
            raise EmailTaken(email)
    before = {field: getattr(registration, field) for field in DELEGATE_FIELDS}
    before_answers = dict(registration.answers or {})
    apply_fields(registration, data)
    if sorted(registration.languages or []) == sorted(before["languages"] or []):
        # The form lists languages in its own order, an import in the file's: the same ones are no change.
        registration.languages = before["languages"]
    changed = [field for field in DELEGATE_FIELDS if getattr(registration, field) != before[field]]
    if (registration.answers or {}) != before_answers:
        changed.append("answers")
    if not changed:
        return []
    _settle_place(event, registration, changed, actor=actor, by_user=by_user, notify=notify)
    db.session.flush()
    if by_user is not None:
        after = {field: getattr(registration, field) for field in DELEGATE_FIELDS}
        audit.record("delegate.edit", user=by_user, registration=registration,
                     summary=", ".join(str(_field_label(field)) for field in changed),
                     changes={**audit.differences(before, after),
                              **({"answers": (before_answers, registration.answers)} if "answers" in changed else {})})
    if notify:
        signals.details_changed.send(registration, changes=[_field_label(field) for field in changed])
    return changed


def _settle_place(event, registration: Registration, changed: list[str], *, actor: str, by_user,
                  notify: bool) -> None:
    """Decide an approved registration's place again after its details changed.

    A change to one of the event's reapproval fields sends it back to pending. A change into a
    full quota waitlists it (with the reason in its history, and the delegate told): refusing the
    edit would push people to keep wrong details to keep their place, and the quotas that keep a
    consultation balanced only hold when the stakeholder group and country are true. A change
    out of a quota frees a place there for the first waitlisted delegate who fits.
    """
    if registration.status != Status.APPROVED:
        return
    needs_review = set(changed) & set(event.reapproval_fields or ())
    if event.approval_required and needs_review:
        lifecycle.move(event, registration, Status.PENDING, by_user=by_user, actor=actor,
                       reason="Changed: " + ", ".join(sorted(needs_review)), notify=False)
        return
    decision = lifecycle.decide(event, registration, Status.APPROVED, when_full=Status.WAITLISTED)
    if decision.status != Status.APPROVED:
        lifecycle.move(event, registration, decision.status, by_user=by_user, actor=actor,
                       reason=decision.place.reason, notify=notify)
    elif set(changed) & set(QUOTA_KINDS):
        lifecycle.promote_waitlisted(event)


def _field_label(field: str):
    return FIELD_LABELS.get(field, field)


def resend_link(event, email: str) -> bool:
    """Email the private link to this address if it is registered; the caller must not say which."""
    registration = _existing(event.id, email.strip().lower(), None)
    if registration is None:
        return False
    signals.link_requested.send(registration)
    return True


def regenerate_token(registration: Registration, *, notify: bool = True) -> None:
    """A new private link (the old one stops working), emailed to the delegate."""
    registration.token = new_token()
    db.session.flush()
    if notify:
        signals.link_requested.send(registration)
