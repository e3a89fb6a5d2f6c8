"""Users who sign in (organisers, staff, rapporteurs, admins), their roles per event, their single-use links,
and their second factor (a TOTP secret encrypted at rest and single-use recovery codes kept hashed)."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from events_app.choices import EventRole, UserRole
from events_app.extensions import db
from events_app.models import EncryptedString, TimestampMixin, UTCDateTime, enum_column, utcnow


class User(UserMixin, TimestampMixin, db.Model):
    """A signed-in user of the organisers' workspace or the check-in desk."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    password_hash: Mapped[str] = mapped_column(String(256), nullable=False)
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    # Raised by sign-out everywhere, a password change or an admin's "sign this user out": a session
    # that carries an older number is no longer valid.
    session_version: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    # Set by an administrator's password reset: the next sign-in leads straight to choosing a new one.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # Two-step sign-in (auth/totp.py): the secret exists from enrolment, counts once a code confirmed it.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedString(400))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(Integer)  # a code is accepted once, not replayed

    event_roles: Mapped[list["EventRoleGrant"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="EventRoleGrant.id"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def has_two_factor(self) -> bool:
        """Whether sign-in asks for a code from an authenticator app after the password."""
        return self.totp_enabled_at is not None and self.totp_secret is not None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def has_role(self, *roles: UserRole) -> bool:
        """Admins can do everything; others only what their role allows."""
        return self.role == UserRole.ADMIN or self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class EventRoleGrant(TimestampMixin, db.Model):
    """A user's role at one event: organiser, staff or rapporteur there and nowhere else."""

    __tablename__ = "event_roles"
    __table_args__ = (UniqueConstraint("user_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    role: Mapped[EventRole] = mapped_column(enum_column(EventRole), nullable=False)

    user: Mapped[User] = relationship(back_populates="event_roles")


class UserToken(db.Model):
    """A single-use link for a user (set a password after an invitation, or reset it); only its hash is kept."""

    __tablename__ = "user_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    purpose: Mapped[str] = mapped_column(String(32), nullable=False)  # "set_password"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)  # sha256 hex
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """One of the ten single-use codes that replace an authenticator code (a lost phone); only its hash is kept."""

    __tablename__ = "user_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    code_hash: Mapped[str] = mapped_column(String(64), nullable=False)  # sha256 hex of a 50-bit random code
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
