"""One row per organiser's or staff member's action, with what changed (before and after)."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from events_app.extensions import db
from events_app.models import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """An action on an event or a delegate: who (user and how they were named then), what, when, changes."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The user's email at the time, "registrant" or "system": the log stays readable after a user goes.
    actor: Mapped[str] = mapped_column(String(254), nullable=False)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64), nullable=False)  # "delegate.edit", "document.download", ...
    summary: Mapped[str] = mapped_column(Text, default="", nullable=False)
    # {"field": [before, after]}; sensitive fields are recorded as changed without their values.
    changes: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
