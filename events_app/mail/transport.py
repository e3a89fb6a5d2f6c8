"""SMTP for the sender: Flask-Mail's Connection with a timeout, message building, error classes."""
import re
import smtplib
import socket
from dataclasses import dataclass
from types import SimpleNamespace

from flask import current_app
from flask_mail import BadHeaderError, Connection, Message

from events_app.mail.attachments import BuiltAttachment
from events_app.mail.headers import UnsafeHeaderError, safe_header, safe_headers, safe_recipient

LANGUAGE_TAG_RE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


@dataclass(frozen=True)
class Envelope:
    """A snapshot of one outbox row, taken before any SMTP talk so no transaction stays open."""

    id: int
    kind: str
    recipient: str
    subject: str
    body_text: str
    body_html: str
    attachments: tuple[BuiltAttachment, ...]
    locale: str = "en"
    message_id: str = ""  # the row's own, made when it was queued (new_message_id)


@dataclass(frozen=True)
class Failure:
    """Why a delivery did not succeed, and whether trying again could help."""

    reason: str
    retry: bool
    code: int | None = None
    connection: bool = False  # the server could not be reached: the rest of the batch waits too
    unknown: bool = False  # the server had the whole message but never answered: it may have it


class _TrackingSMTP:
    """Remembers whether the message's data went out, so a silence after it reads as "unknown".

    smtplib's data() sends the DATA command, waits for 354, then sends the message and waits for
    the final reply; anything sent between the 354 and that reply is the message itself.
    """

    payload_sent = False
    _in_data = False

    def data(self, msg):
        self._in_data = True
        try:
            return super().data(msg)
        finally:
            self._in_data = False

    def send(self, s):
        super().send(s)
        if self._in_data and not (isinstance(s, str) and s.lower().startswith("data")):
            self.payload_sent = True


class TrackingSMTP(_TrackingSMTP, smtplib.SMTP):
    pass


class TrackingSMTPSSL(_TrackingSMTP, smtplib.SMTP_SSL):
    pass


class TimeoutConnection(Connection):
    """Flask-Mail's Connection, configured from app.config, with MAIL_TIMEOUT on every socket operation.

    Flask-Mail 0.10 opens smtplib.SMTP without a timeout, so a server that accepts the
    connection and never answers blocks the worker for as long as the OS allows.
    """

    def __init__(self, config) -> None:
        settings = SimpleNamespace(
            server=config["MAIL_SERVER"],
            port=int(config["MAIL_PORT"]),
            use_tls=bool(config["MAIL_USE_TLS"]),
            use_ssl=bool(config["MAIL_USE_SSL"]),
            username=config["MAIL_USERNAME"],
            password=config["MAIL_PASSWORD"],
            debug=0,
            max_emails=None,
            suppress=bool(config["MAIL_SUPPRESS_SEND"]),
        )
        super().__init__(settings)
        self.timeout = float(config["MAIL_TIMEOUT"])

    def configure_host(self) -> smtplib.SMTP:
        """Connect, say hello, STARTTLS and log in, each step bounded by the timeout."""
        settings = self.mail
        smtp_class = TrackingSMTPSSL if settings.use_ssl else TrackingSMTP
        host = smtp_class(settings.server, settings.port, timeout=self.timeout)
        try:
            if settings.use_tls:
                host.starttls()
            if settings.username and settings.password:
                host.login(settings.username, settings.password)
        except BaseException:
            host.close()
            raise
        return host

    def send(self, message, envelope_from=None) -> None:
        if self.host is not None:
            self.host.payload_sent = False
        super().send(message, envelope_from)

    @property
    def payload_sent(self) -> bool:
        """True when the last send got as far as transmitting the message itself."""
        return bool(getattr(self.host, "payload_sent", False))

    def __exit__(self, exc_type, exc_value, tb) -> None:
        self.close()

    def close(self) -> None:
        """QUIT politely when the server is still there; never raise while closing."""
        host, self.host = self.host, None
        if host is None:
            return
        try:
            host.quit()
        except (smtplib.SMTPException, OSError):
            host.close()


def build_message(envelope: Envelope) -> Message:
    """A Flask-Mail Message for one outbox row; sender and reply-to come from configuration only."""
    config = current_app.config
    sender = safe_header(config["MAIL_DEFAULT_SENDER"], name="MAIL_DEFAULT_SENDER")
    reply_to = config["MAIL_REPLY_TO"] or None
    if reply_to:
        safe_header(reply_to, name="MAIL_REPLY_TO")
    message = Message(
        subject=safe_header(envelope.subject, name="subject"),
        recipients=[safe_recipient(envelope.recipient)],
        body=envelope.body_text,
        html=envelope.body_html or None,
        sender=sender,
        reply_to=reply_to,
        extra_headers=safe_headers({"Auto-Submitted": "auto-generated",
                                    "Content-Language": _language_tag(envelope.locale)}),
    )
    # The row's own ID, the same on every attempt, so a receiving system can recognise a duplicate.
    message.msgId = safe_header(envelope.message_id, name="Message-ID")
    for attachment in envelope.attachments:
        message.attach(safe_header(attachment.filename, name="file name"), attachment.content_type,
                       attachment.data)
    return message


def _language_tag(locale: str) -> str:
    """The BCP 47 tag of a Babel locale name ('zh_Hans' -> 'zh-Hans'); 'en' when it is not one."""
    tag = (locale or "en").replace("_", "-")
    return tag if LANGUAGE_TAG_RE.fullmatch(tag) else "en"


def classify(error: BaseException, *, timeout: float, payload_sent: bool = False) -> Failure:
    """Turn an exception from building or sending into a Failure; 5xx is final, the rest is retried.

    With `payload_sent`, a timeout or a dropped connection came after the server had the whole
    message: it may have delivered it, so the outcome is "unknown" (retried with the same Message-ID).
    """
    if payload_sent and not isinstance(error, smtplib.SMTPResponseException) and (
            isinstance(error, OSError | smtplib.SMTPServerDisconnected)
            or isinstance(error.__context__, TimeoutError)):
        return Failure("outcome unknown: the mail server had the whole message but gave no answer "
                       f"({type(error).__name__}); it may have been delivered, so it is sent again "
                       "later with the same Message-ID", retry=True, connection=True, unknown=True)
    if isinstance(error, UnsafeHeaderError | BadHeaderError):
        return Failure(f"refused: {error or 'a header contains a line break'}", retry=False)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()), (None, b""))
        return _reply_failure(code, reply, what="recipient refused")
    if isinstance(error, smtplib.SMTPConnectError | smtplib.SMTPHeloError | smtplib.SMTPAuthenticationError):
        # The server, not this message, is the problem (or our credentials): keep the message.
        return Failure(f"server refused the session: {error.smtp_code} {_text(error.smtp_error)}",
                       retry=True, code=error.smtp_code, connection=True)
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply_failure(error.smtp_code, error.smtp_error, what="server replied")
    # smtplib reports a read timeout as "Connection unexpectedly closed", the timeout as its context.
    if isinstance(error, TimeoutError | socket.timeout) or isinstance(error.__context__, TimeoutError):
        return Failure(f"timed out after {timeout:g}s waiting for the mail server", retry=True,
                       connection=True)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return Failure(f"the mail server closed the connection ({error})", retry=True, connection=True)
    if isinstance(error, ConnectionError | OSError):
        return Failure(f"could not reach the mail server ({type(error).__name__}: {error.strerror or error})",
                       retry=True, connection=True)
    if isinstance(error, smtplib.SMTPException):
        return Failure(f"SMTP error: {error}", retry=True)
    return Failure(f"{type(error).__name__}: {error}", retry=True)


def _reply_failure(code, reply, *, what: str) -> Failure:
    code = int(code) if code is not None else None
    permanent = code is not None and 500 <= code < 600
    return Failure(f"{what}: {code} {_text(reply)}".strip(), retry=not permanent, code=code)


def _text(reply) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return " ".join(str(reply).split())[:500]
