"""Changes of capacity and quotas in the workspace: events/ changes the limit, then the waiting list moves up.

events/ knows nothing of registrations, so these use cases do both steps, in one transaction and
under the event lock that the events service took (events.locking.lock_event): raising a limit or
removing a quota promotes waitlisted delegates who now fit; lowering one below the number already
approved is allowed and reported, never undone silently. They flush and never commit.
"""
from dataclasses import dataclass

from events_app.choices import QuotaKind, StakeholderGroup
from events_app.events import services, settings
from events_app.events.models import Event, Quota
from events_app.registration.capacity import approved_count
from events_app.registration.lifecycle import promote_waitlisted


@dataclass(frozen=True)
class PlacesReport:
    """After a change of capacity or quota: how many hold places, the limit, and who was promoted."""

    approved: int
    limit: int | None
    promoted: int = 0

    @property
    def over_by(self) -> int:
        """Approved delegates beyond the limit (0 when within it)."""
        return 0 if self.limit is None else max(self.approved - self.limit, 0)


def quota_approved(quota: Quota) -> int:
    """Approved delegates of the quota's event who count against it."""
    value = StakeholderGroup(quota.value) if quota.kind == QuotaKind.STAKEHOLDER_GROUP else quota.value
    return approved_count(quota.event_id, **{quota.kind.value: value})


def save_event_settings(event: Event, **values) -> PlacesReport:
    """Change an event's settings (services.update_event); more room promotes waitlisted delegates."""
    update = services.update_event(event, **values)
    promoted = promote_waitlisted(update.event) if update.more_room else []
    return PlacesReport(approved_count(event.id), update.event.capacity, len(promoted))


def change_quota_places(quota: Quota, *, places: int) -> PlacesReport:
    """Change a quota's places and promote whoever now fits."""
    event = settings.update_quota(quota, places=places)
    # Promote whenever the quota changes: comparing with the places read before the lock could
    # miss a rise made by another organiser meanwhile; promotion only takes who fits.
    promoted = promote_waitlisted(event)
    return PlacesReport(quota_approved(quota), places, len(promoted))


def remove_quota(quota: Quota) -> PlacesReport:
    """Remove a quota; waitlisted delegates it held back may be promoted. The report has no limit."""
    event = settings.delete_quota(quota)
    promoted = promote_waitlisted(event)
    return PlacesReport(approved_count(event.id), None, len(promoted))
