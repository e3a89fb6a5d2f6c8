"""Events, their quotas and their extra registration questions."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from events_app.choices import QuotaKind
from events_app.extensions import db
from events_app.models import TimestampMixin, UTCDateTime, enum_column, utcnow


class Event(TimestampMixin, db.Model):
    """A symposium or consultation meeting that people register for."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    venue: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    city: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    country: Mapped[str] = mapped_column(String(2), default="", nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Bangkok", nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    capacity: Mapped[int | None] = mapped_column(Integer)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approval_required: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    invitation_only: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # With approval required: approving beyond capacity waitlists instead of refusing.
    waitlist_when_full: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    edit_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Changes to these data-dictionary fields send an approved registration back to pending.
    reapproval_fields: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    attendance_threshold_days: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    letterhead_text: Mapped[str] = mapped_column(Text, default="", nullable=False)
    signatory_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    signatory_title: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    signatory_organisation: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    # The signatory's signature printed on visa letters (PNG or JPEG, checked and re-encoded on upload).
    signature_image: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    signature_content_type: Mapped[str] = mapped_column(String(32), default="", nullable=False)
    badge_colour_by: Mapped[str] = mapped_column(String(32), default="participant_role", nullable=False)
    # Optional legend: {"speaker": "#c0392b", ...}; defaults come from the documents package.
    badge_colours: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    contact_email: Mapped[str] = mapped_column(String(254), default="", nullable=False)
    # The event's privacy notice shown at /events/SLUG/privacy ("" = the default text); its version
    # goes up with each change of the text and is what a registration's consent records.
    privacy_notice: Mapped[str] = mapped_column(Text, default="", nullable=False)
    privacy_notice_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    privacy_notice_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # None: never edited
    # The event's logo for badges and documents (PNG or JPEG bytes, checked on upload).
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_content_type: Mapped[str] = mapped_column(String(32), default="", nullable=False)

    quotas: Mapped[list["Quota"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Quota.id"
    )
    questions: Mapped[list["Question"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Question.position"
    )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def days(self) -> list[date]:
        """Every calendar day of the event, first to last."""
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + timedelta(days=i) for i in range(max(count, 0))]

    @property
    def has_signatory(self) -> bool:
        """Visa letters can be signed: the signatory's name, title and organisation are all given."""
        return all((value or "").strip() for value in
                   (self.signatory_name, self.signatory_title, self.signatory_organisation))

    def today(self, now: datetime | None = None) -> date:
        """The current date in the event's own time zone."""
        return (now or utcnow()).astimezone(self.tz).date()

    def ends_at(self) -> datetime:
        """The end of the event's last day (midnight after it) in the event's own time zone."""
        return datetime.combine(self.ends_on + timedelta(days=1), time(), tzinfo=self.tz)

    def registration_state(self, now: datetime | None = None) -> str:
        """'not_yet_open', 'open', 'closed' or 'ended' (the event is over) at the given moment.

        A finished event takes no more registrations whatever its window says.
        """
        now = now or utcnow()
        if now >= self.ends_at():
            return "ended"
        if self.registration_closes_at and now >= self.registration_closes_at:
            return "closed"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet_open"
        return "open"

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class Quota(db.Model):
    """A cap on approved places for one stakeholder group or one country at an event."""

    __tablename__ = "quotas"
    __table_args__ = (UniqueConstraint("event_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[QuotaKind] = mapped_column(enum_column(QuotaKind), nullable=False)
    value: Mapped[str] = mapped_column(String(32), nullable=False)
    places: Mapped[int] = mapped_column(Integer, nullable=False)

    event: Mapped[Event] = relationship(back_populates="quotas")


class Question(db.Model):
    """An extra question an event adds to its registration form (text, choice or yes/no)."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("event_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), nullable=False)
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    label: Mapped[str] = mapped_column(String(300), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # text | choice | yes_no
    options: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    required: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    event: Mapped[Event] = relationship(back_populates="questions")
