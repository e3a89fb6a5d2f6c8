"""Export an event's registrations as CSV or XLSX in the data dictionary's columns, plus status and attendance."""
import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from enum import Enum
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import defer

from events_app.attendance.models import CheckIn
from events_app.choices import DELEGATE_FIELDS, VISA_FIELDS, Status
from events_app.extensions import db
from events_app.registration.models import Registration
from events_app.registration.questions import PREFIX

EXTRA_COLUMNS = ("status", "participant_role", "registered_at", "days_attended")
FORMATS = ("csv", "xlsx")
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ...but a plain number such as an E.164 phone (+66812345678) cannot call or reference anything.
PLAIN_NUMBER = re.compile(r"[+-]?\d[\d ().-]*\Z")
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
BATCH = 1000


def export_columns(event, *, include_sensitive: bool = False) -> list[str]:
    """The header: data-dictionary names, status, role, registered_at, the event's questions
    (q_<key>, as in the form), then attendance per event day."""
    fields = [f for f in DELEGATE_FIELDS if include_sensitive or f not in VISA_FIELDS]
    questions = [PREFIX + question.key for question in event.questions]
    return [*fields, *EXTRA_COLUMNS, *questions, *(attended_column(day) for day in event.days)]


def attended_column(day: date) -> str:
    """The attendance column of one event day, e.g. attended_2026-03-10."""
    return f"attended_{day.isoformat()}"


def export_rows(event, *, status: Status | str | None = None, include_sensitive: bool = False) -> Iterator[list]:
    """One list of cell values per registration, in export_columns order, sorted by Latin name.

    Three queries whatever the number of delegates: the questions, the check-ins, the registrations
    (streamed in batches). Passport details are not even loaded unless asked for.
    """
    fields = [f for f in DELEGATE_FIELDS if include_sensitive or f not in VISA_FIELDS]
    days = event.days
    questions = list(event.questions)
    attended = _attendance(event.id, status)
    query = select(Registration).where(Registration.event_id == event.id)
    if status:
        query = query.where(Registration.status == Status(status))
    if not include_sensitive:
        query = query.options(*(defer(getattr(Registration, f), raiseload=True) for f in VISA_FIELDS))
    query = query.order_by(Registration.sort_name, Registration.id).execution_options(yield_per=BATCH)
    for registration in db.session.scalars(query):
        days_in = attended.get(registration.id, set())
        yield [
            *(cell_text(getattr(registration, f)) for f in fields),
            registration.status.value,
            registration.participant_role.value,
            iso_utc(registration.registered_at),
            len(days_in),
            *(_answer_text(question, (registration.answers or {}).get(question.key)) for question in questions),
            *("y" if day in days_in else "" for day in days),
        ]


def _answer_text(question, answer) -> str:
    if question.kind == "yes_no":
        return "" if answer is None else ("yes" if answer else "no")
    return cell_text(answer if answer is not None else "")


def _attendance(event_id: int, status) -> dict[int, set[date]]:
    """{registration id: days checked in} for the whole event, in one query."""
    query = (
        select(CheckIn.registration_id, CheckIn.day)
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(Registration.event_id == event_id)
    )
    if status:
        query = query.where(Registration.status == Status(status))
    days: dict[int, set[date]] = defaultdict(set)
    for registration_id, day in db.session.execute(query):
        days[registration_id].add(day)
    return days


def cell_text(value: Any) -> str:
    """A model value as the importer reads it back: yes/no, codes, ISO dates, space-joined lists."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    return str(value)


def iso_utc(moment: datetime | None) -> str:
    """ISO 8601 in UTC to the second, e.g. 2026-03-01T08:30:00Z."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def neutralise_formula(value: Any) -> Any:
    """Put an apostrophe before text a spreadsheet would run as a formula (=, +, -, @ ...)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def write_csv(stream: IO[str], columns: list[str], rows: Iterable[list]) -> int:
    """Write header and rows as CSV to a text stream; returns the number of rows."""
    writer = csv.writer(stream)
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([neutralise_formula(value) for value in row])
        count += 1
    return count


def write_xlsx(target, columns: list[str], rows: Iterable[list], *, title: str = "Delegates") -> int:
    """Write header and rows to an XLSX file (path or binary stream), streaming; returns the row count."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    sheet.append(columns)
    count = 0
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
        count += 1
    workbook.save(target)
    return count


def _xlsx_value(value: Any) -> Any:
    if value == "":
        return None  # no cell at all: smaller and quicker to write than an empty string
    if isinstance(value, str):
        return neutralise_formula(XLSX_ILLEGAL.sub("", value))
    return value


def export_delegates(event, target, *, fmt: str = "csv", status: Status | str | None = None,
                     include_sensitive: bool = False) -> int:
    """Write the event's registrations to target (a text stream for CSV; a path or binary stream for XLSX)."""
    columns = export_columns(event, include_sensitive=include_sensitive)
    rows = export_rows(event, status=status, include_sensitive=include_sensitive)
    if fmt == "xlsx":
        return write_xlsx(target, columns, rows)
    if fmt == "csv":
        return write_csv(target, columns, rows)
    raise ValueError(f"unknown export format {fmt!r} (use {' or '.join(FORMATS)})")
