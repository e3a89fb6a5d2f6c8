"""Per-account sign-in throttle: after repeated failures for one email, sign-in with it pauses for a while.

Counted per email, known or not, so a pause tells nobody whether an account exists. Kept in the rate
limiter's storage (RATELIMIT_STORAGE_URI: Redis in production), so every worker shares the count; only a
digest of the email is stored. Independent of RATELIMIT_ENABLED, which is about the per-IP limits.
"""
import hashlib

from flask import current_app
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

EXTENSION = "events_app.login_throttle"


def _limiter() -> MovingWindowRateLimiter:
    limiter = current_app.extensions.get(EXTENSION)
    if limiter is None:
        limiter = MovingWindowRateLimiter(storage_from_string(current_app.config["RATELIMIT_STORAGE_URI"]))
        current_app.extensions[EXTENSION] = limiter
    return limiter


def _limits():
    return parse_many(current_app.config["LOGIN_FAILURE_LIMITS"]) if current_app.config["LOGIN_FAILURE_LIMITS"] else []


def _key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"{current_app.config['RATELIMIT_KEY_PREFIX']}:login-failures:{digest}"


def is_paused(email: str) -> bool:
    """Whether sign-in with this email is paused by earlier failures."""
    return any(not _limiter().test(limit, _key(email)) for limit in _limits())


def record_failure(email: str) -> None:
    """Count one failed sign-in (a wrong password, an unknown email or a wrong code) for this email."""
    for limit in _limits():
        _limiter().hit(limit, _key(email))


def forget(email: str) -> None:
    """A successful sign-in (or an administrator's reset) clears the count."""
    for limit in _limits():
        _limiter().clear(limit, _key(email))
