"""The renderers' records (records.py) built from models or data-dictionary fields: the event, a badge.

The one place that knows both an Event's or a Registration's attributes and the renderers' input; it
reads loaded objects and runs no query (the sub-packages' queries.py select what to print).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from events_app.choices import ParticipantRole, StakeholderGroup
from events_app.countries import country_name
from events_app.documents.records import BadgeData, ColourKey, EventInfo
from events_app.events.colours import GROUP_COLOURS, HEX_COLOUR, ROLE_COLOURS

if TYPE_CHECKING:  # the models are only read here, never imported by renderers
    from events_app.events.models import Event
    from events_app.registration.models import Registration

def format_dates(starts_on: date, ends_on: date) -> str:
    """A compact English date range: '3–5 March 2026', '30 March – 2 April 2026'."""
    if starts_on == ends_on:
        return f"{starts_on.day} {starts_on:%B %Y}"
    if (starts_on.year, starts_on.month) == (ends_on.year, ends_on.month):
        return f"{starts_on.day}\u2013{ends_on.day} {ends_on:%B %Y}"
    if starts_on.year == ends_on.year:
        return f"{starts_on.day} {starts_on:%B} \u2013 {ends_on.day} {ends_on:%B %Y}"
    return f"{starts_on.day} {starts_on:%B %Y} \u2013 {ends_on.day} {ends_on:%B %Y}"


def legend_for(colour_by: str, overrides: Mapping[str, str] | None = None) -> tuple[ColourKey, ...]:
    """The colour legend for an event that colours badges by role or by stakeholder group.

    overrides is the event's `badge_colours` ({value: "#rrggbb"}, roles and groups in one map);
    a value that is not a #rrggbb colour is ignored rather than breaking a print run.
    """
    if colour_by == "stakeholder_group":
        members, defaults = StakeholderGroup, GROUP_COLOURS
    else:
        members, defaults = ParticipantRole, ROLE_COLOURS
    overrides = overrides or {}

    def colour(key: str) -> str:
        wanted = overrides.get(key)
        if isinstance(wanted, str) and HEX_COLOUR.fullmatch(wanted):
            return wanted.lower()
        return defaults.get(key, "#566573")

    return tuple(ColourKey(m.value, str(m.label), colour(m.value)) for m in members)


def event_info(event: Event, *, with_logo: bool = True, with_signature: bool = False) -> EventInfo:
    """Build EventInfo from an Event (loading its deferred logo unless with_logo is False, its signature if asked)."""
    colour_by = event.badge_colour_by or "participant_role"
    return EventInfo(
        title=event.title,
        dates=format_dates(event.starts_on, event.ends_on),
        starts_on=event.starts_on,
        ends_on=event.ends_on,
        venue=event.venue or "",
        city=event.city or "",
        country=country_name(event.country) if event.country else "",
        colour_by=colour_by,
        legend=legend_for(colour_by, event.badge_colours),
        contact_email=event.contact_email or "",
        letterhead_text=event.letterhead_text or "",
        signatory_name=event.signatory_name or "",
        signatory_title=event.signatory_title or "",
        signatory_organisation=event.signatory_organisation or "",
        attendance_threshold_days=max(event.attendance_threshold_days or 1, 1),
        logo=(event.logo or None) if with_logo else None,
        signature=(event.signature_image or None) if with_signature else None,
    )


def _label(enum_cls, value) -> str:
    if value is None or value == "":
        return ""
    try:
        return str(enum_cls(getattr(value, "value", value)).label)
    except ValueError:
        return str(value)


def badge_from_fields(fields: Mapping, *, colour_by: str = "participant_role") -> BadgeData:
    """Build BadgeData from data-dictionary fields (a CSV row, a form, or a registration's values)."""
    full_name = (fields.get("full_name") or "").strip()
    badge_name = (fields.get("badge_name") or "").strip() or full_name
    name_latin = (fields.get("name_latin") or "").strip()
    if name_latin == badge_name:
        name_latin = ""
    role = fields.get("participant_role") or ParticipantRole.PARTICIPANT
    group = fields.get("stakeholder_group") or ""
    country = country_name(fields.get("country") or "")
    region = (fields.get("region") or "").strip()
    key = group if colour_by == "stakeholder_group" else role
    return BadgeData(
        badge_name=badge_name,
        checkin_code=fields["checkin_code"],
        organisation=(fields.get("organisation") or "").strip(),
        country=f"{region}, {country}" if region and country else country,
        name_latin=name_latin,
        honorific=(fields.get("honorific") or "").strip(),
        participant_role=_label(ParticipantRole, role),
        stakeholder_group=_label(StakeholderGroup, group),
        colour_key=str(getattr(key, "value", key)),
    )


_FIELDS = ("full_name", "badge_name", "name_latin", "honorific", "organisation", "country", "region",
           "participant_role", "stakeholder_group", "checkin_code")


def badge_data(registration: Registration, *, colour_by: str = "participant_role") -> BadgeData:
    """Build BadgeData from a Registration."""
    return badge_from_fields({f: getattr(registration, f) for f in _FIELDS}, colour_by=colour_by)
