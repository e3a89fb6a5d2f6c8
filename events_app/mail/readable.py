"""One outbox message as the delegate receives it: its headers, as the sender builds them, and its attachments."""
from dataclasses import dataclass

from events_app.mail.attachments import AttachmentError, build_attachments
from events_app.mail.headers import UnsafeHeaderError
from events_app.mail.models import OutboxMessage
from events_app.mail.render import Rendered
from events_app.mail.transport import Envelope, build_message


@dataclass(frozen=True)
class AttachmentLine:
    """One attachment as listed on the message page."""

    filename: str
    content_type: str
    size: int


def headers_of(message: OutboxMessage, written: Rendered | None) -> list[tuple[str, str]]:
    """The headers the sender puts on this message (From, Reply-To, To, Subject, ...), in that order.

    `written` is the message as render_message writes it (None when it cannot be written: no subject then).
    """
    subject, locale = (written.subject, written.locale) if written is not None else ("", message.locale)
    envelope = Envelope(message.id, message.kind, message.recipient, subject, "", "", (), locale, message.message_id)
    try:
        built = build_message(envelope)
    except UnsafeHeaderError as error:
        return [("Error", str(error))]
    headers = [("From", built.sender), ("Reply-To", built.reply_to or ""), ("To", ", ".join(built.recipients)),
               ("Subject", built.subject), ("Message-ID", built.msgId), *built.extra_headers.items()]
    return [(name, value) for name, value in headers if value]


def attachments_of(message: OutboxMessage) -> tuple[list[AttachmentLine], str]:
    """The files that go with the message, built now as the sender would; and why not, when they cannot be."""
    try:
        built = build_attachments(message.attachments)
    except AttachmentError as error:
        return [], str(error)
    return [AttachmentLine(a.filename, a.content_type.split(";")[0], len(a.data)) for a in built], ""
