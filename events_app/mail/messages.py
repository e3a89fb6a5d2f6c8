"""One function per email the app sends; each records in the outbox what to send, the worker writes it.

Queueing is cheap (no template, no translation): the row holds the kind, the recipient, the registration
and event, the language the delegate asked for, and in `context` what must stay as it was when the email
was caused: the status it announces, the organisers' reason, the changed fields, the days left, an
organisers' message as they wrote it. render.render_message writes it, just before it is sent, from that
context and the registration and event as they are then (see render.py for which is which).

Every function only adds an outbox row to the caller's transaction (flush, never commit):
the email goes out after the caller commits, and is lost with it if the caller rolls back.
"""
from sqlalchemy import delete

from events_app.choices import FIELD_LABELS, Status
from events_app.extensions import db
from events_app.mail.attachments import ics_spec, ticket_spec
from events_app.mail.compose import (  # noqa: F401 - the names other modules import from here
    N_,
    bulk_locale,
    event_venue,
    invitation_link,
    mail_locale,
    private_link,
    render,
    render_body,
)
from events_app.mail.headers import safe_header
from events_app.mail.models import OutboxMessage, OutboxStatus
from events_app.mail.outbox import queue

REMINDER_KIND = "reminder"
# The subject of each kind of email; its translation also tells whether the email is translated.
SUBJECTS = {
    "registration_received": N_("Your registration for %(event)s"),
    "approved": N_("Your place at %(event)s is confirmed"),
    "waitlisted": N_("You are on the waiting list for %(event)s"),
    "promoted": N_("A place is now yours at %(event)s"),
    "declined": N_("Your registration for %(event)s"),
    "cancelled": N_("Your registration for %(event)s is cancelled"),
    "details_changed": N_("Your details for %(event)s were updated"),
    "lost_link": N_("Your private link for %(event)s"),
    REMINDER_KIND: N_("Reminder: %(event)s is coming soon"),
    "visa_letter_ready": N_("Your visa invitation letter for %(event)s"),
    "invitation": N_("You are invited to %(event)s"),
}
# A changed field is recorded by its name, and its label translated when the email is written.
_FIELD_OF_LABEL = {id(label): field for field, label in FIELD_LABELS.items()}


def _queue_for(registration, kind: str, *, attachments=(), dedupe_key=None, **context):
    message = queue(
        kind,
        recipient=registration.email,
        locale=registration.locale or "en",
        event_id=registration.event_id,
        registration_id=registration.id,
        attachments=list(attachments),
        dedupe_key=dedupe_key,
        context=dict(context, status=Status(registration.status).value),
        write_now=True,  # written at once, as the flush that followed did (anything else pending still flushes)
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
    return _queue_for(registration, "registration_received", attachments=attachments)


def withdraw(registration, kind: str) -> int:
    """Take this registration's still-queued emails of one kind out of the outbox (same transaction)."""
    return db.session.execute(
        delete(OutboxMessage).where(OutboxMessage.registration_id == registration.id, OutboxMessage.kind == kind,
                                    OutboxMessage.status == OutboxStatus.QUEUED)
        .execution_options(synchronize_session="fetch")).rowcount


def approved(registration):
    """The registration was approved: the place is confirmed (.ics and ticket attached)."""
    return _queue_for(registration, "approved", attachments=_place_attachments(registration))


def waitlisted(registration):
    """The registration is on the waiting list."""
    return _queue_for(registration, "waitlisted")


def promoted(registration):
    """A place freed up and the registration moved from the waiting list to approved."""
    return _queue_for(registration, "promoted", attachments=_place_attachments(registration))


def declined(registration, *, reason: str = ""):
    """The registration was declined, with the organisers' reason."""
    return _queue_for(registration, "declined", reason=str(reason or ""))


def cancelled(registration, *, reason: str = ""):
    """The registration was cancelled (by the delegate or the organisers)."""
    return _queue_for(registration, "cancelled", reason=str(reason or ""))


def details_changed(registration, *, changes: list[str] | tuple = ()):
    """The delegate's details changed; `changes` are the labels of the changed fields (FIELD_LABELS' or text)."""
    return _queue_for(registration, "details_changed", changes=[
        {"field": _FIELD_OF_LABEL[id(label)]} if id(label) in _FIELD_OF_LABEL else str(label) for label in changes])


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
    return _queue_for(registration, "registration_received")


def lost_link(registration):
    """The private link again, for someone who registered already or lost it."""
    return _queue_for(registration, "lost_link")


def reminder(registration, *, days: int, starts_in: int | None = None):
    """The `days`-before reminder (the event starts in `starts_in` days); once per registration and `days`."""
    return _queue_for(registration, REMINDER_KIND, starts_in=days if starts_in is None else starts_in,
                      dedupe_key=reminder_key(registration.id, days))


def reminder_key(registration_id: int, days: int) -> str:
    """The outbox dedupe key that makes a reminder go out only once."""
    return f"reminder:{days}:{registration_id}"


def visa_letter_ready(registration):
    """The visa invitation letter can be downloaded from the private page."""
    return _queue_for(registration, "visa_letter_ready")


def invitation(invitation, *, locale: str = "en"):
    """An invitation to register for an invitation-only event, sent to the invitee's email."""
    if invitation.id is None:
        db.session.flush()  # the worker finds the invitation by its id
    message = queue("invitation", recipient=invitation.email, locale=locale or "en", event_id=invitation.event_id,
                    context={"invitation_id": invitation.id})
    db.session.flush()
    return message


def bulk(registration, *, subject: str, body: str):
    """One organisers' message to one delegate, as the organisers wrote it: placeholders are filled when it
    is written (render.py), in the delegate's language, with the delegate's details as they are then."""
    return queue("bulk", recipient=registration.email, **_bulk_fields(registration, subject, body))


def bulk_draft(registration, *, subject: str, body: str) -> OutboxMessage:
    """The message `bulk` would queue, not added to the session: what the preview renders."""
    draft = OutboxMessage(kind="bulk", recipient=registration.email, **_bulk_fields(registration, subject, body))
    draft.registration = registration
    return draft


def _bulk_fields(registration, subject: str, body: str) -> dict:
    # A subject with a line break is refused now, in the organiser's request, not by the worker later.
    return dict(locale=registration.locale or "en", event_id=registration.event_id,
                registration_id=registration.id,
                context={"subject": safe_header(subject, name="subject"), "body": body})
