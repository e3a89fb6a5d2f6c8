"""Two-step sign-in with an authenticator app (TOTP, RFC 6238, via pyotp) for administrators and organisers.

Enrolment stores a new secret (encrypted at rest, like passport details) that counts only once a code from
the app confirms it; confirming makes ten single-use recovery codes, shown once and kept as sha256 digests.
"""
import hashlib
import secrets

import pyotp
import segno
from sqlalchemy import delete, select

from events_app.auth.models import RecoveryCode, User
from events_app.choices import UserRole
from events_app.extensions import db
from events_app.models import utcnow

ISSUER = "Events workspace"
RECOVERY_CODES = 10
VALID_WINDOW = 1  # one 30-second step either side: a phone clock a little off still works


def may_use(user: User) -> bool:
    """Two-step sign-in is offered to administrators and organisers (whose accounts reach personal data)."""
    return user.role in (UserRole.ADMIN, UserRole.ORGANISER)


def begin(user: User) -> str:
    """A new secret for the user (not yet in force); returns it (flushes)."""
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_at = None
    db.session.flush()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(user: User) -> str:
    """The enrolment QR code as an SVG data: URI, drawn here (no third-party service sees the secret)."""
    return segno.make(provisioning_uri(user), error="m").svg_data_uri(scale=5, border=4)


def confirm(user: User, code: str) -> list[str] | None:
    """Put the secret in force if `code` is right; returns the new recovery codes (shown once), or None."""
    if user.totp_secret is None or not _accept_totp(user, code):
        return None
    user.totp_enabled_at = utcnow()
    return _new_recovery_codes(user)


def verify(user: User, code: str) -> bool:
    """Whether `code` is the app's current code (not one used already) or an unused recovery code (then spent)."""
    if not user.has_two_factor:
        return False
    return _accept_totp(user, code) or _spend_recovery_code(user, code)


def disable(user: User) -> None:
    """Turn two-step sign-in off: the secret and the recovery codes are deleted (flushes)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


def remaining_recovery_codes(user: User) -> int:
    """How many recovery codes are left unused."""
    return len(db.session.scalars(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id,
                                                               RecoveryCode.used_at.is_(None))).all())


def _accept_totp(user: User, code: str) -> bool:
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = utcnow()
    step = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        candidate = step + offset
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            if user.totp_last_step is not None and candidate <= user.totp_last_step:
                return False  # replayed: this code (or a later one) was accepted already
            user.totp_last_step = candidate
            db.session.flush()
            return True
    return False


def _digest(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _normalise(code: str) -> str:
    return "".join(char for char in code.lower() if char.isalnum())


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
    codes = ["".join(secrets.choice(alphabet) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    codes = [f"{code[:5]}-{code[5:]}" for code in codes]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    db.session.flush()
    return codes


def _spend_recovery_code(user: User, code: str) -> bool:
    if len(_normalise(code)) != 10:
        return False
    found = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(code), RecoveryCode.used_at.is_(None)))
    if found is None:
        return False
    found.used_at = utcnow()
    db.session.flush()
    return True
