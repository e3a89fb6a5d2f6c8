"""The outbox: every email is a row written in the transaction that causes it."""
import enum
from datetime import datetime

from flask import current_app
from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from events_app.extensions import db
from events_app.mail.headers import new_message_id
from events_app.models import TimestampMixin, UTCDateTime, utcnow


class OutboxStatus(enum.StrEnum):
    """Where a message is: waiting to go, leased by a worker, delivered, or given up on."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


def _message_id() -> str:
    return new_message_id(current_app.config["MAIL_DEFAULT_SENDER"])


class OutboxMessage(TimestampMixin, db.Model):
    """One email waiting to be sent, being sent, sent, or failed with its reason."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)  # registration_received, approved, ...
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(OutboxStatus, native_enum=False, length=16, values_callable=lambda members: [m.value for m in members],
             validate_strings=True),
        default=OutboxStatus.QUEUED, nullable=False,
    )
    recipient: Mapped[str] = mapped_column(String(254), nullable=False)
    # NULL until the message is written: the mail worker writes a message queued with a `context` just
    # before sending it, and stores subject and bodies in the transaction that claims it (render.py).
    subject: Mapped[str | None] = mapped_column(String(300))
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # What the message is written from that must stay as it was when it was queued (messages.py), e.g.
    # {"status": "waitlisted"}, {"reason": ...}, {"subject": ..., "body": ...}; NULL for a message queued written.
    context: Mapped[dict | None] = mapped_column(JSON)
    # [{"filename": ..., "content_type": ..., "kind": "ics"|"ticket", ...}] rendered at send time
    attachments: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    locale: Mapped[str] = mapped_column(String(8), default="en", nullable=False)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    event = relationship("Event", lazy="select")  # times in the outbox are shown in its zone
    registration = relationship("Registration", lazy="select")  # what a message is written for
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="", nullable=False)
    # A message that must go out at most once ever (a reminder): "reminder:7:<registration id>".
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    # "<random@sender-domain>", made when the row is written and kept across retries, so mail programs
    # never merge two different messages, whichever installation or database sent them.
    message_id: Mapped[str] = mapped_column(String(320), unique=True, nullable=False, default=_message_id)

    @property
    def rendered(self) -> bool:
        """Whether subject and bodies are written (always, once the worker has claimed it)."""
        return self.body_text is not None

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"
