"""Use cases of the list documents: attendee lists, sign-in sheets, certificates and visa letters.

Each function loads the rows (queries.py), renders them into a stream (pure renderers) and keeps the
records: releasing a visa letter stamps the registration and announces it (`visa_letter_released`,
on which mail queues the delegate's email). They
flush and never commit; the CLI command or the view commits once. The same functions serve both.
"""
from __future__ import annotations

import logging
from datetime import date
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from events_app import signals
from events_app.choices import Status
from events_app.documents.data import event_info
from events_app.documents.lists import queries
from events_app.documents.lists.attendees import (
    COLUMNS,
    DEFAULT_COLUMNS,
    GROUP_BY,
    PUBLIC_COLUMNS,
    render_attendee_list,
)
from events_app.documents.lists.certificates import render_certificates
from events_app.documents.lists.letters import render_letters
from events_app.documents.lists.signin import render_signin_sheet
from events_app.documents.records import DocumentReport, EventInfo
from events_app.extensions import db
from events_app.models import utcnow
from events_app.registration.models import Registration

log = logging.getLogger(__name__)


COLUMN_ALIASES = {"role": "participant_role"}  # what organisers tend to type for the data dictionary's name


class DocumentError(ValueError):
    """A document cannot be made as asked; the message says why in one line."""


def _fonts(font_dirs):
    return current_app.config.get("FONT_DIRS", []) if font_dirs is None else font_dirs


def _event(event) -> EventInfo:
    # Lists print no logo: leave the deferred column unloaded.
    return event_info(event, with_logo=False)


def _signed_event(event) -> EventInfo:
    # Visa letters print the signatory's signature.
    return event_info(event, with_logo=False, with_signature=True)


def check_columns(columns, *, public: bool) -> tuple[str, ...]:
    """The attendee-list columns asked for, validated (the public list allows only its own)."""
    keys = tuple(COLUMN_ALIASES.get(k.strip(), k.strip()) for k in (columns or ()) if k and k.strip())
    unknown = [k for k in keys if k not in COLUMNS]
    if unknown:
        raise DocumentError(f"unknown column(s) {', '.join(unknown)}; choose from {', '.join(COLUMNS)}")
    if public and not set(keys) <= set(PUBLIC_COLUMNS):
        hidden = [k for k in keys if k not in PUBLIC_COLUMNS]
        raise DocumentError(f"the public list shows only {', '.join(PUBLIC_COLUMNS)}, not {', '.join(hidden)}")
    return keys


def attendee_list(event, out: BinaryIO, *, public: bool = False, group_by: str = "country", columns=None,
                  as_of: date | None = None, font_dirs=None) -> DocumentReport:
    """Render the event's attendee list (public: only consenting delegates, public columns) into out."""
    if group_by not in GROUP_BY:
        raise DocumentError(f"cannot group by {group_by!r}; choose {' or '.join(GROUP_BY)}")
    keys = check_columns(columns, public=public)
    contact = not public and bool({"email", "phone"} & set(keys or DEFAULT_COLUMNS))
    delegates = queries.delegate_rows(event, public=public, contact=contact)
    return render_attendee_list(_event(event), delegates, out, public=public,
                                group_by=group_by, columns=keys or None, as_of=as_of or event.today(),
                                font_dirs=_fonts(font_dirs))


def parse_day(event, value: str | date) -> date:
    """One of the event's days from YYYY-MM-DD, or DocumentError saying which days there are."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise DocumentError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if value not in event.days:
        raise DocumentError(f"{value.isoformat()} is not a day of {event.slug} "
                            f"(it runs {event.starts_on.isoformat()} to {event.ends_on.isoformat()})")
    return value


def signin_sheet(event, day: str | date, out: BinaryIO, *, blank_rows: int = 5, font_dirs=None) -> DocumentReport:
    """Render the sign-in sheet of one event day into out (approved delegates, Latin-name order)."""
    day = parse_day(event, day)
    delegates = queries.delegate_rows(event)
    return render_signin_sheet(_event(event), day, delegates, out,
                               blank_rows=blank_rows, font_dirs=_fonts(font_dirs))


def certificates(event, out: BinaryIO, *, issued_on: date | None = None, font_dirs=None) -> DocumentReport:
    """Render a certificate for every approved delegate checked in on at least the threshold of days."""
    return render_certificates(_event(event), queries.certificate_rows(event), out,
                               issued_on=issued_on, font_dirs=_fonts(font_dirs))


def visa_letters(event, out: BinaryIO, *, registration_ids=None, released_only: bool = False,
                 issued_on: date | None = None, font_dirs=None) -> DocumentReport:
    """Render the visa letters of approved delegates who asked (optionally only some) into out.

    A released letter keeps the date it was released, so the organisers' copy matches the delegate's;
    the others are dated issued_on (today in the event's time zone by default).
    """
    letters = queries.letter_rows(event, registration_ids=registration_ids, released_only=released_only)
    return render_letters(_signed_event(event), letters, out,
                          issued_on=issued_on or event.today(), font_dirs=_fonts(font_dirs))


def letter_available(registration: Registration) -> bool:
    """Whether the delegate may download their visa letter: approved, asked for it, released."""
    return (registration.status == Status.APPROVED and registration.needs_visa_letter
            and registration.visa_letter_released_at is not None)


def delegate_visa_letter(registration: Registration, out: BinaryIO, *, font_dirs=None) -> DocumentReport:
    """Render one delegate's released letter, dated the day it was released."""
    if not letter_available(registration):
        raise DocumentError("this visa letter has not been released")
    event = registration.event
    row = queries.letter_row(event, registration)
    return render_letters(_signed_event(event), [row], out, issued_on=row.issued_on,
                          font_dirs=_fonts(font_dirs))


UNSIGNED = ("Visa letters cannot be released until the event's settings name their signatory: name, title "
            "and organisation.")


def release_visa_letter(registration: Registration, *, by_user=None) -> bool:
    """Release one delegate's letter and email them; False when it was released already.

    Refused (DocumentError) until the event names the signatory: embassies expect a signed letter.
    """
    if not registration.event.has_signatory:
        raise DocumentError(UNSIGNED)
    if not (registration.status == Status.APPROVED and registration.needs_visa_letter):
        raise DocumentError(f"{registration.name_latin or registration.full_name} is not an approved delegate "
                            "who asked for a visa letter")
    if registration.visa_letter_released_at is not None:
        return False
    registration.visa_letter_released_at = utcnow()
    db.session.flush()
    signals.visa_letter_released.send(registration)
    log.info("visa letter of registration %s released by user %s", registration.id,
             getattr(by_user, "id", None))
    return True


def release_visa_letters(event, *, by_user=None) -> int:
    """Release every approved, asked-for and not yet released letter of the event; returns how many."""
    if not event.has_signatory:
        raise DocumentError(UNSIGNED)
    pending = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.status == Status.APPROVED,
        Registration.needs_visa_letter.is_(True), Registration.visa_letter_released_at.is_(None),
    ).order_by(Registration.sort_name, Registration.id)).all()
    return sum(release_visa_letter(r, by_user=by_user) for r in pending)
