"""The pieces every email is written from: its language, its links, and its templates rendered in that language.

An email is written in the delegate's language when that email has been translated into it, and in
English otherwise: its dates and country names then follow the text, never a language the text is not in.
"""
import re

from flask import render_template
from flask_babel import force_locale, get_locale, get_translations
from flask_babel import gettext as _

from events_app.countries import country_name
from events_app.formatting import event_dates
from events_app.mail.headers import one_line
from events_app.mail.links import base_url

# An organisers' message is the organisers' text in the layout's frame: the frame's sentence about the
# private link tells whether the frame has been translated.
BULK_PROBE = "Your private link (view, change or cancel your registration):"


def N_(text: str) -> str:
    """Mark a subject for translation (pybabel's default keyword); it is translated when rendered."""
    return text


def mail_locale(wanted: str | None, probe: str) -> str:
    """The language one email is written in: `wanted` when the email is translated into it, else English.

    `probe` is a sentence of the email (its subject): when the delegate's language has no catalogue,
    or its catalogue lacks this email, the whole email is English, dates and country names included.
    """
    wanted = wanted or "en"
    if wanted == "en":
        return wanted
    with force_locale(wanted):
        translated = get_translations().gettext(probe) != probe
    return wanted if translated else "en"


def bulk_locale(registration) -> str:
    """The language of an organisers' message to this delegate, placeholders included."""
    return mail_locale(registration.locale, BULK_PROBE)


def private_link(registration) -> str:
    """The registrant's private page, absolute (see mail.links.base_url)."""
    return f"{base_url()}/r/{registration.token}"


def invitation_link(invitation) -> str:
    """The registration form of an invitation-only event, with the invitation code filled in."""
    return f"{base_url()}/events/{invitation.event.slug}/register?code={invitation.code}"


def event_venue(event) -> str:
    """Venue, city and country name in the current locale, as one line."""
    country = country_name(event.country, str(get_locale() or "en")) if event.country else ""
    return ", ".join(part for part in (event.venue, event.city, country) if part)


def render_subject(subject: str, *, locale: str, event=None) -> str:
    """A translatable subject (with %(event)s) in `locale`, as one line."""
    with force_locale(locale):
        # one_line: defence in depth, so an event title stored before titles were checked cannot make every
        # registration's email (and with it the registration) fail on an unsafe header.
        return one_line(_(subject, event=event.title if event is not None else ""))


def render(kind: str, *, locale: str, subject: str, **context) -> tuple[str, str, str]:
    """(subject, text, html) of one email, rendered from templates/mail/<kind>.txt/.html in `locale`."""
    return (render_subject(subject, locale=locale, event=context.get("event")),
            *render_body(kind, locale=locale, **context))


def render_body(kind: str, *, locale: str, **context) -> tuple[str, str]:
    """(text, html) of one email's body in `locale`, its event's dates and venue in the same language."""
    with force_locale(locale):
        event = context.get("event")
        if event is not None:
            context.setdefault("event_dates", event_dates(event))
            context.setdefault("venue", event_venue(event))
        context.setdefault("locale", locale)
        text = _tidy(render_template(f"mail/{kind}.txt", **context))
        html = render_template(f"mail/{kind}.html", **context)
    return text, html


def _tidy(text: str) -> str:
    """Plain text from a template: no trailing spaces, at most one blank line in a row."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
