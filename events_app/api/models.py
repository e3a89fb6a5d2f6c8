"""API tokens: a user's key for /api/v1, kept as a sha256 digest, with a scope and optionally one event."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from events_app.extensions import db
from events_app.models import UTCDateTime, utcnow


class ApiToken(db.Model):
    """One API token of one user: read, write or checkin, at every event of theirs or at one."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)  # sha256 hex
    # The token's first characters, shown in lists so its owner can tell tokens apart (not enough to use it).
    prefix: Mapped[str] = mapped_column(String(12), nullable=False)
    scope: Mapped[str] = mapped_column(String(16), nullable=False)  # read | write | checkin
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User")
    event = relationship("Event")

    @property
    def active(self) -> bool:
        return self.revoked_at is None
