"""Check-ins (one per delegate per event day, and per session), sessions, revoked badge codes, desk settings."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, ForeignKeyConstraint, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from events_app.extensions import db
from events_app.models import UTCDateTime, utcnow


class CheckIn(db.Model):
    """A delegate's arrival on one day of the event, recorded at the desk."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("registration_id", "day"),
        # The event is the registration's own: the key is the pair, so no check-in can name another event.
        ForeignKeyConstraint(["registration_id", "event_id"], ["registrations.id", "registrations.event_id"],
                             name="fk_checkins_registration_event", ondelete="CASCADE"),
        # An event's check-ins per day counted from this index alone, without its registrations (dashboard).
        Index("ix_checkins_event_day", "event_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(Integer, nullable=False)
    # The registration's event, kept with the check-in (migration 0016): set from the registration.
    event_id: Mapped[int] = mapped_column(Integer, nullable=False)
    day: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # scan | search | walkin | offline | sheet
    method: Mapped[str] = mapped_column(String(16), default="scan", nullable=False)

    registration = relationship("Registration")
    by_user = relationship("User")


class RevokedCode(db.Model):
    """A badge code taken out of use (a lost badge): scanning it answers "revoked", never checks in."""

    __tablename__ = "revoked_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class DeskSettings(db.Model):
    """How the event's desk works; an event without a row has the defaults."""

    __tablename__ = "desk_settings"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    # A walk-in registered by staff at the door is approved at once unless the organisers say otherwise.
    walkins_approved: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


class EventSession(db.Model):
    """A part of an event day with its own attendance: a plenary, a working group."""

    __tablename__ = "event_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    day: Mapped[date] = mapped_column(Date, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), default="plenary", nullable=False)  # plenary | working_group
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)


class SessionCheckIn(db.Model):
    """A delegate's arrival at one session (they are checked in for its day as well)."""

    __tablename__ = "session_checkins"
    __table_args__ = (UniqueConstraint("registration_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), nullable=False
    )
    session_id: Mapped[int] = mapped_column(ForeignKey("event_sessions.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    method: Mapped[str] = mapped_column(String(16), default="scan", nullable=False)

    by_user = relationship("User")
