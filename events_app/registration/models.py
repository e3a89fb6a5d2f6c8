"""Registrations (the delegate data dictionary), their status history and invitations."""
import secrets
import unicodedata
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from events_app.choices import Dietary, Gender, ParticipantRole, StakeholderGroup, Status
from events_app.extensions import db
from events_app.models import EncryptedString, TimestampMixin, UTCDateTime, enum_column, utcnow


def new_token() -> str:
    """A private-link token: 256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def new_checkin_code() -> str:
    """The badge's check-in code: 128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


def has_non_latin_letters(text: str) -> bool:
    """True when the text holds a letter outside the Latin script (Khmer, Thai, Han, ...)."""
    for char in text:
        if char.isalpha() and "LATIN" not in unicodedata.name(char, ""):
            return True
    return False


class OptionalChoice(TypeDecorator):
    """An optional Choice kept as its value in a NOT NULL string column, "" when not given."""

    impl = String
    cache_ok = True

    def __init__(self, enum_cls, length: int):
        super().__init__(length)
        self.enum_cls = enum_cls

    def process_bind_param(self, value, dialect):
        return self.enum_cls(value).value if value else ""

    def process_result_value(self, value, dialect):
        return self.enum_cls(value) if value else None


# The days registrations.attended_days holds: bit i is the event's start date + i (a positive bigint).
ATTENDED_DAYS_BITS = 63

# What the dashboard adds up per group of the profile index, as that index stores it: needs as plain
# columns, accessibility as "given or not" and the languages as their JSON text (PostgreSQL cannot index
# a json column itself; the free text of accessibility could outgrow an index entry).
PROFILE_SUMS = ("needs_visa_letter", "travel_support_requested", "accommodation_needed", "visa_letter_released_at",
                text("(accessibility_needs <> '')"), text("CAST(languages AS TEXT)"))


class Registration(TimestampMixin, db.Model):
    """One person's registration for one event, in the data dictionary's own words."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "email"),
        UniqueConstraint("event_id", "submission_key"),
        # The workspace's figures and filters read an event's registrations by status, group, country, gender,
        # diet and day from this index alone (it starts with event and status, so it also serves every
        # count by status); the list's default order comes from the name index. Its last columns are what
        # the dashboard adds up per group (PROFILE_SUMS), so SQLite counts every figure from the index
        # without reading a row (bench/RESULTS.md, "Workspace at 10,000").
        Index("ix_registrations_event_profile", "event_id", "status", "stakeholder_group", "country", "gender",
              "dietary", "registered_at", *PROFILE_SUMS),
        # Registrations per day: each day's count is a range of this index.
        Index("ix_registrations_event_registered", "event_id", "registered_at"),
        Index("ix_registrations_event_name_latin", "event_id", "sort_name"),
        # What a check-in's (registration, event) key refers to (attendance.models.CheckIn).
        Index("uq_registrations_id_event_id", "id", "event_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), nullable=False)
    status: Mapped[Status] = mapped_column(enum_column(Status), default=Status.PENDING, nullable=False)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token, nullable=False)
    checkin_code: Mapped[str] = mapped_column(String(32), unique=True, default=new_checkin_code, nullable=False)
    # The form's one-time key: a double click or a retry finds the registration it already made.
    submission_key: Mapped[str | None] = mapped_column(String(64))
    # Order on the waiting list (smaller first); set when waitlisted.
    waitlist_position: Mapped[int | None] = mapped_column(Integer)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    name_latin: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    sort_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    badge_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    honorific: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    phone: Mapped[str] = mapped_column(String(32), default="", nullable=False)
    organisation: Mapped[str] = mapped_column(String(200), nullable=False)
    position: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    stakeholder_group: Mapped[StakeholderGroup] = mapped_column(enum_column(StakeholderGroup), nullable=False)
    country: Mapped[str] = mapped_column(String(2), nullable=False)
    region: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender))
    languages: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    dietary: Mapped[Dietary | None] = mapped_column(OptionalChoice(Dietary, 32), default=lambda: None, nullable=False)
    dietary_notes: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    accessibility_needs: Mapped[str] = mapped_column(String(1000), default="", nullable=False)
    needs_visa_letter: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    nationality: Mapped[str | None] = mapped_column(EncryptedString(400))
    passport_number: Mapped[str | None] = mapped_column(EncryptedString(400))
    date_of_birth: Mapped[str | None] = mapped_column(EncryptedString(400))  # ISO date, encrypted
    passport_expiry: Mapped[str | None] = mapped_column(EncryptedString(400))  # ISO date, encrypted
    travel_support_requested: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    accommodation_needed: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    arrival_date: Mapped[date | None] = mapped_column(Date)
    departure_date: Mapped[date | None] = mapped_column(Date)
    participant_role: Mapped[ParticipantRole] = mapped_column(
        enum_column(ParticipantRole), default=ParticipantRole.PARTICIPANT, nullable=False
    )
    list_publicly: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    photo_consent: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    data_consent: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    data_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    privacy_notice_version: Mapped[str] = mapped_column(String(32), default="", nullable=False)
    locale: Mapped[str] = mapped_column(String(8), default="en", nullable=False)
    answers: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    badge_printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    visa_letter_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Kept by the database's triggers on checkins (migration 0017), never written here: bit i set for a check-in
    # on the event's start date + i (i <= ATTENDED_DAYS_BITS - 1), and the number of check-ins. The CSV export
    # reads them instead of aggregating each row's check-ins. No Python default: an INSERT leaves them out.
    attended_days: Mapped[int] = mapped_column(BigInteger, server_default=text("0"), nullable=False)
    checkin_count: Mapped[int] = mapped_column(Integer, server_default=text("0"), nullable=False)
    # The languages' CSV cell ("km en"; "" for none) when they are two-letter codes as json.dumps writes them,
    # else NULL: set by a trigger on every INSERT and UPDATE of languages (migration 0018), never here.
    languages_text: Mapped[str | None] = mapped_column(String(64))

    event = relationship("Event")
    history: Mapped[list["StatusChange"]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="StatusChange.id"
    )

    @property
    def display_badge_name(self) -> str:
        return self.badge_name or self.full_name

    @property
    def latin_differs(self) -> bool:
        return bool(self.name_latin) and self.name_latin.strip() != self.display_badge_name.strip()

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status.value}>"


class StatusChange(db.Model):
    """One change of a registration's status: who made it, when, and why."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_status: Mapped[Status | None] = mapped_column(enum_column(Status))
    to_status: Mapped[Status] = mapped_column(enum_column(Status), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who acted when no user did: "registrant", "system", "import", "cli".
    actor: Mapped[str] = mapped_column(String(32), default="system", nullable=False)
    reason: Mapped[str] = mapped_column(Text, default="", nullable=False)

    registration: Mapped[Registration] = relationship(back_populates="history")
    by_user = relationship("User")


class Invitation(TimestampMixin, db.Model):
    """A single-use invitation code for an invitation-only event, optionally bound to an email."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True, default=new_token, nullable=False)
    email: Mapped[str | None] = mapped_column(String(254))
    full_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="", nullable=False)

    event = relationship("Event")
