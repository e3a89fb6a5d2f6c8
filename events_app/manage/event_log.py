"""Organisers' changes to an event's settings, quotas and questions, written to the audit log.

Each change is logged as the difference between a snapshot of the event before and after it, so
one wrapper serves every settings page with before/after values.
"""
import hashlib

from flask_login import current_user

from events_app.audit import services as audit
from events_app.events.services import EVENT_FIELDS


def event_snapshot(event) -> dict:
    """The event's settings, quotas ("quota country TH": places) and questions, as loggable values."""
    snapshot = {name: getattr(event, name) for name in sorted(EVENT_FIELDS)}
    snapshot["logo"] = hashlib.sha256(event.logo).hexdigest()[:12] if event.logo else None
    snapshot.update({f"quota {q.kind.value} {q.value}": q.places for q in event.quotas})
    snapshot.update({f"question {q.key}": f"{q.position}. {q.label} ({q.kind}{', required' if q.required else ''})"
                     for q in event.questions})
    return snapshot


def logged(action: str, service, event):
    """`service` wrapped to log `action` with what it changed in the event (nothing logged if it raises)."""

    def run(*args, **kwargs):
        before = event_snapshot(event)
        result = service(*args, **kwargs)
        after = event_snapshot(event)
        changes = audit.differences(before, after) | {key: (value, None) for key, value in before.items()
                                                      if key not in after}
        audit.record(action, user=current_user, event=event, changes=changes)
        return result

    return run
