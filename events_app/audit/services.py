"""Write and read the audit log: who did what to which event or delegate, and what changed."""
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from sqlalchemy import func, select

from events_app.audit.models import AuditEntry
from events_app.choices import VISA_FIELDS
from events_app.extensions import db

PAGE_SIZE = 50
# Fields whose values never enter the log: it says that they changed, not what they were.
SENSITIVE_FIELDS = frozenset(VISA_FIELDS)
CHANGED = "(changed)"


def record(action: str, *, user, event=None, registration=None, summary: str = "",
           changes: dict | None = None) -> AuditEntry:
    """Add one entry to the audit log (flushes, never commits: it belongs to the caller's transaction).

    `changes` maps a field to (before, after); passport and visa fields are kept as changed
    without their values, and other values are stored as plain JSON (dates as ISO text).
    """
    if event is None and registration is not None:
        event = registration.event
    entry = AuditEntry(
        user_id=getattr(user, "id", None),
        actor=getattr(user, "email", None) or str(user or "system"),
        event_id=getattr(event, "id", None),
        registration_id=getattr(registration, "id", None),
        action=action,
        summary=summary[:2000],
        changes={field: _pair(field, pair) for field, pair in (changes or {}).items()},
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def differences(before: dict, after: dict) -> dict:
    """{field: (before, after)} for each field whose value differs between two snapshots."""
    return {field: (before.get(field), value) for field, value in after.items() if before.get(field) != value}


def _pair(field: str, pair) -> list:
    if field in SENSITIVE_FIELDS:
        return [CHANGED, CHANGED]
    return [_plain(value) for value in pair]


def _plain(value):
    """A value as JSON can hold it: enums by value, dates as ISO text, lists and dicts as they are."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, bytes):
        return CHANGED
    return value


@dataclass(frozen=True)
class AuditPage:
    """One page of the log, newest first, and where it sits in the whole."""

    entries: list[AuditEntry]
    total: int
    page: int
    pages: int


def entries(*, event_id: int | None = None, registration_id: int | None = None, action: str = "",
            page: int = 1, page_size: int = PAGE_SIZE) -> AuditPage:
    """A page of the log (newest first) for an event, a delegate or everything, optionally one action's."""
    query = select(AuditEntry)
    if event_id is not None:
        query = query.where(AuditEntry.event_id == event_id)
    if registration_id is not None:
        query = query.where(AuditEntry.registration_id == registration_id)
    if action:
        query = query.where(AuditEntry.action == action)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max((total + page_size - 1) // page_size, 1)
    page = min(max(page, 1), pages)
    rows = db.session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                              .offset((page - 1) * page_size).limit(page_size))
    return AuditPage(list(rows), total, page, pages)


def actions_logged(event_id: int | None = None) -> list[str]:
    """The actions present in the log (of one event, or everywhere), for the filter's choices."""
    query = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    if event_id is not None:
        query = query.where(AuditEntry.event_id == event_id)
    return list(db.session.scalars(query))
