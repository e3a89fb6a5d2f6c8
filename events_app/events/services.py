"""Use cases for events: create and change one under one set of rules, find one, list what is open.

The web form, `flask events create`, the demo and the API all go through create_event and
update_event, so an event that one of them refuses is refused by all, with the same message.
Like every service here these functions flush and never commit; the caller commits once.
"""
import copy
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from flask import abort, current_app
from flask_babel import gettext as _
from PIL import Image
from reportlab.lib.utils import ImageReader
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from events_app.audit import services as audit
from events_app.choices import DELEGATE_FIELDS, EventRole, ParticipantRole, StakeholderGroup, UserRole
from events_app.countries import is_country
from events_app.events import access
from events_app.events.cache import current_event
from events_app.events.colours import HEX_COLOUR
from events_app.events.locking import lock_event
from events_app.events.models import Event, Question, Quota
from events_app.events.timezones import DEFAULT_TIMEZONE, canonical_timezone
from events_app.extensions import db
from events_app.models import utcnow

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")
# A symposium or consultation lasts days, a long training course a few weeks. Every day gets an
# attendance column, a sign-in sheet and a check-in day, so a typo in a year (2072 for 2027) must
# be caught here rather than produce a four-year event with 1,460 columns.
MAX_EVENT_DAYS = 60
# Dates outside this window are typos (0202 for 2026); year 0002 also overflows time-zone arithmetic.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
# Far above any meeting of this network, and far inside the 32-bit INTEGER column (PostgreSQL
# refuses 5,000,000,000 with a DataError; here it is one plain message).
MAX_PLACES = 100_000
BADGE_COLOUR_BY = ("participant_role", "stakeholder_group")
# Badge colours may be set for every role and every stakeholder group (their values never clash).
COLOUR_KEYS = tuple(m.value for m in ParticipantRole) + tuple(m.value for m in StakeholderGroup)
LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000  # a side; more is no sharper on a badge and costs memory to decode
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
# A signature is printed about 50 mm wide: 1,200 pixels is 600 dpi there.
SIGNATURE_MAX_PIXELS = 1200
_KEEP = object()  # update_event: leave the logo (or the signature) as it is

# What create_event and update_event may set besides the slug (which names the event in links and is fixed).
EVENT_FIELDS = frozenset({
    "title", "description", "venue", "city", "country", "timezone", "starts_on", "ends_on", "capacity",
    "registration_opens_at", "registration_closes_at", "approval_required", "waitlist_when_full",
    "invitation_only", "edit_deadline", "reapproval_fields", "attendance_threshold_days", "letterhead_text",
    "signatory_name", "signatory_title", "signatory_organisation", "contact_email", "badge_colour_by",
    "badge_colours", "privacy_notice",
})
# Text that is one line wherever it appears (email subjects, PDF headings, the letter's signature block).
ONE_LINE_FIELDS = ("title", "venue", "city", "signatory_name", "signatory_title", "signatory_organisation",
                   "contact_email")
EVENT_TIMES = ("registration_opens_at", "registration_closes_at", "edit_deadline")


class EventError(ValueError):
    """An event (or one of its settings) was refused; `field` names the form field the message belongs beside."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class EventNotFound(EventError):
    """No event has this slug."""


@dataclass(frozen=True)
class EventUpdate:
    """What update_event did: the (locked) event and its capacity before the change."""

    event: Event
    capacity_before: int | None

    @property
    def more_room(self) -> bool:
        """The capacity rose or was lifted: waitlisted delegates may now fit."""
        new, old = self.event.capacity, self.capacity_before
        return old is not None and (new is None or new > old)


# --- the rules of an event, one function per rule (the form shows each beside its field) --------

def check_slug(slug: str) -> None:
    """The short name in links: 3-64 lower-case letters, digits and hyphens."""
    if not SLUG_RE.match(slug or ""):
        raise EventError(_("The short name (slug) must be 3–64 lower-case letters, digits and hyphens, starting "
                           "and ending with a letter or digit."), field="slug")


def check_one_line(values: dict) -> None:
    """Titles, places and names are one line: a line break would reach email subjects and PDF headings."""
    for name in ONE_LINE_FIELDS:
        value = values.get(name)
        if isinstance(value, str) and any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in value):
            raise EventError(_("Use one line, without line breaks or control characters."), field=name)


def check_year(day: date | datetime | None, *, field: str) -> None:
    """A date or time within the sane window of years."""
    if day is not None and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise EventError(_("Use a date between the years %(first)s and %(last)s.",
                           first=EARLIEST_YEAR, last=LATEST_YEAR), field=field)


def check_days(starts_on: date, ends_on: date) -> None:
    """The first and last day: sane years, in order, at most MAX_EVENT_DAYS apart."""
    check_year(starts_on, field="starts_on")
    check_year(ends_on, field="ends_on")
    if ends_on < starts_on:
        raise EventError(_("The last day cannot be before the first day."), field="ends_on")
    if (ends_on - starts_on).days >= MAX_EVENT_DAYS:
        raise EventError(_("An event can last at most %(n)s days.", n=MAX_EVENT_DAYS), field="ends_on")


def check_capacity(capacity: int | None) -> None:
    """No limit (None), or a number of places from 0 to MAX_PLACES."""
    if capacity is not None and not 0 <= capacity <= MAX_PLACES:
        raise EventError(_("The capacity must be a whole number from 0 to %(max)s.", max=MAX_PLACES),
                         field="capacity")


def check_timezone(name: str | None) -> str:
    """The IANA time zone as the tz database spells it; EventError when there is none such."""
    canonical = canonical_timezone(name)
    if canonical is None:
        raise EventError(_("Unknown time zone. Use an IANA name such as Asia/Bangkok."), field="timezone")
    return canonical


def check_attendance_threshold(days: int, starts_on: date, ends_on: date) -> None:
    """Days of attendance for a certificate: at least one, at most the event's days."""
    length = (ends_on - starts_on).days + 1
    if not 1 <= days <= length:
        raise EventError(_("Enter a number of days from 1 to %(n)s (the days of the event).", n=length),
                         field="attendance_threshold_days")


def _checked(values: dict) -> dict:
    """The values with every rule checked, title stripped and the time zone spelled as the tz database does."""
    if not (values.get("title") or "").strip():
        raise EventError(_("Please give the event a title."), field="title")
    values["title"] = values["title"].strip()
    check_one_line(values)
    values["privacy_notice"] = (values.get("privacy_notice") or "").strip()  # blank: the default notice
    values["timezone"] = check_timezone(values.get("timezone"))
    check_days(values["starts_on"], values["ends_on"])
    check_capacity(values.get("capacity"))
    if values.get("country") and not is_country(values["country"]):
        raise EventError(_("Not a valid choice."), field="country")
    check_attendance_threshold(values.get("attendance_threshold_days") or 1, values["starts_on"], values["ends_on"])
    for name in EVENT_TIMES:
        check_year(values.get(name), field=name)
        if values.get(name) is not None and values[name].tzinfo is None:
            raise EventError(_("A time without a time zone was given."), field=name)
    opens, closes = values.get("registration_opens_at"), values.get("registration_closes_at")
    if opens and closes and closes <= opens:
        raise EventError(_("Registration must close after it opens."), field="registration_closes_at")
    if values.get("badge_colour_by", BADGE_COLOUR_BY[0]) not in BADGE_COLOUR_BY:
        raise EventError(_("Not a valid choice."), field="badge_colour_by")
    if set(values.get("reapproval_fields") or ()) - set(DELEGATE_FIELDS):
        raise EventError(_("Not a field of the data dictionary."), field="reapproval_fields")
    _check_colours(values.get("badge_colours") or {})
    return values


def _check_colours(colours: dict) -> None:
    if not isinstance(colours, dict):
        raise EventError(_("Badge colours must map roles or groups to colours."), field="badge_colour_by")
    for key, colour in colours.items():
        if key not in COLOUR_KEYS:
            raise EventError(_("%(key)s is neither a participant role nor a stakeholder group.", key=key),
                             field="badge_colour_by")
        if not isinstance(colour, str) or not HEX_COLOUR.fullmatch(colour):
            raise EventError(_("Enter a colour as #rrggbb, e.g. #1f5fa8."), field=f"colour_{key}")


def check_image(data: bytes, *, field: str = "logo") -> str:
    """The content type of an image the documents can print (PNG or JPEG up to 1 MB); EventError otherwise.

    Judged by the file's first bytes and by decoding it as the renderers will (reportlab's
    ImageReader), never by its name: a text file called logo.png is refused. `field` is the form
    field the message belongs beside (the logo, the signature).
    """
    if len(data) > LOGO_MAX_BYTES:
        raise EventError(_("The image is larger than 1 MB. Save it smaller (a few hundred pixels wide is "
                           "plenty for printing) and try again."), field=field)
    content_type = next((kind for magic, kind in LOGO_TYPES.items() if data.startswith(magic)), None)
    if content_type is None:
        raise EventError(_("This file is not a PNG or JPEG image. Choose a PNG or JPEG file."), field=field)
    try:
        reader = ImageReader(io.BytesIO(data))
        width, height = reader.getSize()
        if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
            raise EventError(_("The image is %(w)s × %(h)s pixels; at most %(max)s pixels a side, please.",
                               w=width, h=height, max=LOGO_MAX_PIXELS), field=field)
        reader.getRGBData()  # decodes every pixel: a truncated or damaged file fails here
    except EventError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _unreadable(field) from None
    return content_type


def _unreadable(field: str) -> EventError:
    return EventError(_("This image could not be read; it may be damaged. Export it again as PNG or JPEG."),
                      field=field)


def reencoded_image(data: bytes, *, field: str = "logo", max_pixels: int | None = None) -> tuple[bytes, str]:
    """A checked image re-encoded by Pillow: only its pixels are kept (no metadata, nothing appended).

    A PNG with HTML or a script after its last chunk, or a JPEG with a comment, comes out as the
    picture alone. A PNG stays PNG (its transparency lets the page show through); a JPEG stays JPEG.
    max_pixels shrinks it to fit that square. Returns (bytes, content type); EventError beside `field`.
    """
    content_type = check_image(data, field=field)
    out = io.BytesIO()
    try:
        with Image.open(io.BytesIO(data)) as image:
            if max_pixels:
                image.thumbnail((max_pixels, max_pixels))
            clear = content_type == "image/png" and ("A" in image.getbands() or "transparency" in image.info)
            pixels = image.convert("RGBA" if clear else "RGB")
            pixels.info = {}  # Pillow would write a kept comment, text chunk or profile back out
            if content_type == "image/png":
                pixels.save(out, "PNG", optimize=True)
            else:
                pixels.save(out, "JPEG", quality=90)
    except (OSError, ValueError):  # an unusual pixel format Pillow cannot convert
        raise _unreadable(field) from None
    return out.getvalue(), content_type


def signature_image(data: bytes) -> tuple[bytes, str]:
    """The signature re-encoded, at most SIGNATURE_MAX_PIXELS a side (600 dpi where it is printed)."""
    return reencoded_image(data, field="signature", max_pixels=SIGNATURE_MAX_PIXELS)


def _refuse_unknown(values: dict) -> None:
    unknown = set(values) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"unknown event settings: {sorted(unknown)}")


# --- use cases ----------------------------------------------------------------------------------

def create_event(slug: str, *, title: str, starts_on: date, ends_on: date, logo: bytes | None = None,
                 signature: bytes | None = None, **values) -> Event:
    """Create an event with any of its settings (EVENT_FIELDS), a logo and a signature, after checking every rule."""
    _refuse_unknown(values)
    check_slug(slug)
    values = _checked({"timezone": DEFAULT_TIMEZONE, **values, "title": title, "starts_on": starts_on,
                       "ends_on": ends_on})
    logo, content_type = reencoded_image(logo) if logo else (logo, "")
    signed = signature_image(signature) if signature else (None, "")
    taken = EventError(_("An event with this short name exists already."), field="slug")
    if find_event(slug) is not None:
        raise taken
    event = Event(slug=slug, **values)
    if logo:
        event.logo, event.logo_content_type = logo, content_type
    event.signature_image, event.signature_content_type = signed
    try:
        with db.session.begin_nested():
            db.session.add(event)
            db.session.flush()
    except IntegrityError:  # another organiser took the slug a moment ago
        raise taken from None
    return event


def update_event(event: Event, *, logo=_KEEP, signature=_KEEP, **changes) -> EventUpdate:
    """Change an event's settings under its lock, after checking every rule on the result.

    logo, signature: new PNG or JPEG bytes, None to remove it, or left out to keep it. The event stays
    locked until the caller commits, so a caller may move the waiting list up in the same
    transaction when the update says there is more room.
    """
    _refuse_unknown(changes)
    current = {name: getattr(event, name) for name in EVENT_FIELDS}
    checked = _checked({**current, **changes})
    logo, content_type = reencoded_image(logo) if logo is not _KEEP and logo else (logo, "")
    signed = signature_image(signature) if signature is not _KEEP and signature else (None, "")
    event = lock_event(event.id)
    capacity_before = event.capacity
    if checked["privacy_notice"] != current["privacy_notice"]:
        # Consent given from now on is to the new text: registrations record this version.
        event.privacy_notice_version += 1
        event.privacy_notice_changed_at = utcnow()
    for name in changes:
        setattr(event, name, checked[name])
    if logo is not _KEEP:
        event.logo, event.logo_content_type = logo or None, content_type
    if signature is not _KEEP:
        event.signature_image, event.signature_content_type = signed
    db.session.flush()
    return EventUpdate(event, capacity_before)


def copy_event(source: Event, *, slug: str, title: str, starts_on: date, ends_on: date, by_user) -> Event:
    """A new event that starts as a copy of `source`, through create_event's rules.

    It takes the settings, questions, quotas, badge colours, letterhead, logo and privacy notice;
    never delegates or invitations. Registration opening, closing and the edit deadline move by as
    many days as the start does. The user who copies it is its organiser and the copy is logged.
    """
    shift = starts_on - source.starts_on
    values = {name: copy.copy(getattr(source, name)) for name in EVENT_FIELDS - {"title", "starts_on", "ends_on"}}
    for name in EVENT_TIMES:
        values[name] = values[name] + shift if values[name] is not None else None
    values["attendance_threshold_days"] = min(values["attendance_threshold_days"], (ends_on - starts_on).days + 1)
    event = create_event(slug, title=title, starts_on=starts_on, ends_on=ends_on, **values)
    event.logo, event.logo_content_type = source.logo, source.logo_content_type  # re-encoded on its upload
    event.quotas = [Quota(kind=q.kind, value=q.value, places=q.places) for q in source.quotas]
    event.questions = [Question(key=q.key, label=q.label, kind=q.kind, options=list(q.options),
                                required=q.required, position=q.position) for q in source.questions]
    db.session.flush()
    if by_user.role != UserRole.ADMIN:  # admins see every event already
        access.grant(by_user, event, EventRole.ORGANISER)
    audit.record("event.copy", user=by_user, event=event, summary=f"Copied from {source.slug}",
                 changes={"slug": (source.slug, slug), "title": (source.title, title),
                          "starts_on": (source.starts_on, starts_on), "ends_on": (source.ends_on, ends_on)})
    return event


def contact_address(event: Event) -> str:
    """Where delegates write with questions: the event's contact, else the site's reply or sender address."""
    config = current_app.config
    return event.contact_email or config.get("MAIL_REPLY_TO") or config.get("MAIL_DEFAULT_SENDER") or ""


def find_event(slug: str) -> Event | None:
    """The event with this slug, or None."""
    return db.session.scalar(select(Event).where(Event.slug == slug))


def event_by_slug(slug: str) -> Event:
    """The event with this slug, or EventNotFound (commands show its message in one line)."""
    event = find_event(slug)
    if event is None:
        raise EventNotFound(f"no event with the slug {slug!r} (see `flask events list`)")
    return event


def event_or_404(slug: str) -> Event:
    """The event with this slug, or a 404 page (for views)."""
    return db.first_or_404(select(Event).where(Event.slug == slug))


def current_event_or_404(slug: str) -> Event:
    """The event with this slug for the public pages, from this process's cache when unchanged (events/cache.py)."""
    return current_event(slug) or abort(404)


def upcoming_events(today: date) -> list[Event]:
    """Events that have not ended yet, soonest first."""
    return list(db.session.scalars(select(Event).where(Event.ends_on >= today).order_by(Event.starts_on)))


def all_events() -> list[Event]:
    """Every event, newest first."""
    return list(db.session.scalars(select(Event).order_by(Event.starts_on.desc())))
