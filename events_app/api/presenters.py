"""Rows as the API's JSON: events, registrations (without contact details for staff), dashboard figures."""
from datetime import date, datetime

from events_app.choices import DELEGATE_FIELDS, VISA_FIELDS

# What staff see of a registration (SECURITY.md, "who sees what": the desk's and printing's needs); the
# other fields are null for them: contact details, position, gender, languages, needs, travel, consents, answers.
STAFF_FIELDS = frozenset({
    "id", "status", "waitlist_position", "full_name", "name_latin", "badge_name", "honorific", "organisation",
    "stakeholder_group", "country", "participant_role", "checkin_code", "badge_printed_at", "registered_at",
    "updated_at",
})
# What a registration shows: the data dictionary without the passport details (never sent by the API).
SHOWN_FIELDS = tuple(name for name in DELEGATE_FIELDS if name not in VISA_FIELDS and name != "data_consent")


def event_json(event) -> dict:
    """An event's public facts and the state of its registration."""
    return {
        "slug": event.slug, "title": event.title, "starts_on": event.starts_on, "ends_on": event.ends_on,
        "days": event.days, "timezone": event.timezone, "venue": event.venue, "city": event.city,
        "country": event.country, "capacity": event.capacity, "approval_required": event.approval_required,
        "invitation_only": event.invitation_only, "registration_state": event.registration_state(),
        "updated_at": event.updated_at,
    }


def registration_json(registration, *, contacts: bool) -> dict:
    """One registration; all of it for organisers and admins (`contacts`), what staff need for others."""
    data = {name: getattr(registration, name) for name in SHOWN_FIELDS}
    data.update(
        id=registration.id, status=registration.status, waitlist_position=registration.waitlist_position,
        participant_role=registration.participant_role, answers=dict(registration.answers or {}),
        checkin_code=registration.checkin_code, badge_printed_at=registration.badge_printed_at,
        registered_at=registration.registered_at, updated_at=registration.updated_at,
    )
    if not contacts:
        data = {name: (value if name in STAFF_FIELDS else None) for name, value in data.items()}
    return data


def figure_json(figure) -> dict:
    """A dashboard figure as its table (the chart itself stays on the dashboard)."""
    return {"key": figure.key, "title": str(figure.title), "columns": [str(c) for c in figure.columns],
            "rows": [[_cell(value) for value in row] for row in figure.rows],
            "facts": [str(fact) for fact in figure.facts]}


def _cell(value):
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)
