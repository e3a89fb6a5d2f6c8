"""Check-ins: one row per delegate per event day."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from events_app.extensions import db
from events_app.models import UTCDateTime, utcnow


class CheckIn(db.Model):
    """A delegate's arrival on one day of the event, recorded at the desk."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("registration_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), nullable=False
    )
    day: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    method: Mapped[str] = mapped_column(String(16), default="scan", nullable=False)  # scan | search

    registration = relationship("Registration")
    by_user = relationship("User")
