"""Plain, frozen data for attendee lists, sign-in sheets, certificates and visa letters, and its queries.

Each builder runs one query (column selects, no lazy loads, so no N+1 whatever the event's size)
and returns dataclasses the renderers take without a database or Flask. Only approved
registrations appear in any of these documents. The public list's rows are built from a query
that neither selects nor returns email or phone, and only of delegates who consented.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from typing import TYPE_CHECKING

from flask_babel import force_locale
from sqlalchemy import distinct, func, select

from events_app.attendance.models import CheckIn
from events_app.choices import ParticipantRole, StakeholderGroup, Status
from events_app.countries import country_name
from events_app.documents.data import format_dates
from events_app.documents.fonts import FontReport
from events_app.extensions import db
from events_app.registration.models import Registration

if TYPE_CHECKING:
    from events_app.events.models import Event


@dataclass(frozen=True, slots=True)
class DocumentEvent:
    """What these documents print about an event."""

    title: str
    dates: str
    starts_on: date
    ends_on: date
    venue: str = ""
    city: str = ""
    country: str = ""
    letterhead_text: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    contact_email: str = ""
    attendance_threshold_days: int = 1

    @property
    def place(self) -> str:
        """Venue, city and country on one line."""
        return ", ".join(p for p in (self.venue, self.city, self.country) if p)

    @property
    def days(self) -> tuple[date, ...]:
        """Every day of the event."""
        return tuple(self.starts_on + timedelta(days=i) for i in range((self.ends_on - self.starts_on).days + 1))


@dataclass(frozen=True, slots=True)
class Delegate:
    """One approved delegate as a list or sheet shows them (email and phone only when asked for)."""

    full_name: str
    name_latin: str = ""  # only when it differs from full_name
    sort_name: str = ""
    honorific: str = ""
    organisation: str = ""
    position: str = ""
    country: str = ""  # "Yunnan, China" when a region is given
    country_group: str = ""  # the country's name alone, for grouping
    stakeholder_group: str = ""  # label
    stakeholder_key: str = ""
    participant_role: str = ""  # label
    email: str = ""
    phone: str = ""
    list_publicly: bool = False

    @property
    def display_name(self) -> str:
        """The name to cite in warnings: the Latin form when there is one."""
        return self.name_latin or self.full_name


@dataclass(frozen=True, slots=True)
class CertificateRow:
    """A delegate who attended enough days for a certificate, and which days."""

    full_name: str
    name_latin: str
    organisation: str
    country: str
    days: tuple[date, ...]

    @property
    def display_name(self) -> str:
        """The name to cite in warnings."""
        return self.name_latin or self.full_name


@dataclass(frozen=True, slots=True)
class LetterRow:
    """A delegate who asked for a visa invitation letter, with their passport details."""

    reference: str
    full_name: str
    name_latin: str
    honorific: str
    organisation: str
    position: str
    country: str
    nationality: str
    passport_number: str
    date_of_birth: date | str | None
    passport_expiry: date | str | None
    arrival_date: date | None = None
    departure_date: date | None = None
    issued_on: date | None = None  # the day it was released to the delegate, in the event's time zone

    @property
    def display_name(self) -> str:
        """The name to cite in warnings."""
        return self.name_latin or self.full_name


@dataclass
class DocumentReport(FontReport):
    """What a render produced, and whose text had no font for its script."""

    kind: str = "document"  # what one item is, for the warning: "certificate", "list entry"...
    items: int = 0
    pages: int = 0

    @property
    def item_word(self) -> str:
        return self.kind


def document_event(event: Event) -> DocumentEvent:
    """Build DocumentEvent from an Event."""
    return DocumentEvent(
        title=event.title,
        dates=format_dates(event.starts_on, event.ends_on),
        starts_on=event.starts_on,
        ends_on=event.ends_on,
        venue=event.venue or "",
        city=event.city or "",
        country=country_name(event.country) if event.country else "",
        letterhead_text=event.letterhead_text or "",
        signatory_name=event.signatory_name or "",
        signatory_title=event.signatory_title or "",
        contact_email=event.contact_email or "",
        attendance_threshold_days=max(event.attendance_threshold_days or 1, 1),
    )


def _latin(full_name: str, name_latin: str | None) -> str:
    latin = (name_latin or "").strip()
    return "" if latin == full_name.strip() else latin


def _country(code: str, region: str | None) -> str:
    name = country_name(code or "")
    region = (region or "").strip()
    return f"{region}, {name}" if region and name else name


def _labels(enum_cls) -> dict[str, str]:
    """{value: English label}: documents are in English whatever language the organiser browses in."""
    with force_locale("en"):
        return {m.value: str(m.label) for m in enum_cls}


def _value(member) -> str:
    return getattr(member, "value", member) or ""


def _approved(event: Event):
    return (Registration.event_id == event.id, Registration.status == Status.APPROVED)


def delegate_rows(event: Event, *, public: bool = False, contact: bool = False) -> list[Delegate]:
    """Approved delegates sorted by Latin name; public: only those who consented, never email or phone."""
    columns = [Registration.id, Registration.full_name, Registration.name_latin, Registration.sort_name,
               Registration.honorific, Registration.organisation, Registration.position, Registration.country,
               Registration.region, Registration.stakeholder_group, Registration.participant_role,
               Registration.list_publicly]
    with_contact = contact and not public
    if with_contact:
        columns += [Registration.email, Registration.phone]
    query = select(*columns).where(*_approved(event))
    if public:
        query = query.where(Registration.list_publicly.is_(True))
    rows = db.session.execute(query).all()
    # Sorted here rather than in SQL: the same order on SQLite and PostgreSQL whatever the collation.
    rows.sort(key=lambda r: (r.sort_name or r.full_name.casefold(), r.id))
    countries: dict[str, str] = {}
    groups, roles = _labels(StakeholderGroup), _labels(ParticipantRole)
    out = []
    for r in rows:
        if r.country not in countries:
            countries[r.country] = country_name(r.country or "")
        out.append(Delegate(
            full_name=r.full_name.strip(),
            name_latin=_latin(r.full_name, r.name_latin),
            sort_name=r.sort_name,
            honorific="" if public else (r.honorific or "").strip(),
            organisation=(r.organisation or "").strip(),
            position="" if public else (r.position or "").strip(),
            country=_country(r.country, r.region),
            country_group=countries[r.country],
            stakeholder_group=groups.get(_value(r.stakeholder_group), _value(r.stakeholder_group)),
            stakeholder_key=_value(r.stakeholder_group),
            participant_role="" if public else roles.get(_value(r.participant_role), ""),
            email=r.email if with_contact else "",
            phone=(r.phone or "") if with_contact else "",
            list_publicly=bool(r.list_publicly),
        ))
    return out


def attended_subquery(event: Event):
    """Ids (column `rid`) of approved delegates checked in on at least the threshold of event days."""
    threshold = max(event.attendance_threshold_days or 1, 1)
    return (
        select(CheckIn.registration_id.label("rid"))
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(*_approved(event), CheckIn.day.between(event.starts_on, event.ends_on))
        .group_by(CheckIn.registration_id)
        .having(func.count(distinct(CheckIn.day)) >= threshold)
        .subquery()
    )


def certificate_rows(event: Event) -> list[CertificateRow]:
    """Approved delegates checked in on at least the event's threshold of distinct event days."""
    attended = attended_subquery(event)
    query = (
        select(Registration.id, Registration.full_name, Registration.name_latin, Registration.sort_name,
               Registration.organisation, Registration.country, Registration.region, CheckIn.day)
        .join(attended, attended.c.rid == Registration.id)
        .join(CheckIn, CheckIn.registration_id == Registration.id)
        .where(CheckIn.day.between(event.starts_on, event.ends_on))
        .order_by(Registration.id, CheckIn.day)
    )
    out = []
    for _, group in groupby(db.session.execute(query), key=lambda r: r.id):
        group = list(group)
        r = group[0]
        out.append((r.sort_name or r.full_name.casefold(), r.id, CertificateRow(
            full_name=r.full_name.strip(),
            name_latin=_latin(r.full_name, r.name_latin),
            organisation=(r.organisation or "").strip(),
            country=_country(r.country, r.region),
            days=tuple(sorted({g.day for g in group})),
        )))
    return [row for *_, row in sorted(out, key=lambda t: (t[0], t[1]))]


def _iso_date(value: str | None) -> date | str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return value  # printed as entered rather than lost


def letter_reference(slug: str, registration_id: int) -> str:
    """The reference printed on a visa letter, so an embassy can cite it to the organisers."""
    return f"{slug.upper()}/VL-{registration_id:05d}"


def letter_rows(event: Event, *, registration_ids=None, released_only: bool = False) -> list[LetterRow]:
    """Approved delegates who asked for a visa letter (optionally only these ids, or only released ones)."""
    query = select(Registration).where(*_approved(event), Registration.needs_visa_letter.is_(True))
    if registration_ids is not None:
        query = query.where(Registration.id.in_(list(registration_ids)))
    if released_only:
        query = query.where(Registration.visa_letter_released_at.is_not(None))
    registrations = sorted(db.session.scalars(query), key=lambda r: (r.sort_name or r.full_name.casefold(), r.id))
    return [letter_row(event, r) for r in registrations]


def letter_row(event: Event, r: Registration) -> LetterRow:
    """Build one LetterRow from a Registration (already loaded: the private download)."""
    released = r.visa_letter_released_at
    return LetterRow(
        reference=letter_reference(event.slug, r.id),
        full_name=r.full_name.strip(),
        name_latin=_latin(r.full_name, r.name_latin),
        honorific=(r.honorific or "").strip(),
        organisation=(r.organisation or "").strip(),
        position=(r.position or "").strip(),
        country=_country(r.country, r.region),
        nationality=(r.nationality or "").strip(),
        passport_number=(r.passport_number or "").strip(),
        date_of_birth=_iso_date(r.date_of_birth),
        passport_expiry=_iso_date(r.passport_expiry),
        arrival_date=r.arrival_date,
        departure_date=r.departure_date,
        issued_on=released.astimezone(event.tz).date() if released else None,
    )
