"""Export an event's registrations as CSV or XLSX in the data dictionary's columns, plus status and attendance."""
import csv
import io
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from enum import Enum
from typing import IO, Any

from sqlalchemy import Select, select

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


def export_rows(event, *, status: Status | str | None = None, include_sensitive: bool = False,
                columns: list[str] | None = None, only: Select | None = None) -> Iterator[list]:
    """One list of cell values per registration, in `columns` order (export_columns by default), sorted by
    Latin name; `only` (a SELECT of registration ids) narrows them to a selection or a list's filter.

    Three queries whatever the number of delegates: the questions, the check-ins, the registrations
    (streamed in batches). Passport details are not even loaded unless a column asks for them.
    """
    allowed = export_columns(event, include_sensitive=include_sensitive)
    columns = allowed if columns is None else columns
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        raise ValueError(f"unknown export columns: {', '.join(unknown)}")
    cells = _cell_readers(event, columns)
    # Plain rows of the needed columns, not ORM objects: loading the objects took half the export's time,
    # and passport details are not even read unless a column asks for them.
    needed = sorted({c for c in columns if c in Registration.__table__.c} | {"answers"})
    query = select(Registration.id, *(getattr(Registration, c) for c in needed)).where(
        Registration.event_id == event.id)
    if status:
        query = query.where(Registration.status == Status(status))
    if only is not None:
        query = query.where(Registration.id.in_(only))
    attended = _attendance(event.id, query) if any(c.startswith(("attended_", "days_")) for c in columns) else {}
    query = query.order_by(Registration.sort_name, Registration.id).execution_options(yield_per=BATCH)
    for registration in db.session.execute(query):
        days_in = attended.get(registration.id, set())
        yield [cell(registration, days_in) for cell in cells]


def _cell_readers(event, columns: list[str]) -> list:
    """For each column, a function (registration, days attended) -> the cell's value."""
    answers = {PREFIX + question.key: question for question in event.questions}
    days = {attended_column(day): day for day in event.days}
    extra = {
        "status": lambda r, _days: r.status.value,
        "participant_role": lambda r, _days: r.participant_role.value,
        "registered_at": lambda r, _days: iso_utc(r.registered_at),
        "days_attended": lambda _r, days_in: len(days_in),
    }

    def reader(column: str):
        if column in extra:
            return extra[column]
        if column in answers:
            question = answers[column]
            return lambda r, _days: _answer_text(question, (r.answers or {}).get(question.key))
        if column in days:
            day = days[column]
            return lambda _r, days_in: "y" if day in days_in else ""
        return lambda r, _days: cell_text(getattr(r, column))

    return [reader(column) for column in columns]


def _answer_text(question, answer) -> str:
    if question.kind == "yes_no":
        return "" if answer is None else ("yes" if answer else "no")
    return cell_text(answer if answer is not None else "")


def _attendance(event_id: int, registrations: Select) -> dict[int, set[date]]:
    """{registration id: days checked in} for the exported registrations, in one query."""
    query = (
        select(CheckIn.registration_id, CheckIn.day)
        .where(CheckIn.registration_id.in_(registrations.with_only_columns(Registration.id)))
    )
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
    return _write_rows(writer, rows)


def csv_chunks(columns: list[str], rows: Iterable[list], *, rows_per_chunk: int = BATCH) -> Iterator[str]:
    """The CSV text of write_csv in pieces of `rows_per_chunk` rows, for a streamed download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    rows = iter(rows)
    while True:
        count = _write_rows(writer, itertools.islice(rows, rows_per_chunk))
        yield buffer.getvalue()
        if count < rows_per_chunk:
            return
        buffer.seek(0)
        buffer.truncate()


def _write_rows(writer, rows: Iterable[list]) -> int:
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
                     include_sensitive: bool = False, columns: list[str] | None = None,
                     only: Select | None = None) -> int:
    """Write the event's registrations to target (a text stream for CSV; a path or binary stream for XLSX);
    `columns` and `only` as for export_rows. Returns the number of rows."""
    columns = columns or export_columns(event, include_sensitive=include_sensitive)
    rows = export_rows(event, status=status, include_sensitive=include_sensitive, columns=columns, only=only)
    if fmt == "xlsx":
        return write_xlsx(target, columns, rows)
    if fmt == "csv":
        return write_csv(target, columns, rows)
    raise ValueError(f"unknown export format {fmt!r} (use {' or '.join(FORMATS)})")
