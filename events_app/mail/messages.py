"""One function per email the app sends; each renders its templates in one language and queues it.

An email is written in the delegate's language when that email has been translated into it, and in
English otherwise: its dates and country names then follow the text, never a language the text is not in.

Every function only adds an outbox row to the caller's transaction (flush, never commit):
the email goes out after the caller commits, and is lost with it if the caller rolls back.
"""
import re

from flask import render_template
from flask_babel import force_locale, get_locale, get_translations
from flask_babel import gettext as _
from sqlalchemy import delete

from events_app.choices import Status
from events_app.countries import country_name
from events_app.extensions import db
from events_app.formatting import event_dates
from events_app.mail.attachments import ics_spec, ticket_spec
from events_app.mail.headers import one_line
from events_app.mail.links import base_url
from events_app.mail.models import OutboxMessage, OutboxStatus
from events_app.mail.outbox import queue

REMINDER_KIND = "reminder"
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


def render(kind: str, *, locale: str, subject: str, **context) -> tuple[str, str, str]:
    """(subject, text, html) of one email, rendered from templates/mail/<kind>.txt/.html in `locale`."""
    event = context.get("event")
    with force_locale(locale):
        # one_line: defence in depth, so an event title stored before titles were checked cannot make every
        # registration's email (and with it the registration) fail on an unsafe header.
        subject_text = one_line(_(subject, event=event.title if event is not None else ""))
    return (subject_text, *render_body(kind, locale=locale, **context))


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


def _queue_for(registration, kind: str, subject: str, *, attachments=(), dedupe_key=None, **context):
    locale = mail_locale(registration.locale, subject)
    context = dict(context, registration=registration, event=registration.event,
                   link=private_link(registration), name=registration.full_name)
    subject_text, text, html = render(kind, locale=locale, subject=subject, **context)
    message = queue(
        kind,
        recipient=registration.email,
        subject=subject_text,
        body_text=text,
        body_html=html,
        locale=locale,
        event_id=registration.event_id,
        registration_id=registration.id,
        attachments=list(attachments),
        dedupe_key=dedupe_key,
    )
    db.session.flush()
    return message


def _place_attachments(registration) -> list[dict]:
    return [ics_spec(registration.event_id, registration.id), ticket_spec(registration.id)]


def registration_received(registration):
    """Confirmation that the registration arrived, with its status and private link.

    A registration approved on the spot also gets the calendar file and the ticket.
    """
    attachments = _place_attachments(registration) if registration.status == Status.APPROVED else []
    return _queue_for(registration, "registration_received", N_("Your registration for %(event)s"),
                      attachments=attachments)


def withdraw(registration, kind: str) -> int:
    """Take this registration's still-queued emails of one kind out of the outbox (same transaction)."""
    return db.session.execute(
        delete(OutboxMessage).where(OutboxMessage.registration_id == registration.id, OutboxMessage.kind == kind,
                                    OutboxMessage.status == OutboxStatus.QUEUED)
        .execution_options(synchronize_session="fetch")).rowcount


def approved(registration):
    """The registration was approved: the place is confirmed (.ics and ticket attached)."""
    return _queue_for(registration, "approved", N_("Your place at %(event)s is confirmed"),
                      attachments=_place_attachments(registration))


def waitlisted(registration):
    """The registration is on the waiting list."""
    return _queue_for(registration, "waitlisted", N_("You are on the waiting list for %(event)s"))


def promoted(registration):
    """A place freed up and the registration moved from the waiting list to approved."""
    return _queue_for(registration, "promoted", N_("A place is now yours at %(event)s"),
                      attachments=_place_attachments(registration))


def declined(registration, *, reason: str = ""):
    """The registration was declined, with the organisers' reason."""
    return _queue_for(registration, "declined", N_("Your registration for %(event)s"), reason=reason)


def cancelled(registration, *, reason: str = ""):
    """The registration was cancelled (by the delegate or the organisers)."""
    return _queue_for(registration, "cancelled", N_("Your registration for %(event)s is cancelled"),
                      reason=reason)


def details_changed(registration, *, changes: list[str] | tuple = ()):
    """The delegate's details changed; `changes` are the (translated) labels of the changed fields."""
    return _queue_for(registration, "details_changed", N_("Your details for %(event)s were updated"),
                      changes=list(changes))


def status_changed(registration, *, reason: str = "", previous: Status | None = None):
    """The registration's status changed: sends the email for its new status.

    Approved after being waitlisted is a promotion; pass `previous` or let the last
    recorded status change tell.
    """
    if previous is None and getattr(registration, "history", None):
        previous = registration.history[-1].from_status
    status = registration.status
    if status == Status.APPROVED:
        return promoted(registration) if previous == Status.WAITLISTED else approved(registration)
    if status == Status.WAITLISTED:
        return waitlisted(registration)
    if status == Status.DECLINED:
        return declined(registration, reason=reason)
    if status == Status.CANCELLED:
        return cancelled(registration, reason=reason)
    return _queue_for(registration, "registration_received", N_("Your registration for %(event)s"))


def lost_link(registration):
    """The private link again, for someone who registered already or lost it."""
    return _queue_for(registration, "lost_link", N_("Your private link for %(event)s"))


def reminder(registration, *, days: int, starts_in: int | None = None):
    """The `days`-before reminder (the event starts in `starts_in` days); once per registration and `days`."""
    return _queue_for(registration, REMINDER_KIND, N_("Reminder: %(event)s is coming soon"),
                      starts_in=days if starts_in is None else starts_in,
                      dedupe_key=reminder_key(registration.id, days))


def reminder_key(registration_id: int, days: int) -> str:
    """The outbox dedupe key that makes a reminder go out only once."""
    return f"reminder:{days}:{registration_id}"


def visa_letter_ready(registration):
    """The visa invitation letter can be downloaded from the private page."""
    return _queue_for(registration, "visa_letter_ready", N_("Your visa invitation letter for %(event)s"))


def invitation(invitation, *, locale: str = "en"):
    """An invitation to register for an invitation-only event, sent to the invitee's email."""
    event = invitation.event
    context = dict(event=event, invitation=invitation, link=invitation_link(invitation),
                   name=invitation.full_name)
    subject_id = N_("You are invited to %(event)s")
    locale = mail_locale(locale, subject_id)
    subject, text, html = render("invitation", locale=locale, subject=subject_id, **context)
    message = queue("invitation", recipient=invitation.email, subject=subject, body_text=text,
                    body_html=html, locale=locale, event_id=event.id)
    db.session.flush()
    return message


def bulk(registration, *, subject: str, body: str):
    """One organisers' message to one delegate; subject and body already have placeholders filled."""
    locale = bulk_locale(registration)
    context = dict(registration=registration, event=registration.event, link=private_link(registration),
                   name=registration.full_name, body=body)
    text, html = render_body("bulk", locale=locale, **context)
    return queue("bulk", recipient=registration.email, subject=subject, body_text=text, body_html=html,
                 locale=locale, event_id=registration.event_id, registration_id=registration.id)
