"""Use cases of an event's settings: create and update events, their quotas and their extra questions.

Like every service here these functions flush and never commit; the caller commits once.
Raising a capacity or a quota (or removing one) promotes waitlisted delegates who now fit;
lowering it below the number already approved is allowed and reported, never undone silently.
An event's badge settings live here too: the colour legend (`badge_colours`) and the logo.
"""
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import gettext as _
from PIL import Image
from reportlab.lib.utils import ImageReader
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from events_app.choices import DELEGATE_FIELDS, ParticipantRole, StakeholderGroup
from events_app.countries import is_country
from events_app.events import services as event_services
from events_app.events.colours import HEX_COLOUR
from events_app.events.locking import lock_event
from events_app.events.models import Event, Question, Quota
from events_app.extensions import db
from events_app.registration.capacity import approved_count
from events_app.registration.lifecycle import promote_waitlisted

DEFAULT_TIMEZONE = "Asia/Bangkok"
BADGE_COLOUR_BY = ("participant_role", "stakeholder_group")
QUOTA_KINDS = ("stakeholder_group", "country")
QUESTION_KINDS = ("text", "choice", "yes_no")
# Question keys name form fields and export columns: snake_case like the data dictionary.
QUESTION_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
RESERVED_QUESTION_KEYS = frozenset(DELEGATE_FIELDS) | {
    "id", "status", "participant_role", "registered_at", "days_attended", "token", "checkin_code",
    "submission_key", "csrf_token", "answers",
}
MAX_PLACES = 1_000_000  # far above any meeting, well inside a 32-bit integer column
# Badge colours may be set for every role and every stakeholder group (their values never clash).
COLOUR_KEYS = tuple(m.value for m in ParticipantRole) + tuple(m.value for m in StakeholderGroup)
LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000  # a side; more is no sharper on a badge and costs memory to decode
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
_KEEP = object()  # update_event: leave the logo as it is
MAX_EVENT_DAYS = 366  # every day gets an attendance column and a sign-in sheet
EARLIEST_YEAR, LATEST_YEAR = 2000, 2200  # typos such as 0202 would overflow time-zone arithmetic

# What update_event may change (the slug names the event in links and is fixed).
EVENT_FIELDS = frozenset({
    "title", "description", "venue", "city", "country", "timezone", "starts_on", "ends_on", "capacity",
    "registration_opens_at", "registration_closes_at", "approval_required", "waitlist_when_full",
    "invitation_only", "edit_deadline", "reapproval_fields", "attendance_threshold_days", "letterhead_text",
    "signatory_name", "signatory_title", "contact_email", "badge_colour_by", "badge_colours",
})
_EVENT_TIMES = ("registration_opens_at", "registration_closes_at", "edit_deadline")


class SettingsError(event_services.EventError):
    """A setting was refused; `field` names the form field the message belongs beside (or None)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PlacesReport:
    """After a change of capacity or quota: how many hold places, the limit, and who was promoted."""

    approved: int
    limit: int | None
    promoted: int = 0

    @property
    def over_by(self) -> int:
        """Approved delegates beyond the limit (0 when within it)."""
        return 0 if self.limit is None else max(self.approved - self.limit, 0)


# --- time zones -------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _timezone_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def canonical_timezone(name: str) -> str | None:
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


# --- events -----------------------------------------------------------------------------------

def _check_event(values: dict) -> None:
    """The rules every event obeys, whoever sets it (form, command, API)."""
    if canonical_timezone(values.get("timezone") or DEFAULT_TIMEZONE) is None:
        raise SettingsError(_("Unknown time zone."), field="timezone")
    if values["ends_on"] < values["starts_on"]:
        raise SettingsError(_("The event cannot end before it starts."), field="ends_on")
    if (values["ends_on"] - values["starts_on"]).days >= MAX_EVENT_DAYS:
        raise SettingsError(_("An event can last at most %(n)s days.", n=MAX_EVENT_DAYS), field="ends_on")
    capacity = values.get("capacity")
    if capacity is not None and not 0 <= capacity <= MAX_PLACES:
        raise SettingsError(_("The capacity must be between 0 and %(max)s.", max=MAX_PLACES), field="capacity")
    for name in _EVENT_TIMES:
        if values.get(name) is not None and values[name].tzinfo is None:
            raise SettingsError(_("A time without a time zone was given."), field=name)
    opens, closes = values.get("registration_opens_at"), values.get("registration_closes_at")
    if opens and closes and closes <= opens:
        raise SettingsError(_("Registration must close after it opens."), field="registration_closes_at")
    if values.get("badge_colour_by", BADGE_COLOUR_BY[0]) not in BADGE_COLOUR_BY:
        raise SettingsError(_("Not a valid choice."), field="badge_colour_by")
    unknown = set(values.get("reapproval_fields") or ()) - set(DELEGATE_FIELDS)
    if unknown:
        raise SettingsError(_("Not a field of the data dictionary."), field="reapproval_fields")
    _check_colours(values.get("badge_colours") or {})


def _check_colours(colours: dict) -> None:
    if not isinstance(colours, dict):
        raise SettingsError(_("Badge colours must map roles or groups to colours."), field="badge_colour_by")
    for key, colour in colours.items():
        if key not in COLOUR_KEYS:
            raise SettingsError(_("%(key)s is neither a participant role nor a stakeholder group.", key=key),
                                field="badge_colour_by")
        if not isinstance(colour, str) or not HEX_COLOUR.fullmatch(colour):
            raise SettingsError(_("Enter a colour as #rrggbb, e.g. #1f5fa8."), field=f"colour_{key}")


# --- the event logo ---------------------------------------------------------------------------

def check_logo(data: bytes) -> str:
    """The content type of a logo that badges can print (PNG or JPEG up to 1 MB); SettingsError otherwise.

    Judged by the file's first bytes and by decoding it as the renderers will (reportlab's
    ImageReader), never by its name: a text file called logo.png is refused.
    """
    if len(data) > LOGO_MAX_BYTES:
        raise SettingsError(_("The logo is larger than 1 MB. Save it smaller (a few hundred pixels wide is "
                              "plenty for a badge) and try again."), field="logo")
    content_type = next((kind for magic, kind in LOGO_TYPES.items() if data.startswith(magic)), None)
    if content_type is None:
        raise SettingsError(_("This file is not a PNG or JPEG image. Choose a PNG or JPEG file."), field="logo")
    try:
        reader = ImageReader(io.BytesIO(data))
        width, height = reader.getSize()
        if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
            raise SettingsError(_("The logo is %(w)s × %(h)s pixels; at most %(max)s pixels a side, please.",
                                  w=width, h=height, max=LOGO_MAX_PIXELS), field="logo")
        reader.getRGBData()  # decodes every pixel: a truncated or damaged file fails here
    except SettingsError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise SettingsError(_("This image could not be read; it may be damaged. Export it again as PNG or "
                              "JPEG."), field="logo") from None
    return content_type


def create_event(slug: str, *, logo: bytes | None = None, **values) -> Event:
    """Create an event with all its settings (and a logo); a taken slug is a SettingsError on `slug`."""
    unknown = set(values) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"unknown event settings: {sorted(unknown)}")
    values.setdefault("timezone", DEFAULT_TIMEZONE)
    _check_event(values)
    content_type = check_logo(logo) if logo else ""
    taken = SettingsError(_("An event with this short name exists already."), field="slug")
    if event_services.find_event(slug) is not None:
        raise taken
    try:
        with db.session.begin_nested():
            event = event_services.create_event(slug, **values)
    except IntegrityError:  # another organiser took the slug a moment ago
        raise taken from None
    if logo:
        event.logo, event.logo_content_type = logo, content_type
        db.session.flush()
    return event


def update_event(event: Event, *, logo=_KEEP, **changes) -> PlacesReport:
    """Change an event's settings under its lock; more room promotes waitlisted delegates.

    logo: new PNG or JPEG bytes, None to remove it, or left out to keep it.
    """
    unknown = set(changes) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"unknown event settings: {sorted(unknown)}")
    current = {name: getattr(event, name) for name in EVENT_FIELDS}
    _check_event({**current, **changes})
    content_type = check_logo(logo) if logo is not _KEEP and logo else ""
    event = lock_event(event.id)
    old_capacity = event.capacity
    for name, value in changes.items():
        setattr(event, name, value)
    if logo is not _KEEP:
        event.logo, event.logo_content_type = logo or None, content_type
    db.session.flush()
    promoted = promote_waitlisted(event) if _more_room(old_capacity, event.capacity) else []
    return PlacesReport(approved=approved_count(event.id), limit=event.capacity, promoted=len(promoted))


def _more_room(old: int | None, new: int | None) -> bool:
    if new is None:
        return old is not None
    return old is not None and new > old


# --- quotas -----------------------------------------------------------------------------------

def _quota_filter(kind: str, value: str) -> dict:
    return {kind: StakeholderGroup(value) if kind == "stakeholder_group" else value}


def quota_approved(quota: Quota) -> int:
    """Approved delegates of the quota's event who count against it."""
    return approved_count(quota.event_id, **_quota_filter(quota.kind, quota.value))


def _check_quota(kind: str, value: str, places: int) -> None:
    if kind not in QUOTA_KINDS:
        raise SettingsError(_("A quota is for a stakeholder group or a country."), field="target")
    valid = value in {g.value for g in StakeholderGroup} if kind == "stakeholder_group" else is_country(value)
    if not valid:
        raise SettingsError(_("Not a valid choice."), field="target")
    if not 0 <= places <= MAX_PLACES:
        raise SettingsError(_("The number of places must be between 0 and %(max)s.", max=MAX_PLACES),
                            field="places")


def add_quota(event: Event, *, kind: str, value: str, places: int) -> Quota:
    """Add a quota for one stakeholder group or country; one per kind and value."""
    _check_quota(kind, value, places)
    taken = SettingsError(_("This event has a quota for it already."), field="target")
    if any(q.kind == kind and q.value == value for q in event.quotas):
        raise taken
    quota = Quota(kind=kind, value=value, places=places)
    try:
        with db.session.begin_nested():
            event.quotas.append(quota)
            db.session.flush()
    except IntegrityError:  # added at the same moment by someone else
        db.session.expire(event, ["quotas"])
        raise taken from None
    return quota


def update_quota(quota: Quota, *, places: int) -> PlacesReport:
    """Change a quota's places under the event lock; more places promote waitlisted delegates."""
    _check_quota(quota.kind, quota.value, places)
    event = lock_event(quota.event_id)
    quota.places = places
    db.session.flush()
    # Promote whenever the quota changes: comparing with the places read before the lock could
    # miss a rise made by another organiser meanwhile; promotion only takes who fits.
    promoted = promote_waitlisted(event)
    return PlacesReport(approved=quota_approved(quota), limit=places, promoted=len(promoted))


def delete_quota(quota: Quota) -> PlacesReport:
    """Remove a quota under the event lock; waitlisted delegates it held back may be promoted."""
    event = lock_event(quota.event_id)
    event.quotas.remove(quota)
    db.session.flush()
    promoted = promote_waitlisted(event)
    return PlacesReport(approved=approved_count(event.id), limit=event.capacity, promoted=len(promoted))


# --- extra questions --------------------------------------------------------------------------

def clean_options(kind: str, options) -> list[str]:
    """The answer options of a choice question: stripped, blank lines and repeats dropped."""
    if kind != "choice":
        return []
    seen, cleaned = set(), []
    for option in options or ():
        option = option.strip()
        if option and option.casefold() not in seen:
            seen.add(option.casefold())
            cleaned.append(option)
    return cleaned


def _check_question(kind: str, label: str, options: list[str]) -> None:
    if kind not in QUESTION_KINDS:
        raise SettingsError(_("Not a valid choice."), field="kind")
    if not label.strip():
        raise SettingsError(_("Please write the question."), field="label")
    if kind == "choice" and len(options) < 2:
        raise SettingsError(_("A choice question needs at least two options, one per line."), field="options")


def add_question(event: Event, *, key: str, label: str, kind: str, options=(), required: bool = False,
                 position: int | None = None) -> Question:
    """Add an extra question at `position` (1 = first; None = last); keys are unique per event."""
    if not QUESTION_KEY_RE.match(key) or key in RESERVED_QUESTION_KEYS:
        raise SettingsError(_("Not a usable key."), field="key")
    options = clean_options(kind, options)
    _check_question(kind, label, options)
    taken = SettingsError(_("This event has a question with this key already."), field="key")
    if any(q.key == key for q in event.questions):
        raise taken
    question = Question(key=key, label=label.strip(), kind=kind, options=options, required=required,
                        position=len(event.questions) + 1)
    try:
        with db.session.begin_nested():
            event.questions.append(question)
            db.session.flush()
    except IntegrityError:
        db.session.expire(event, ["questions"])
        raise taken from None
    _place(event, question, position)
    return question


def update_question(question: Question, *, label: str, kind: str, options=(), required: bool = False,
                    position: int | None = None) -> Question:
    """Change a question's wording, kind, options, required flag or place (its key stays)."""
    options = clean_options(kind, options)
    _check_question(kind, label, options)
    question.label, question.kind, question.options, question.required = label.strip(), kind, options, required
    if position is not None:
        _place(question.event, question, position)
    db.session.flush()
    return question


def delete_question(question: Question) -> None:
    """Remove a question from the form; answers already given stay with their registrations."""
    event = question.event
    event.questions.remove(question)
    db.session.flush()
    _renumber(event, [q for q in _ordered(event) if q is not question])


def move_question(question: Question, *, by: int) -> None:
    """Move a question up (by=-1) or down (by=+1) the form."""
    ordered = _ordered(question.event)
    _place(question.event, question, ordered.index(question) + 1 + by)


def _ordered(event: Event) -> list[Question]:
    return list(db.session.scalars(
        select(Question).where(Question.event_id == event.id).order_by(Question.position, Question.id)
    ))


def _place(event: Event, question: Question, position: int | None) -> None:
    """Put the question at `position` (clamped) and number the rest 1..n around it."""
    others = [q for q in _ordered(event) if q is not question]
    index = len(others) if position is None else min(max(position - 1, 0), len(others))
    others.insert(index, question)
    _renumber(event, others)


def _renumber(event: Event, ordered: list[Question]) -> None:
    for number, question in enumerate(ordered, start=1):
        question.position = number
    db.session.flush()
    db.session.expire(event, ["questions"])
