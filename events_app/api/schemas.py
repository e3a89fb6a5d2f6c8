"""Pydantic models of the API: they validate requests and are the OpenAPI document's schemas (spectree).

The field rules of a registration (email, phone, country, Latin name, consent, questions) are not
repeated here: the API passes the values through the registration form, as the importer does.
These models say only the shape, types and lengths.
"""
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from events_app.choices import Dietary, Gender, ParticipantRole, StakeholderGroup, Status

Text200 = Field(default="", max_length=200)


class Strict(BaseModel):
    """Input models refuse unknown fields, so a misspelt field is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    code: str = Field(examples=["invalid"])
    message: str = Field(examples=["Some fields are not valid."])
    fields: dict[str, list[str]] = Field(examples=[{"email": ["Enter a valid email address, like name@example.org."]}])


class ErrorBody(BaseModel):
    """Every failure: 400, 401, 403, 404, 405, 409, 422, 429 and 500."""

    error: ErrorDetail


class EventOut(BaseModel):
    slug: str = Field(examples=["gms-symposium-2026"])
    title: str = Field(examples=["Regional Symposium on Migrant Workers' Rights"])
    starts_on: date
    ends_on: date
    days: list[date]
    timezone: str = Field(examples=["Asia/Bangkok"])
    venue: str
    city: str
    country: str
    capacity: int | None = Field(description="Places for approved delegates; null: no limit")
    approval_required: bool
    invitation_only: bool
    registration_state: str = Field(description="open, not_yet_open, closed or ended", examples=["open"])
    updated_at: datetime


class EventList(BaseModel):
    items: list[EventOut]


class FigureOut(BaseModel):
    key: str = Field(examples=["status"])
    title: str
    columns: list[str]
    rows: list[list[str | int | float | None]]
    facts: list[str]


class StatisticsOut(BaseModel):
    """The event dashboard's figures, each as the table behind its chart."""

    event: str
    counts: dict[str, int] = Field(examples=[{"pending": 3, "approved": 40, "waitlisted": 2}])
    places_left: int | None
    figures: list[FigureOut]


class RegistrationOut(BaseModel):
    """A registration. For staff tokens every field from `email` to `answers` is null: staff see what the desk
    and printing need (name, organisation, group, country, status, role, badge), never contact details or needs."""

    id: int
    status: Status
    waitlist_position: int | None
    full_name: str = Field(examples=["ສົມພອນ ວົງສາ"])
    name_latin: str = Field(examples=["Somphone Vongsa"])
    badge_name: str
    honorific: str
    organisation: str
    stakeholder_group: StakeholderGroup
    country: str = Field(examples=["LA"])
    participant_role: ParticipantRole
    checkin_code: str = Field(description="What the badge's QR code carries")
    badge_printed_at: datetime | None
    registered_at: datetime
    updated_at: datetime
    email: str | None
    phone: str | None
    position: str | None
    region: str | None
    gender: Gender | None
    languages: list[str] | None
    dietary: Dietary | None
    dietary_notes: str | None
    accessibility_needs: str | None
    needs_visa_letter: bool | None
    travel_support_requested: bool | None
    accommodation_needed: bool | None
    arrival_date: date | None
    departure_date: date | None
    list_publicly: bool | None
    photo_consent: bool | None
    locale: str | None
    answers: dict[str, str | bool | None] | None


class RegistrationPage(BaseModel):
    items: list[RegistrationOut]
    total: int = Field(description="How many registrations match, over every page")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last")


class RegistrationQuery(Strict):
    """The organisers' list filters and search, plus cursor paging and `updated_since` for devices that sync."""

    q: str = Field(default="", max_length=200, description="Search names, organisation and (not for staff) email")
    status: Status | None = None
    stakeholder_group: StakeholderGroup | None = None
    country: str = Field(default="", max_length=2)
    participant_role: ParticipantRole | None = None
    gender: Gender | None = None
    dietary: Dietary | None = None
    needs_visa_letter: bool | None = None
    accessibility_needs: bool | None = None
    badge_printed: bool | None = None
    checked_in: str = Field(default="", max_length=10, description="A day (YYYY-MM-DD), `any` or `none`")
    updated_since: datetime | None = Field(default=None, description="Only registrations changed at or after this")
    cursor: str = Field(default="", max_length=40)
    limit: int = Field(default=50, ge=1, le=200)


class DelegateFields(Strict):
    """The data-dictionary fields a registration is made or edited with."""

    full_name: str = Field(min_length=1, max_length=200, examples=["ສົມພອນ ວົງສາ"])
    name_latin: str = Field(default="", max_length=200, examples=["Somphone Vongsa"],
                            description="Required when full_name has letters of another script (sorting, badges)")
    badge_name: str = Text200
    honorific: str = Field(default="", max_length=40)
    email: str = Field(min_length=3, max_length=254, examples=["somphone@example.org"])
    phone: str = Field(default="", max_length=32, examples=["+856 20 5555 1234"])
    organisation: str = Field(min_length=1, max_length=200, examples=["Lao Migrant Workers Network"])
    position: str = Text200
    stakeholder_group: StakeholderGroup = Field(examples=["ngo"])
    country: str = Field(min_length=2, max_length=2, examples=["LA"])
    region: str = Field(default="", max_length=100)
    gender: Gender | None = None
    languages: list[str] = Field(default_factory=list, max_length=10)
    dietary: Dietary | None = None
    dietary_notes: str = Field(default="", max_length=500)
    accessibility_needs: str = Field(default="", max_length=1000)
    needs_visa_letter: bool = False
    nationality: str = Field(default="", max_length=100)
    passport_number: str = Field(default="", max_length=40)
    date_of_birth: date | None = None
    passport_expiry: date | None = None
    travel_support_requested: bool = False
    accommodation_needed: bool = False
    arrival_date: date | None = None
    departure_date: date | None = None
    list_publicly: bool = False
    photo_consent: bool = False
    locale: str = Field(default="en", max_length=8, examples=["lo"])
    answers: dict[str, str | bool] = Field(default_factory=dict, max_length=50,
                                           description="The event's own questions, by key")


class RegistrationIn(DelegateFields):
    """A new registration, decided by the same rules as the form: capacity, quotas, waiting list, approval."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "full_name": "ສົມພອນ ວົງສາ", "name_latin": "Somphone Vongsa", "email": "somphone@example.org",
        "phone": "+856 20 5555 1234", "organisation": "Lao Migrant Workers Network", "stakeholder_group": "ngo",
        "country": "LA", "languages": ["lo", "th"], "locale": "lo", "data_consent": True,
    }]})

    data_consent: bool = Field(description="The delegate agreed to the event's privacy notice (must be true)",
                               examples=[True])
    invitation_code: str = Field(default="", max_length=64, description="For invitation-only events")


class RegistrationPatch(Strict):
    """Only the fields to change; the others keep their values."""

    full_name: str | None = Field(default=None, min_length=1, max_length=200)
    name_latin: str | None = Field(default=None, max_length=200)
    badge_name: str | None = Field(default=None, max_length=200)
    honorific: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, min_length=3, max_length=254)
    phone: str | None = Field(default=None, max_length=32)
    organisation: str | None = Field(default=None, min_length=1, max_length=200)
    position: str | None = Field(default=None, max_length=200)
    stakeholder_group: StakeholderGroup | None = None
    country: str | None = Field(default=None, min_length=2, max_length=2)
    region: str | None = Field(default=None, max_length=100)
    dietary_notes: str | None = Field(default=None, max_length=500)
    accessibility_needs: str | None = Field(default=None, max_length=1000)
    arrival_date: date | None = None
    departure_date: date | None = None
    answers: dict[str, str | bool] | None = Field(default=None, max_length=50)


class StatusChangeIn(Strict):
    status: Literal["pending", "approved", "waitlisted", "declined", "cancelled"] = Field(examples=["approved"])
    reason: str = Field(default="", max_length=2000, description="Told to the delegate and kept in the history")


class CheckInIn(Strict):
    """Either the badge's code (a scan) or the registration's id (found by name)."""

    badge_code: str | None = Field(default=None, min_length=1, max_length=64,
                                   description="A registration's `checkin_code` (what its badge's QR code carries)")
    registration_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    day: date | None = Field(default=None, description="A day of the event; today in the event's time zone if left out")
    session_id: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                   description="A session of that day (GET …/sessions); the day's own list if left out")


class CheckInOut(BaseModel):
    result: Literal["checked_in", "already"] = Field(description="`already`: checked in before, nothing new recorded")
    registration_id: int
    full_name: str
    day: date
    checked_in_at: datetime


class CheckInRow(BaseModel):
    registration_id: int
    full_name: str
    name_latin: str
    organisation: str
    checked_in_at: datetime
    method: str


class CheckInList(BaseModel):
    day: date
    session_id: int | None
    total: int
    items: list[CheckInRow]


class SessionOut(BaseModel):
    id: int
    day: date
    title: str = Field(examples=["Working group 2: recruitment fees"])
    kind: str = Field(examples=["working_group"], description="plenary or working_group")


class SessionList(BaseModel):
    items: list[SessionOut]


class DayQuery(Strict):
    day: date | None = Field(default=None, description="Today in the event's time zone if left out")
    session_id: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                   description="A session of that day (GET …/sessions); the day's own list if left out")


class QueuedScanIn(Strict):
    code: str = Field(min_length=1, max_length=64)
    at: datetime = Field(description="When the desk scanned it (offline); the earliest time wins")


class BatchIn(Strict):
    day: date | None = None
    session_id: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                   description="A session of that day (GET …/sessions); the day's own list if left out")
    scans: list[QueuedScanIn] = Field(max_length=500)


class BatchResult(BaseModel):
    code: str
    result: Literal["checked_in", "already", "not_approved", "unknown", "revoked"] = Field(
        description="`revoked`: a lost badge's old code (the delegate has a new one); `unknown`: not this event's")
    registration_id: int | None


class BatchOut(BaseModel):
    results: list[BatchResult]


class BadgeQuery(Strict):
    """Which badges: the badges page's filters (approved delegates by default)."""

    status: Status | None = Status.APPROVED
    role: ParticipantRole | None = None
    group: StakeholderGroup | None = None
    day: date | None = None
    not_printed: bool = False
    registration_id: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                        description="One delegate's badge (then the filters are ignored)")
    layout: str = Field(default="a4-8up", max_length=20, examples=["a4-8up"])
