"""Recommendations of an event: themes and addressees, the recommendations with every version, endorsements."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from events_app.choices import Choice
from events_app.extensions import db
from events_app.models import TimestampMixin, UTCDateTime, enum_column, utcnow


class RecommendationStatus(Choice):
    """Where a recommendation stands: drafted, adopted or rejected; merged or split into others."""

    DRAFT = "draft"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    MERGED = "merged"
    SPLIT = "split"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    RecommendationStatus.DRAFT: _l("Draft"),
    RecommendationStatus.ADOPTED: _l("Adopted"),
    RecommendationStatus.REJECTED: _l("Rejected"),
    RecommendationStatus.MERGED: _l("Merged into another"),
    RecommendationStatus.SPLIT: _l("Split into others"),
}
# Statuses of recommendations still on the table (merged and split ones live on in their successors).
OPEN_STATUSES = (RecommendationStatus.DRAFT, RecommendationStatus.ADOPTED, RecommendationStatus.REJECTED)


class RecommendationSettings(db.Model):
    """An event's recommendations document: its preamble, and whether participants may endorse now."""

    __tablename__ = "recommendation_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True, nullable=False)
    preamble: Mapped[str] = mapped_column(Text, default="", nullable=False)
    endorsement_open: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class _NamedInOrder:
    """A name an event's organisers chose, with its place in the document's order."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)


class Theme(_NamedInOrder, db.Model):
    """A theme the recommendations of an event are grouped under, in the document's order."""

    __tablename__ = "recommendation_themes"
    __table_args__ = (UniqueConstraint("event_id", "name"),)


class Addressee(_NamedInOrder, db.Model):
    """Whom a recommendation is addressed to (governments of origin, ASEAN, employers ...), in order."""

    __tablename__ = "recommendation_addressees"
    __table_args__ = (UniqueConstraint("event_id", "name"),)


recommendation_addressees = Table(
    "recommendation_addressee_links",
    db.metadata,
    Column("recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True),
    Column("addressee_id", ForeignKey("recommendation_addressees.id", ondelete="CASCADE"), primary_key=True),
)

# What a recommendation came from: the ones merged into it, or the one it was split from.
recommendation_origins = Table(
    "recommendation_origins",
    db.metadata,
    Column("recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True),
    Column("origin_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True),
)


class Recommendation(TimestampMixin, db.Model):
    """One recommendation: its theme, addressees, where it came from, its text and translations."""

    __tablename__ = "recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("recommendation_themes.id"), nullable=False)
    status: Mapped[RecommendationStatus] = mapped_column(
        enum_column(RecommendationStatus), default=RecommendationStatus.DRAFT, nullable=False
    )
    source: Mapped[str] = mapped_column(String(200), default="", nullable=False)  # working group or session
    text: Mapped[str] = mapped_column(Text, nullable=False)
    translations: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)  # {"km": "...", ...}
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)  # order within its theme
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    theme: Mapped[Theme] = relationship()
    addressees: Mapped[list[Addressee]] = relationship(secondary=recommendation_addressees,
                                                       order_by=Addressee.position)
    origins: Mapped[list["Recommendation"]] = relationship(
        secondary=recommendation_origins, primaryjoin=id == recommendation_origins.c.recommendation_id,
        secondaryjoin=id == recommendation_origins.c.origin_id, order_by="Recommendation.id",
        back_populates="successors",
    )
    successors: Mapped[list["Recommendation"]] = relationship(
        secondary=recommendation_origins, primaryjoin=id == recommendation_origins.c.origin_id,
        secondaryjoin=id == recommendation_origins.c.recommendation_id, order_by="Recommendation.id",
        back_populates="origins",
    )
    versions: Mapped[list["RecommendationVersion"]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan", order_by="RecommendationVersion.version"
    )


class RecommendationVersion(db.Model):
    """A recommendation as it stood after one change: who made it, when, and what it was."""

    __tablename__ = "recommendation_versions"
    __table_args__ = (UniqueConstraint("recommendation_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    change: Mapped[str] = mapped_column(String(200), nullable=False)  # "drafted", "edited", "adopted" ...
    status: Mapped[RecommendationStatus] = mapped_column(enum_column(RecommendationStatus), nullable=False)
    theme: Mapped[str] = mapped_column(String(200), nullable=False)
    addressees: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    source: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    translations: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)

    recommendation: Mapped[Recommendation] = relationship(back_populates="versions")
    by_user = relationship("User")


class Endorsement(db.Model):
    """A delegate's endorsement of (or comment on) one adopted recommendation; one per delegate each."""

    __tablename__ = "endorsements"
    __table_args__ = (UniqueConstraint("recommendation_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), nullable=False)
    endorses: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    comment: Mapped[str] = mapped_column(Text, default="", nullable=False)
    # The delegate agreed that their organisation is named among those endorsing.
    list_organisation: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    recommendation: Mapped[Recommendation] = relationship()
    registration = relationship("Registration")
