"""The queries of the list documents: attendee lists, sign-in sheets, certificates, visa letters, the page.

Each builder runs one query (column selects, no lazy loads, so no N+1 whatever the event's size)
and returns dataclasses the renderers take without a database or Flask. Only approved
registrations appear in any of these documents. The public list's rows are built from a query
that neither selects nor returns email or phone, and only of delegates who consented.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import TYPE_CHECKING

from flask_babel import force_locale
from sqlalchemy import case, distinct, func, select

from events_app.attendance.models import CheckIn
from events_app.choices import ParticipantRole, StakeholderGroup, Status
from events_app.countries import country_name
from events_app.documents.records import CertificateRow, Delegate, LetterRow
from events_app.extensions import db
from events_app.registration.models import Registration

if TYPE_CHECKING:
    from events_app.events.models import Event


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
    order = {value: i for i, value in enumerate(groups)}
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
            stakeholder_order=order.get(_value(r.stakeholder_group), len(order)),
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


@dataclass(frozen=True, slots=True)
class LetterStatus:
    """One delegate who asked for a visa letter, for the documents page."""

    registration_id: int
    name: str
    name_latin: str
    released_at: datetime | None


@dataclass(frozen=True, slots=True)
class Overview:
    """Counts the documents page shows beside each document."""

    approved: int
    public: int
    certificates: int
    letters: tuple[LetterStatus, ...]

    @property
    def unreleased(self) -> int:
        """Letters asked for and not yet released."""
        return sum(1 for letter in self.letters if letter.released_at is None)


def overview(event) -> Overview:
    """How many delegates each document would hold, in three queries."""
    approved = (Registration.event_id == event.id, Registration.status == Status.APPROVED)
    total, public = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((Registration.list_publicly.is_(True), 1), else_=0)), 0))
        .where(*approved)).one()
    attended = attended_subquery(event)
    certified = db.session.scalar(select(func.count()).select_from(attended))
    letters = db.session.execute(
        select(Registration.id, Registration.full_name, Registration.name_latin, Registration.sort_name,
               Registration.visa_letter_released_at)
        .where(*approved, Registration.needs_visa_letter.is_(True))).all()
    letters.sort(key=lambda r: (r.sort_name or r.full_name.casefold(), r.id))
    return Overview(total, int(public), certified or 0, tuple(
        LetterStatus(r.id, r.full_name, r.name_latin if r.name_latin != r.full_name else "",
                     r.visa_letter_released_at) for r in letters))
