"""Walk-ins: staff register someone at the door through the registration rules, and check them in."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from events_app.attendance.models import DeskSettings
from events_app.attendance.services import CheckInOutcome, check_in
from events_app.choices import Status
from events_app.extensions import db
from events_app.registration import lifecycle
from events_app.registration import services as registration


@dataclass(frozen=True)
class WalkIn:
    """The walk-in's registration, whether it is new, and what the desk did with them."""

    created: bool
    outcome: CheckInOutcome


def settings_of(event_id: int) -> DeskSettings:
    """The event's desk settings (defaults when the organisers never changed them)."""
    found = db.session.scalar(select(DeskSettings).where(DeskSettings.event_id == event_id))
    return found or DeskSettings(event_id=event_id, walkins_approved=True)


def save_settings(event_id: int, *, walkins_approved: bool) -> DeskSettings:
    """Store the organisers' choices for the desk; the caller commits."""
    settings = db.session.get(DeskSettings, event_id) or DeskSettings(event_id=event_id)
    settings.walkins_approved = walkins_approved
    db.session.add(settings)
    db.session.flush()
    return settings


def register_walkin(event, data: dict, *, day: date, by_user) -> WalkIn:
    """Register (capacity, quotas, one per email: the usual rules), approve if the event says so, check in.

    Someone already registered with that email is not registered twice: they are checked in if approved.
    The caller commits.
    """
    outcome = registration.register(event, data, actor="staff", by_user=by_user, notify=False)
    person = outcome.registration
    if outcome.created and person.status == Status.PENDING and settings_of(event.id).walkins_approved:
        # Capacity still decides: a full event waitlists (or refuses) the walk-in like anyone else.
        try:
            lifecycle.change_status(person, Status.APPROVED, by_user=by_user, actor="staff",
                                    reason="Walk-in at the check-in desk", notify=False)
        except lifecycle.TransitionError:
            pass  # stays pending; the desk says "not approved"
    return WalkIn(outcome.created, check_in(person, day=day, by_user=by_user, method="walkin"))
