"""The public event pages: the list of events, one event's page (where people go to register), its privacy notice.

They show places left (registration's count), so they live here, but stay on the `events`
blueprint: their URLs and endpoint names (events.index, events.detail) do not change.
"""
from datetime import date

from flask import current_app, render_template
from flask_babel import format_date

from events_app.events.services import contact_address, current_event_or_404, upcoming_events
from events_app.events.views import bp
from events_app.registration.capacity import places_left

# {{ event_contact(event) }}: where delegates write with questions, on every page and email about an event.
bp.add_app_template_global(contact_address, "event_contact")


@bp.route("/")
def index():
    """Open and upcoming events."""
    return render_template("events/index.html", events=upcoming_events(date.today()))


@bp.route("/events/<slug>")
def detail(slug: str):
    """One event's public page, with a link to register while registration is open."""
    event = current_event_or_404(slug)
    return render_template("events/detail.html", event=event, places_left=places_left(event))


@bp.route("/events/<slug>/privacy")
def privacy(slug: str):
    """The event's privacy notice (its own text, or the network's default), with its version."""
    event = current_event_or_404(slug)
    paragraphs = event.privacy_notice.replace("\r\n", "\n").split("\n\n")
    changed = (event.privacy_notice_changed_at or event.created_at).astimezone(event.tz).date()
    return render_template("events/privacy.html", event=event, paragraphs=paragraphs,
                           changed_on=format_date(changed, "long"), visa_days=current_app.config["PRIVACY_VISA_DAYS"],
                           mail_days=current_app.config["PRIVACY_MAIL_DAYS"])
