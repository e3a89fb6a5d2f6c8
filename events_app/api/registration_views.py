"""Registrations: the list (the organisers' filters, cursor pages), one, create, edit, change status."""
import base64
import binascii
from datetime import UTC, date

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select

from events_app.api import delegate_input
from events_app.api.errors import ApiError
from events_app.api.presenters import registration_json
from events_app.api.requests import bounded_id, bp, current_user, event_for, sees_contacts
from events_app.api.schemas import (
    ErrorBody,
    RegistrationIn,
    RegistrationOut,
    RegistrationPage,
    RegistrationPatch,
    RegistrationQuery,
    StatusChangeIn,
)
from events_app.api.spec import operation, responses
from events_app.choices import EventRole, Status
from events_app.events.access import TEAM_ROLES
from events_app.extensions import db
from events_app.manage.services import ANY_DAY, NOT_CHECKED_IN, ListCriteria, matching
from events_app.registration import invitations, lifecycle
from events_app.registration import services as registration_services
from events_app.registration.models import Registration

# Filters the staff's list does not offer either (SECURITY.md: who sees what); their search skips emails.
STAFF_REFUSED_FILTERS = ("gender", "dietary", "needs_visa_letter", "accessibility_needs")


class IdempotencyHeaders(BaseModel):
    """Send the same Idempotency-Key again (a retry after a lost answer) to get the same registration back."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    idempotency_key: str | None = Field(default=None, alias="Idempotency-Key", min_length=1, max_length=200)


def _registration(event, registration_id: int) -> Registration:
    found = db.session.scalar(select(Registration).where(Registration.id == bounded_id(registration_id),
                                                         Registration.event_id == event.id))
    if found is None:
        raise ApiError(404, "No such registration at this event.")
    return found


def _answer(event, registration: Registration, status: int = 200):
    return registration_json(registration, contacts=sees_contacts(event)), status


@bp.get("/events/<slug>/registrations")
@operation(query=RegistrationQuery, resp=responses(HTTP_200=RegistrationPage), tags=["registrations"],
           operation_id="listRegistrations")
def list_registrations(slug: str, query: RegistrationQuery):
    """The event's registrations with the organisers' list filters and search, oldest first, page by page.

    `total` counts every match; follow `next_cursor` until it is null. A device that syncs passes
    `updated_since` (the time of its last sync) to get only what changed.
    """
    event = event_for(slug, "read", *TEAM_ROLES)
    contacts = sees_contacts(event)
    refused = [] if contacts else [name for name in STAFF_REFUSED_FILTERS if getattr(query, name) is not None]
    if refused:
        raise ApiError(403, "Staff tokens filter by what the desk and printing need only.", code="role",
                       fields={name: ["Not available to staff."] for name in refused})
    selected = matching(event.id, _criteria(query, search_email=contacts))
    if query.updated_since is not None:
        since = query.updated_since if query.updated_since.tzinfo else query.updated_since.replace(tzinfo=UTC)
        selected = selected.where(Registration.updated_at >= since)
    total = db.session.scalar(select(func.count()).select_from(
        selected.with_only_columns(Registration.id).subquery())) or 0
    after = _decode_cursor(query.cursor)
    rows = db.session.scalars(selected.where(Registration.id > after).order_by(Registration.id)
                              .limit(query.limit + 1)).all()
    more = len(rows) > query.limit
    rows = rows[:query.limit]
    return {"items": [registration_json(row, contacts=contacts) for row in rows], "total": total,
            "next_cursor": _encode_cursor(rows[-1].id) if more else None}


def _criteria(query: RegistrationQuery, *, search_email: bool) -> ListCriteria:
    day = query.checked_in.strip().lower() or None
    if day not in (None, ANY_DAY, NOT_CHECKED_IN):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            raise ApiError(422, "Some fields are not valid.",
                           fields={"checked_in": ["A day (YYYY-MM-DD), `any` or `none`."]}) from None
    return ListCriteria(q=query.q, status=query.status, stakeholder_group=query.stakeholder_group,
                        country=query.country.upper(), participant_role=query.participant_role, gender=query.gender,
                        dietary=query.dietary, needs_visa_letter=query.needs_visa_letter,
                        accessibility_needs=query.accessibility_needs, badge_printed=query.badge_printed,
                        checked_in=day, search_email=search_email)


def _encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"r{last_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if text[:1] != "r" or not text[1:].isdigit():
            raise ValueError(cursor)
        return int(text[1:])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ApiError(400, "This cursor is not one the API gave.", code="bad_cursor",
                       fields={"cursor": ["Use next_cursor from the previous page."]}) from None


@bp.get("/events/<slug>/registrations/<int:registration_id>")
@operation(resp=responses(HTTP_200=RegistrationOut), tags=["registrations"], operation_id="getRegistration")
def get_registration(slug: str, registration_id: int):
    """One registration (no email or phone for staff tokens)."""
    event = event_for(slug, "read", *TEAM_ROLES)
    return _answer(event, _registration(event, registration_id))


@bp.post("/events/<slug>/registrations")
@operation(json=RegistrationIn, headers=IdempotencyHeaders,
           resp=responses(HTTP_201=RegistrationOut, HTTP_200=RegistrationOut, HTTP_409=ErrorBody),
           tags=["registrations"], operation_id="createRegistration")
def create_registration(slug: str, json: RegistrationIn, headers: IdempotencyHeaders):
    """Register a delegate by the form's rules: approval, capacity, quotas, waiting list, invitation codes.

    201 with the new registration (its `status` says approved, pending or waitlisted); 200 with the
    same registration when the Idempotency-Key was sent before; 409 `duplicate` when the email is
    already registered (the delegate is emailed their link again), 409 `registration_closed`.
    """
    event = event_for(slug, "write", EventRole.ORGANISER)
    try:
        invitation = invitations.admit(event, json.invitation_code)
    except invitations.InvitationError as error:
        raise ApiError(422, str(error), fields={"invitation_code": [str(error)]}) from None
    data = delegate_input.new_delegate(event, json.model_dump())
    key = delegate_input.submission_key(current_user().id, headers.idempotency_key)
    try:
        outcome = registration_services.register_online(event, data, submission_key=key, invitation=invitation)
    except invitations.InvitationError as error:
        raise ApiError(422, str(error), fields={"invitation_code": [str(error)]}) from None
    except registration_services.RegistrationClosed as closed:
        raise ApiError(409, f"Registration is not open ({closed.state}).", code="registration_closed") from None
    if outcome.why_existing == "email":
        db.session.commit()  # the existing delegate is emailed their link, as the form does
        raise ApiError(409, "This email is already registered for this event; the delegate was sent their link.",
                       code="duplicate", fields={"email": ["Already registered for this event."]})
    db.session.commit()
    return _answer(event, outcome.registration, 201 if outcome.created else 200)


@bp.patch("/events/<slug>/registrations/<int:registration_id>")
@operation(json=RegistrationPatch, resp=responses(HTTP_200=RegistrationOut, HTTP_409=ErrorBody),
           tags=["registrations"], operation_id="updateRegistration")
def update_registration(slug: str, registration_id: int, json: RegistrationPatch):
    """Change a delegate's details as an organiser: same checks as the form; the place is decided again."""
    event = event_for(slug, "write", EventRole.ORGANISER)
    registration = _registration(event, registration_id)
    data = delegate_input.changed_delegate(event, registration, json.model_dump(exclude_unset=True))
    try:
        registration_services.update_details(registration, data, actor="organiser", by_user=current_user())
    except registration_services.EmailTaken:
        raise ApiError(409, "Another registration for this event uses this email address.", code="duplicate",
                       fields={"email": ["Another registration for this event uses this email address."]}) from None
    db.session.commit()
    return _answer(event, registration)


@bp.post("/events/<slug>/registrations/<int:registration_id>/status")
@operation(json=StatusChangeIn, resp=responses(HTTP_200=RegistrationOut, HTTP_409=ErrorBody),
           tags=["registrations"], operation_id="changeRegistrationStatus")
def change_registration_status(slug: str, registration_id: int, json: StatusChangeIn):
    """Approve, decline, waitlist, cancel or reopen, with a reason the delegate is told.

    Approving into a full event waitlists instead where the event allows (the answer's `status`
    says so); otherwise 409 `full`. A move the rules refuse is 409 `transition`.
    """
    event = event_for(slug, "write", EventRole.ORGANISER)
    registration = _registration(event, registration_id)
    try:
        lifecycle.change_status(registration, Status(json.status), by_user=current_user(), reason=json.reason)
    except lifecycle.TransitionError as error:
        # An allowed move refused all the same was refused for want of a place.
        full = Status(json.status) in lifecycle.ALLOWED.get(registration.status, ())
        raise ApiError(409, str(error), code="full" if full else "transition") from None
    db.session.commit()
    return _answer(event, registration)
