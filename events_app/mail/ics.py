"""The calendar file (.ics) attached to an approval: the event's dates and venue in its own time zone."""
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, vText
from icalendar import Event as CalendarEvent

from events_app.models import utcnow


def event_calendar(event, *, link: str = "", uid_domain: str = "events.invalid", sequence: int = 0) -> bytes:
    """An iCalendar (RFC 5545) file with one VEVENT for the whole event.

    Events are kept as calendar dates in the event's time zone, so the VEVENT is all-day
    (DTEND is the day after the last day, as RFC 5545 says). When the event model carries daily
    start and end times (`day_starts_at`, `day_ends_at`), the VEVENT is timed in the event's
    TZID instead and the calendar carries that VTIMEZONE.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//events_app//Mekong symposia//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-timezone", event.timezone)

    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}@{uid_domain}")
    entry.add("sequence", sequence)
    entry.add("dtstamp", utcnow())
    entry.add("summary", event.title)
    starts_at: time | None = getattr(event, "day_starts_at", None)
    ends_at: time | None = getattr(event, "day_ends_at", None)
    if starts_at and ends_at:
        entry.add("dtstart", datetime.combine(event.starts_on, starts_at, tzinfo=event.tz))
        entry.add("dtend", datetime.combine(event.ends_on, ends_at, tzinfo=event.tz))
    else:
        entry.add("dtstart", event.starts_on)
        entry.add("dtend", event.ends_on + timedelta(days=1))
    location = ", ".join(part for part in (event.venue, event.city) if part)
    if location:
        entry.add("location", vText(location))
    description = (event.description or "").strip()
    if link:
        entry.add("url", link)
        description = f"{description}\n\n{link}".strip()
    if description:
        entry.add("description", description)
    entry.add("transp", "OPAQUE")
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def uid_domain_from(base_url: str) -> str:
    """The host of BASE_URL, used to make calendar UIDs globally unique."""
    return urlsplit(base_url).hostname or "events.invalid"
