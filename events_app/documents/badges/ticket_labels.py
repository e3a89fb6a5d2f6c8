"""The ticket in the delegate's language: its labels, the event's dates (Babel), country and role names.

Kept apart from the pure renderer (tickets.py), which draws what it is given, and from the workspace's
badge services, whose messages stay English: this module's strings are in the participants' catalogues.
"""
from __future__ import annotations

from dataclasses import replace

from flask_babel import force_locale
from flask_babel import gettext as _

from events_app import i18n
from events_app.countries import country_name
from events_app.documents.badges.tickets import TicketLabels
from events_app.documents.data import badge_data, event_info
from events_app.documents.records import BadgeData, EventInfo
from events_app.formatting import event_dates


def ticket_in_language(registration) -> tuple[EventInfo, BadgeData, TicketLabels]:
    """What render_ticket needs for this delegate, in the language they registered in."""
    event = registration.event
    locale = i18n.supported(registration.locale) or i18n.DEFAULT_LOCALE
    with force_locale(locale):  # the role and group labels are lazy: they are read in this locale
        info = replace(event_info(event), dates=event_dates(event),
                       country=country_name(event.country, locale) if event.country else "")
        badge = badge_data(registration, colour_by=info.colour_by)
        if registration.country:
            place = (registration.region, country_name(registration.country, locale))
            badge = replace(badge, country=", ".join(part for part in place if part))
        labels = TicketLabels(
            document_title=_("Ticket: %(event)s", event=event.title),
            show_code=_("Show this code at the check-in desk."),
            check_in_code=_("Check-in code: %(code)s", code=badge.checkin_code),
            questions=_("Questions: %(email)s", email=event.contact_email) if event.contact_email else "",
        )
    return info, badge, labels
