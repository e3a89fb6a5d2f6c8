"""Use cases of an event's quotas and extra registration questions.

Like every service here these functions flush and never commit; the caller commits once.
Changing or removing a quota takes the event lock and returns the locked event: the caller moves
the waiting list up (registration.lifecycle.promote_waitlisted) in the same transaction, because
events/ knows nothing of registrations.
"""
import re

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from events_app.choices import DELEGATE_FIELDS, QuotaKind, StakeholderGroup
from events_app.countries import is_country
from events_app.events.locking import lock_event
from events_app.events.models import Event, Question, Quota
from events_app.events.services import MAX_PLACES, EventError
from events_app.extensions import db

QUESTION_KINDS = ("text", "choice", "yes_no")
# Question keys name form fields and export columns: snake_case like the data dictionary.
QUESTION_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
RESERVED_QUESTION_KEYS = frozenset(DELEGATE_FIELDS) | {
    "id", "status", "participant_role", "registered_at", "days_attended", "token", "checkin_code",
    "submission_key", "csrf_token", "answers",
}


# --- quotas -----------------------------------------------------------------------------------

def _checked_quota(kind: str, value: str, places: int) -> QuotaKind:
    try:
        kind = QuotaKind(kind)
    except ValueError:
        raise EventError(_("A quota is for a stakeholder group or a country."), field="target") from None
    valid = value in {g.value for g in StakeholderGroup} if kind == QuotaKind.STAKEHOLDER_GROUP else is_country(value)
    if not valid:
        raise EventError(_("Not a valid choice."), field="target")
    if not 0 <= places <= MAX_PLACES:
        raise EventError(_("The number of places must be between 0 and %(max)s.", max=MAX_PLACES),
                         field="places")
    return kind


def add_quota(event: Event, *, kind: str, value: str, places: int) -> Quota:
    """Add a quota for one stakeholder group or country; one per kind and value."""
    kind = _checked_quota(kind, value, places)
    taken = EventError(_("This event has a quota for it already."), field="target")
    if any(q.kind == kind and q.value == value for q in event.quotas):
        raise taken
    quota = Quota(kind=kind, value=value, places=places)
    try:
        with db.session.begin_nested():
            event.quotas.append(quota)
            db.session.flush()
    except IntegrityError:  # added at the same moment by someone else
        db.session.expire(event, ["quotas"])
        raise taken from None
    return quota


def update_quota(quota: Quota, *, places: int) -> Event:
    """Change a quota's places; returns its event, locked until the caller commits."""
    _checked_quota(quota.kind, quota.value, places)
    event = lock_event(quota.event_id)
    quota.places = places
    db.session.flush()
    return event


def delete_quota(quota: Quota) -> Event:
    """Remove a quota; returns its event, locked until the caller commits."""
    event = lock_event(quota.event_id)
    event.quotas.remove(quota)
    db.session.flush()
    return event


# --- extra questions --------------------------------------------------------------------------

def clean_options(kind: str, options) -> list[str]:
    """The answer options of a choice question: stripped, blank lines and repeats dropped."""
    if kind != "choice":
        return []
    seen, cleaned = set(), []
    for option in options or ():
        option = option.strip()
        if option and option.casefold() not in seen:
            seen.add(option.casefold())
            cleaned.append(option)
    return cleaned


def _check_question(kind: str, label: str, options: list[str]) -> None:
    if kind not in QUESTION_KINDS:
        raise EventError(_("Not a valid choice."), field="kind")
    if not label.strip():
        raise EventError(_("Please write the question."), field="label")
    if kind == "choice" and len(options) < 2:
        raise EventError(_("A choice question needs at least two options, one per line."), field="options")


def add_question(event: Event, *, key: str, label: str, kind: str, options=(), required: bool = False,
                 position: int | None = None) -> Question:
    """Add an extra question at `position` (1 = first; None = last); keys are unique per event."""
    if not QUESTION_KEY_RE.match(key) or key in RESERVED_QUESTION_KEYS:
        raise EventError(_("Not a usable key."), field="key")
    options = clean_options(kind, options)
    _check_question(kind, label, options)
    taken = EventError(_("This event has a question with this key already."), field="key")
    if any(q.key == key for q in event.questions):
        raise taken
    question = Question(key=key, label=label.strip(), kind=kind, options=options, required=required,
                        position=len(event.questions) + 1)
    try:
        with db.session.begin_nested():
            event.questions.append(question)
            db.session.flush()
    except IntegrityError:
        db.session.expire(event, ["questions"])
        raise taken from None
    _place(event, question, position)
    return question


def update_question(question: Question, *, label: str, kind: str, options=(), required: bool = False,
                    position: int | None = None) -> Question:
    """Change a question's wording, kind, options, required flag or place (its key stays)."""
    options = clean_options(kind, options)
    _check_question(kind, label, options)
    question.label, question.kind, question.options, question.required = label.strip(), kind, options, required
    if position is not None:
        _place(question.event, question, position)
    db.session.flush()
    return question


def delete_question(question: Question) -> None:
    """Remove a question from the form; answers already given stay with their registrations."""
    event = question.event
    event.questions.remove(question)
    db.session.flush()
    _renumber(event, [q for q in _ordered(event) if q is not question])


def move_question(question: Question, *, by: int) -> None:
    """Move a question up (by=-1) or down (by=+1) the form."""
    ordered = _ordered(question.event)
    _place(question.event, question, ordered.index(question) + 1 + by)


def _ordered(event: Event) -> list[Question]:
    return list(db.session.scalars(
        select(Question).where(Question.event_id == event.id).order_by(Question.position, Question.id)
    ))


def _place(event: Event, question: Question, position: int | None) -> None:
    """Put the question at `position` (clamped) and number the rest 1..n around it."""
    others = [q for q in _ordered(event) if q is not question]
    index = len(others) if position is None else min(max(position - 1, 0), len(others))
    others.insert(index, question)
    _renumber(event, others)


def _renumber(event: Event, ordered: list[Question]) -> None:
    for number, question in enumerate(ordered, start=1):
        question.position = number
    db.session.flush()
    db.session.expire(event, ["questions"])
