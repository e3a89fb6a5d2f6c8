"""Invitations to invitation-only events: single-use codes, optionally bound to one email."""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from events_app import signals
from events_app.extensions import db
from events_app.models import utcnow
from events_app.registration.models import Invitation
from events_app.registration.validation import FieldError, normalise_email


class InvitationError(ValueError):
    """The invitation cannot be used; the message is shown to the person."""


@dataclass(frozen=True)
class InviteeRow:
    """One invitee as an organiser typed or imported it."""

    email: str
    full_name: str = ""


def parse_invitees(text: str) -> tuple[list[InviteeRow], list[str]]:
    """Lines of 'email' or 'email, name' (or 'name <email>') into rows, and one error per bad line."""
    rows, errors, seen = [], [], set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if "<" in line and line.endswith(">"):
            name, _sep, address = line[:-1].partition("<")
        else:
            address, _sep, name = line.partition(",")
        try:
            email = normalise_email(address)
        except FieldError as error:
            errors.append(_("Line %(n)s: %(error)s", n=number, error=str(error)))
            continue
        if email in seen:
            errors.append(_("Line %(n)s: %(email)s is listed twice.", n=number, email=email))
            continue
        seen.add(email)
        rows.append(InviteeRow(email=email, full_name=name.strip().strip('"')))
    return rows, errors


def invite(event, rows: list[InviteeRow], *, by_user=None, send: bool = True) -> tuple[list[Invitation], list[str]]:
    """Create one invitation per new email (and email it); returns the new ones and the emails skipped."""
    existing = set(db.session.scalars(
        select(func.lower(Invitation.email)).where(Invitation.event_id == event.id, Invitation.email.is_not(None))
    ))
    created, skipped = [], []
    for row in rows:
        if row.email in existing:
            skipped.append(row.email)
            continue
        invitation = Invitation(event_id=event.id, event=event, email=row.email, full_name=row.full_name,
                                created_by_id=getattr(by_user, "id", None))
        db.session.add(invitation)
        created.append(invitation)
        existing.add(row.email)
    db.session.flush()
    if send:
        for invitation in created:
            signals.invitation_created.send(invitation)
    return created, skipped


def open_code(event, *, by_user=None, note: str = "") -> Invitation:
    """A code not bound to an email, for handing out (still single use)."""
    invitation = Invitation(event_id=event.id, event=event, email=None, note=note,
                            created_by_id=getattr(by_user, "id", None))
    db.session.add(invitation)
    db.session.flush()
    return invitation


def find(event, code: str | None) -> Invitation | None:
    """The event's invitation with this code, used or not."""
    code = (code or "").strip()
    if not code or len(code) > 64:
        return None
    return db.session.scalar(select(Invitation).where(Invitation.event_id == event.id, Invitation.code == code))


def check(invitation: Invitation | None, email: str | None = None) -> Invitation:
    """The invitation if it may register `email` now; else InvitationError saying why."""
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid. Please use the link from your invitation email."))
    if invitation.used_at is not None:
        raise InvitationError(_("This invitation has already been used to register."))
    if email and invitation.email and invitation.email.lower() != email.strip().lower():
        raise InvitationError(_("This invitation is for another email address. Please register with the "
                                "address the invitation was sent to."))
    return invitation


def admit(event, code: str | None) -> Invitation | None:
    """The invitation that opens the registration form: None when the event is open to everyone.

    For an invitation-only event, InvitationError when the code is missing, unknown or used.
    """
    if not event.invitation_only:
        return None
    return check(find(event, code))


def bound_email(registration) -> str | None:
    """The email that the invitation this registration used was sent to, if any."""
    return db.session.scalar(select(Invitation.email).where(
        Invitation.registration_id == registration.id, Invitation.email.is_not(None)
    ))


def consume(invitation: Invitation, registration) -> None:
    """Mark the invitation used by this registration (under the event lock)."""
    invitation.used_at = utcnow()
    invitation.registration_id = registration.id
