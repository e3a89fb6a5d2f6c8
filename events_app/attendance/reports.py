"""Who came on which day: the attendance table, no-shows, its CSV/XLSX, and a paper sign-in sheet entered later."""
import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import exists, or_, select

from events_app.attendance.models import CheckIn
from events_app.attendance.services import check_in
from events_app.choices import Status
from events_app.extensions import db
from events_app.registration.models import Registration

SPREADSHEET_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Attendee:
    """One delegate and the time they were checked in on each day (None: not that day)."""

    registration: Registration
    arrived: dict[date, datetime] = field(default_factory=dict)

    @property
    def days_attended(self) -> int:
        """On how many days they came."""
        return len(self.arrived)


def attendance(event) -> list[Attendee]:
    """Every approved delegate, and anyone checked in whatever their status now, by name; two queries."""
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
    return list(by_id.values())


def day_totals(event, attendees: list[Attendee]) -> list[dict]:
    """Per day: expected (approved), checked in, and the no-shows (approved, not checked in)."""
    approved = [a for a in attendees if a.registration.status == Status.APPROVED]
    return [{"day": day, "expected": len(approved),
             "checked_in": sum(1 for a in attendees if day in a.arrived),
             "no_shows": [a.registration for a in approved if day not in a.arrived]}
            for day in event.days]


def table(event, attendees: list[Attendee]) -> tuple[list[str], list[list]]:
    """The export's columns and rows: the delegate, then each day's arrival time in the event's zone."""
    zone = event.tz
    columns = ["Name", "Name (Latin)", "Organisation", "Stakeholder group", "Country", "Status",
               *(day.isoformat() for day in event.days), "Days attended"]
    rows = []
    for a in attendees:
        r = a.registration
        rows.append([r.full_name, r.name_latin, r.organisation, r.stakeholder_group.label, r.country, r.status.label,
                     *(a.arrived[day].astimezone(zone).strftime("%H:%M") if day in a.arrived else ""
                       for day in event.days),
                     a.days_attended])
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


def not_yet_in(event, day: date) -> list[Registration]:
    """Approved delegates not checked in on that day, by name: the bulk sign-in sheet's list."""
    came = exists().where(CheckIn.registration_id == Registration.id, CheckIn.day == day)
    return list(db.session.scalars(
        select(Registration).where(Registration.event_id == event.id, Registration.status == Status.APPROVED,
                                   ~came).order_by(Registration.sort_name, Registration.id)
    ))


def mark_attended(event, registration_ids: list[int], *, day: date, by_user=None) -> int:
    """Record the ticked names of a paper sign-in sheet for that day; returns how many were newly checked in."""
    people = db.session.scalars(select(Registration).where(Registration.event_id == event.id,
                                                           Registration.id.in_(registration_ids))).all()
    return sum(check_in(person, day=day, by_user=by_user, method="sheet").result == "checked_in" for person in people)
