"""Template filters and globals: times in the event's zone (labelled), dates in the reader's language.

One spelling for every timestamp in the workspace and at the desk: "30 Nov 2026, 14:05 (Asia/Bangkok)",
and for a day: "Mon 30 Nov 2026". Day before month, a four-digit year and a 24-hour clock read the
same in every country of the region (the "en" locale's own short forms are US: "11/30/26, 2:05 PM");
Babel still spells month and weekday names in the reader's language.
"""
from datetime import UTC, date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale

from events_app import i18n
from events_app.countries import country_name

DAY_PATTERN = "EEE d MMM y"
TIME_PATTERN = "d MMM y, HH:mm"


def event_dates(event) -> str:
    """'12 – 14 March 2027' style range in the reader's language."""
    if event.starts_on == event.ends_on:
        return format_date(event.starts_on, "long")
    return f"{format_date(event.starts_on, 'medium')} – {format_date(event.ends_on, 'medium')}"


def local_time(value: datetime | None, event=None) -> str:
    """A UTC timestamp in the event's time zone, or in UTC when there is no event, with the zone named."""
    if value is None:
        return ""
    if value.tzinfo is None:  # stored times are UTC
        value = value.replace(tzinfo=UTC)
    zone, label = (event.tz, event.timezone) if event is not None else (UTC, "UTC")
    shown = format_datetime(value.astimezone(zone).replace(tzinfo=None), TIME_PATTERN, rebase=False)
    return f"{shown} ({label})"


def day_label(value: date) -> str:
    """One day of an event, e.g. 'Mon 30 Nov 2026', in the reader's language."""
    return format_date(value, DAY_PATTERN)


def language_chooser(event=None) -> list[dict]:
    """The chooser's links for this page, the event's country's language first."""
    return i18n.chooser(str(get_locale() or "en"), getattr(event, "country", None))


def register(app: Flask) -> None:
    """Add the filters and globals to the Jinja environment."""
    app.jinja_env.filters["event_dates"] = event_dates
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["day_label"] = day_label
    app.jinja_env.filters["country_name"] = lambda code: country_name(code, str(get_locale() or "en"))
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["is_workspace"] = i18n.is_workspace
    app.jinja_env.globals["language_chooser"] = language_chooser
    app.jinja_env.filters["language_name"] = lambda code: i18n.language_name(code or "en", str(get_locale() or "en"))
    app.jinja_env.add_extension("jinja2.ext.do")
