"""Time zones of events: IANA names as the tz database spells them, and wall-clock times to and from UTC."""
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

DEFAULT_TIMEZONE = "Asia/Bangkok"
# Offered as suggestions; any IANA name is accepted.
SUGGESTED_TIMEZONES = ["Asia/Bangkok", "Asia/Phnom_Penh", "Asia/Vientiane", "Asia/Yangon", "Asia/Ho_Chi_Minh",
                       "Asia/Shanghai", "Asia/Kuala_Lumpur", "Asia/Singapore", "Asia/Jakarta", "Asia/Manila",
                       "Asia/Dhaka", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "Europe/Geneva",
                       "Europe/London", "America/New_York", "UTC"]


@lru_cache(maxsize=1)
def _timezone_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def canonical_timezone(name: str | None) -> str | None:
    """The IANA name as spelled in the tz database ('asia/bangkok' -> 'Asia/Bangkok'), or None."""
    return _timezone_names().get((name or "").strip().casefold())


def to_utc(local: datetime | None, timezone: str) -> datetime | None:
    """A naive wall-clock time in `timezone` as an aware UTC datetime."""
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def to_local(value: datetime | None, timezone: str) -> datetime | None:
    """An aware datetime as the naive wall-clock time in `timezone` (for datetime-local inputs)."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def local_time_exists(local: datetime, timezone: str) -> bool:
    """False for a wall-clock time skipped by a clock change (e.g. 02:30 when clocks jump to 03:00)."""
    return to_local(to_utc(local, timezone), timezone) == local
