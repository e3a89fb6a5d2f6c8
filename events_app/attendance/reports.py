"""Who came on which day and to which session: the table, no-shows, CSV/XLSX, and paper sign-in sheets entered later."""
import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import exists, or_, select

from events_app.attendance.models import CheckIn, EventSession, SessionCheckIn
from events_app.attendance.services import arrivals, check_in, sessions_of
from events_app.choices import Status
from events_app.extensions import db
from events_app.registration.models import Registration

SPREADSHEET_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Attendee:
    """One delegate and the time they were checked in on each day (None: not that day)."""

    registration: Registration
    arrived: dict[date, datetime] = field(default_factory=dict)
    at_sessions: dict[int, datetime] = field(default_factory=dict)

    @property
    def days_attended(self) -> int:
        """On how many days they came."""
        return len(self.arrived)


def attendance(event) -> list[Attendee]:
    """Every approved delegate, and anyone checked in whatever their status now, by name; three queries."""
    came = exists().where(CheckIn.registration_id == Registration.id)
    people = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id,
                                   or_(Registration.status == Status.APPROVED, came))
        .order_by(Registration.sort_name, Registration.id)
    ).all()
    by_id = {person.id: Attendee(person) for person in people}
    for registration_id, day, at in db.session.execute(
        select(CheckIn.registration_id, CheckIn.day, CheckIn.checked_in_at)
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(Registration.event_id == event.id)
    ):
        if registration_id in by_id:
            by_id[registration_id].arrived[day] = at
    for registration_id, session_id, at in db.session.execute(
        select(SessionCheckIn.registration_id, SessionCheckIn.session_id, SessionCheckIn.checked_in_at)
        .join(EventSession, EventSession.id == SessionCheckIn.session_id).where(EventSession.event_id == event.id)
    ):
        if registration_id in by_id:
            by_id[registration_id].at_sessions[session_id] = at
    return list(by_id.values())


def day_totals(event, attendees: list[Attendee]) -> list[dict]:
    """Per day: expected (approved), checked in, and the no-shows (approved, not checked in)."""
    approved = [a for a in attendees if a.registration.status == Status.APPROVED]
    return [{"day": day, "expected": len(approved),
             "checked_in": sum(1 for a in attendees if day in a.arrived),
             "no_shows": [a.registration for a in approved if day not in a.arrived]}
            for day in event.days]


def table(event, attendees: list[Attendee]) -> tuple[list[str], list[list]]:
    """The export's columns and rows: the delegate, each day's and each session's arrival time (event's zone)."""
    zone = event.tz
    sessions = sessions_of(event.id)

    def clock(at):
        return at.astimezone(zone).strftime("%H:%M") if at else ""

    columns = ["Name", "Name (Latin)", "Organisation", "Stakeholder group", "Country", "Status",
               *(day.isoformat() for day in event.days), *(f"{s.day.isoformat()} {s.title}" for s in sessions),
               "Days attended"]
    rows = []
    for a in attendees:
        r = a.registration
        rows.append([r.full_name, r.name_latin, r.organisation, r.stakeholder_group.label, r.country, r.status.label,
                     *(clock(a.arrived.get(day)) for day in event.days),
                     *(clock(a.at_sessions.get(s.id)) for s in sessions), a.days_attended])
    return columns, rows


def _cell(value):
    # Text a spreadsheet would run as a formula is written as text.
    if isinstance(value, str) and value.startswith(SPREADSHEET_FORMULA):
        return "'" + value
    return value


def as_csv(columns: list[str], rows: list[list]) -> bytes:
    """The table as UTF-8 CSV (with a byte-order mark, so spreadsheets read Khmer or Lao names right)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(columns: list[str], rows: list[list], *, title: str = "Attendance") -> bytes:
    """The table as an XLSX workbook."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(columns)
    for row in rows:
        sheet.append([_cell(value) if value != "" else None for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def not_yet_in(event, day: date, session: EventSession | None = None) -> list[Registration]:
    """Approved delegates not checked in on that day (or at that session), by name: the sign-in sheet's list."""
    arrival, joined = arrivals(day, session)
    came = exists().where(joined)
    return list(db.session.scalars(
        select(Registration).where(Registration.event_id == event.id, Registration.status == Status.APPROVED,
                                   ~came).order_by(Registration.sort_name, Registration.id)
    ))


def mark_attended(event, registration_ids: list[int], *, day: date, by_user=None,
                  session: EventSession | None = None) -> int:
    """Record the ticked names of a paper sign-in sheet (a day's or a session's); returns how many were new."""
    people = db.session.scalars(select(Registration).where(Registration.event_id == event.id,
                                                           Registration.id.in_(registration_ids))).all()
    return sum(check_in(person, day=day, by_user=by_user, method="sheet", session=session).result == "checked_in"
               for person in people)
