"""Write an outbox message queued unwritten: render_message(message), the one way anything reads one.

The mail worker writes each message just before it sends it and stores subject, text and HTML on the row in
the transaction that claims it (sender.claim), so every retry sends the identical message. Everything
that shows a message before then (the outbox, a message's page, a delegate's page, the bulk preview,
tests) writes it on demand through render_message and stores nothing.

What is written from what:
- frozen when queued (the row's columns and `context`): the recipient (the address the email was caused
  for), the language asked for, the status the email announces (an "approved" email says "approved" even
  if the delegate cancels before it leaves), the organisers' reason, the changed fields, the days left
  before the event, an organisers' message as written, the attachments' specs. These describe the event
  that caused the email; they would be wrong if read later.
- as they are when written: the delegate's name and other details (a corrected spelling is the one the
  delegate reads, also in an organisers' message's placeholders), the private link (a leaked link may have
  been replaced since), the event's title, dates, venue and contact. These describe the delegate and the
  event now; an old copy would be stale.
The email is in the recorded language when that email is translated into it, otherwise English.
"""
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from events_app.choices import FIELD_LABELS, Status
from events_app.extensions import db
from events_app.mail.compose import (
    BULK_PROBE,
    invitation_link,
    mail_locale,
    private_link,
    render_body,
    render_subject,
)
from events_app.mail.headers import one_line
from events_app.mail.messages import SUBJECTS
from events_app.mail.placeholders import fill
from events_app.registration.models import Invitation, Registration


@dataclass(frozen=True)
class Rendered:
    """A message as the recipient reads it; text and html are None when only the subject was asked for."""

    subject: str
    text: str | None
    html: str | None
    locale: str


class RenderError(Exception):
    """The message cannot be written: what it is about is gone, or its template failed. It is never sent."""


def render_message(message, *, body: bool = True) -> Rendered:
    """The message's subject, text and HTML: as stored once written, else written now (nothing is stored).

    `body=False` writes the subject only (for lists). Raises RenderError when it cannot be written; a
    database error is raised as it is (the worker retries later).
    """
    if message.rendered:
        return Rendered(message.subject or "", message.body_text, message.body_html or "", message.locale)
    writer = _WRITERS.get(message.kind, _registration_email)
    try:
        return writer(message, message.context or {}, body)
    except (RenderError, SQLAlchemyError):
        raise
    except Exception as error:  # a template or a value that cannot be written: say which kind, not the data
        raise RenderError(f"the {message.kind} email could not be written ({type(error).__name__})") from error


def mail_subject(message) -> str:
    """The message's subject for lists; its kind when it cannot be written (its page says why)."""
    try:
        return render_message(message, body=False).subject
    except RenderError:
        return message.kind


def _registration(message):
    # A message not yet flushed does not load its relationship: find the registration by its id then.
    registration = message.registration or (
        db.session.get(Registration, message.registration_id) if message.registration_id is not None else None)
    if registration is None:
        raise RenderError("its registration was deleted")
    return registration


def _registration_email(message, context: dict, body: bool) -> Rendered:
    subject_id = SUBJECTS.get(message.kind)
    if subject_id is None:
        raise RenderError(f"no email is written for the kind {message.kind!r}")
    registration = _registration(message)
    event = registration.event
    locale = mail_locale(message.locale, subject_id)
    subject = render_subject(subject_id, locale=locale, event=event)
    if not body:
        return Rendered(subject, None, None, locale)
    text, html = render_body(
        message.kind, locale=locale, registration=registration, event=event, link=private_link(registration),
        name=registration.full_name, status=Status(context.get("status", registration.status)),
        reason=context.get("reason", ""), starts_in=context.get("starts_in"),
        # A field's label is translated as the email is written (joined inside its language).
        changes=[FIELD_LABELS.get(change["field"], change["field"]) if isinstance(change, dict) else change
                 for change in context.get("changes", ())],
    )
    return Rendered(subject, text, html, locale)


def _invitation_email(message, context: dict, body: bool) -> Rendered:
    invitation = db.session.get(Invitation, context.get("invitation_id") or 0)
    if invitation is None:
        raise RenderError("its invitation was deleted")
    event = invitation.event
    locale = mail_locale(message.locale, SUBJECTS["invitation"])
    subject = render_subject(SUBJECTS["invitation"], locale=locale, event=event)
    if not body:
        return Rendered(subject, None, None, locale)
    text, html = render_body("invitation", locale=locale, event=event, invitation=invitation,
                             link=invitation_link(invitation), name=invitation.full_name)
    return Rendered(subject, text, html, locale)


def _bulk_email(message, context: dict, body: bool) -> Rendered:
    registration = _registration(message)
    locale = mail_locale(message.locale, BULK_PROBE)
    subject = one_line(fill(context.get("subject", ""), registration, single_line=True, locale=locale))
    if not body:
        return Rendered(subject, None, None, locale)
    text, html = render_body("bulk", locale=locale, registration=registration, event=registration.event,
                             link=private_link(registration), name=registration.full_name,
                             body=fill(context.get("body", ""), registration, locale=locale))
    return Rendered(subject, text, html, locale)


_WRITERS = {"invitation": _invitation_email, "bulk": _bulk_email}
