"""Attachments are built at send time from a small JSON spec, so the outbox row stays small."""
import logging
from dataclasses import dataclass

from flask import current_app

from events_app.events.models import Event
from events_app.extensions import db
from events_app.mail.headers import safe_header
from events_app.mail.ics import event_calendar, uid_domain_from
from events_app.registration.models import Registration

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuiltAttachment:
    """One file ready to attach: name, MIME type and bytes."""

    filename: str
    content_type: str
    data: bytes


class AttachmentError(Exception):
    """An attachment could not be built now (the message is retried later)."""


def ics_spec(event_id: int, registration_id: int | None = None) -> dict:
    """The spec of an event's calendar file."""
    return {"kind": "ics", "event_id": event_id, "registration_id": registration_id}


def ticket_spec(registration_id: int) -> dict:
    """The spec of a delegate's ticket PDF (with the check-in QR code)."""
    return {"kind": "ticket", "registration_id": registration_id}


def build_attachments(specs: list[dict]) -> list[BuiltAttachment]:
    """Render every attachment of a message; raises AttachmentError when one cannot be made now."""
    built = []
    for spec in specs or []:
        builder = _BUILDERS.get(spec.get("kind"))
        if builder is None:
            raise AttachmentError(f"unknown attachment kind {spec.get('kind')!r}")
        attachment = builder(spec)
        if attachment is not None:
            safe_header(attachment.filename, name="attachment file name")
            built.append(attachment)
    return built


def _load(model, name: str, object_id):
    obj = db.session.get(model, object_id) if object_id is not None else None
    if obj is None:
        raise AttachmentError(f"{name} {object_id} no longer exists")
    return obj


def _build_ics(spec: dict) -> BuiltAttachment:
    event = _load(Event, "event", spec.get("event_id"))
    link = ""
    if spec.get("registration_id") is not None:
        from events_app.mail.messages import private_link

        link = private_link(_load(Registration, "registration", spec["registration_id"]))
    data = event_calendar(event, link=link, uid_domain=uid_domain_from(current_app.config["BASE_URL"]))
    # Flask-Mail builds the Content-Type from this string as is: declare the charset (names are UTF-8).
    return BuiltAttachment(f"{event.slug}.ics", "text/calendar; charset=UTF-8; method=PUBLISH", data)


def _build_ticket(spec: dict) -> BuiltAttachment | None:
    from events_app.documents.badges.services import ticket_pdf

    registration = _load(Registration, "registration", spec.get("registration_id"))
    try:
        data = ticket_pdf(registration, font_dirs=current_app.config.get("FONT_DIRS", []))
    except Exception as error:  # a font or renderer problem: retry later, never lose the email
        raise AttachmentError(f"ticket could not be rendered ({type(error).__name__})") from error
    return BuiltAttachment(f"ticket-{registration.event.slug}.pdf", "application/pdf", data)


_BUILDERS = {"ics": _build_ics, "ticket": _build_ticket}
