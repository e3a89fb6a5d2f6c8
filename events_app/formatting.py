"""Template filters and globals: dates in the event's zone, labels, country names."""
from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale

from events_app.countries import country_name


def event_dates(event) -> str:
    """'12 – 14 March 2027' style range in the reader's language."""
    if event.starts_on == event.ends_on:
        return format_date(event.starts_on, "long")
    return f"{format_date(event.starts_on, 'medium')} – {format_date(event.ends_on, 'medium')}"


def local_time(value: datetime | None, event=None, fmt: str = "medium") -> str:
    """A UTC timestamp shown in the event's time zone (or UTC)."""
    if value is None:
        return ""
    if event is not None:
        value = value.astimezone(event.tz)
        return format_datetime(value.replace(tzinfo=None), fmt, rebase=False) + f" ({event.timezone})"
    return format_datetime(value, fmt)


def day_label(value: date) -> str:
    return format_date(value, "EEE d MMM")


def register(app: Flask) -> None:
    """Add the filters and globals to the Jinja environment."""
    app.jinja_env.filters["event_dates"] = event_dates
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["day_label"] = day_label
    app.jinja_env.filters["country_name"] = lambda code: country_name(code, str(get_locale() or "en"))
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.add_extension("jinja2.ext.do")
