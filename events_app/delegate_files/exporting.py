"""Export an event's registrations as CSV or XLSX in the data dictionary's columns, plus status and attendance."""
import csv
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from enum import Enum
from operator import itemgetter
from typing import IO, Any

from sqlalchemy import JSON, Boolean, Date, Select, String, Text, case, cast, func, null, select, type_coerce
from sqlalchemy import Enum as SAEnum

from events_app.attendance.models import CheckIn
from events_app.choices import DELEGATE_FIELDS, VISA_FIELDS, Status
from events_app.extensions import db
from events_app.models import EncryptedString, UTCDateTime
from events_app.registration.models import OptionalChoice, Registration
from events_app.registration.questions import PREFIX

EXTRA_COLUMNS = ("status", "participant_role", "registered_at", "days_attended")
FORMATS = ("csv", "xlsx")
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ...but a plain number such as an E.164 phone (+66812345678) cannot call or reference anything.
PLAIN_NUMBER = re.compile(r"[+-]?\d[\d ().-]*\Z")
# Where csv.writer's text (",", minimal quoting, "\r\n") may hold a cell neutralise_formula would change: a cell
# starts a line or follows a comma, quoted ('"' first: it holds a comma, quote or line break, so is never a plain
# number) or not (then it ends at the next comma or line end). It may also match inside a quoted cell: harmless.
CSV_FORMULA_CELL = re.compile(r'(?:^|,)(?:"[=+\-@\t\r]|[=@\t]|[+-](?!\d[\d ().-]*(?:,|\r?$)))', re.MULTILINE)
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

    Two statements whatever the number of delegates: the questions, then the registrations (streamed in
    batches) with their attendance. Passport details are not even loaded unless a column asks for them.
    """
    columns = _checked(event, columns, include_sensitive)
    # One SELECT of plain values, most of them already the cell's text (enum codes, "yes"/"no", attendance
    # "y"): no ORM object per row, and Python touches only the cells that need it (dates, lists, answers).
    # The XLSX export reads these; the CSV export has the database join each row's cells (export_csv).
    cells = _Cells(event)
    values = [cells.expression(column) for column in columns]
    query = _narrowed(select(*values, *cells.extra), event, status, only)
    width, fixes = len(columns), [(i, fix) for i, fix in enumerate(cells.fixes) if fix is not None]
    result = db.session.connection().execute(query.execution_options(yield_per=BATCH))
    for batch in result.partitions():
        for record in batch:
            row = list(record[:width])
            for i, fix in fixes:
                row[i] = fix(record)
            yield row


def export_csv(event, *, status: Status | str | None = None, include_sensitive: bool = False,
               columns: list[str] | None = None, only: Select | None = None,
               rows_per_chunk: int = BATCH) -> Iterator[str]:
    """The CSV text of export_rows (header first, formulas neutralised) in pieces of `rows_per_chunk` rows,
    for a streamed download; `columns` and `only` as for export_rows."""
    for text, _count in _export_csv_pieces(event, status, include_sensitive, columns, only, rows_per_chunk):
        yield text


def _export_csv_pieces(event, status, include_sensitive: bool, columns: list[str] | None, only: Select | None,
                       rows_per_chunk: int) -> Iterator[tuple[str, int]]:
    """(CSV text, its row count): the database writes each row's cells as one text (csv_lines), so Python
    does not handle each cell, and the text is csv.writer's of export_rows. Passports are decrypted in
    Python: an export with them is written cell by cell."""
    from events_app.delegate_files import csv_lines

    columns = _checked(event, columns, include_sensitive)
    query = csv_lines.line_query(_Cells(event), columns)
    if query is None:
        rows = export_rows(event, status=status, include_sensitive=include_sensitive, columns=columns, only=only)
        yield from _csv_pieces(columns, rows, rows_per_chunk)
        return
    buffer = io.StringIO()
    csv.writer(buffer).writerow(columns)
    yield buffer.getvalue(), 0
    writer = csv_lines.new_writer()
    for batch in csv_lines.lines_in_batches(_narrowed(query, event, status, only), rows_per_chunk):

        def read_again(i: int, batch=batch) -> list:  # a line whose cells cannot be split apart
            (row,) = export_rows(event, include_sensitive=include_sensitive, columns=columns,
                                 only=select(Registration.id).where(Registration.id == batch[i][1]))
            return row

        yield csv_lines.csv_text(list(map(itemgetter(0), batch)), len(columns), writer, read_again), len(batch)


def _checked(event, columns: list[str] | None, include_sensitive: bool) -> list[str]:
    allowed = export_columns(event, include_sensitive=include_sensitive)
    if columns is None:
        return allowed
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        raise ValueError(f"unknown export columns: {', '.join(unknown)}")
    return columns


def _narrowed(query: Select, event, status, only: Select | None) -> Select:
    """The query for the event's registrations (of one status, among `only`), in the export's order."""
    query = query.where(Registration.event_id == event.id)
    if status:
        query = query.where(Registration.status == Status(status))
    if only is not None:
        query = query.where(_only_criteria(only))
    return query.order_by(Registration.sort_name, Registration.id)


def _only_criteria(only: Select):
    """`only`'s own WHERE when it selects ids straight from the registrations (the list's filters, ticked
    ids: the same rows), else `id IN (only)`: SQLite built a table of the 10,000 ids of a whole event's
    export to look each row up in (30-45 ms, a fifth of the CSV download)."""
    columns = list(only.selected_columns)
    plain = (len(columns) == 1 and columns[0].compare(Registration.__table__.c.id) and only.whereclause is not None
             and only.get_final_froms() == [Registration.__table__] and only._limit_clause is None
             and only._offset_clause is None and not only._group_by_clauses and not only._having_criteria
             and not only._distinct)
    return only.whereclause if plain else Registration.id.in_(only)


class _Cells:
    """The SQL expression of each export column, and for some a fix in Python (record -> cell value)."""

    def __init__(self, event):
        self.questions = {PREFIX + question.key: question for question in event.questions}
        self.days = {attended_column(day): day for day in event.days}
        self.first_day = event.starts_on
        self.fixes: list = []  # one per cell: None (the value as selected) or fix(record)
        self.extra: list = []  # selected after the cells: the answers, last, when a question is asked for

    def expression(self, column: str):
        position, fix = len(self.fixes), None
        if column in self.questions:
            question, expression, self.extra = self.questions[column], null(), [Registration.answers]
            fix = lambda record: _answer_text(question, (record[-1] or {}).get(question.key))  # noqa: E731
        elif column in self.days or column == "days_attended":
            expression = self.attendance(column)
        else:
            expression, convert = column_cell(Registration.__table__.c[column])
            if convert is not None:
                fix = lambda record: convert(record[position])  # noqa: E731
        self.fixes.append(fix)
        return expression.label(f"c{position}")

    def attendance(self, column: str):
        """days_attended (a count) or attended_DAY ("y" or "")."""
        if column == "days_attended":
            return select(func.count(CheckIn.id)).where(CheckIn.registration_id == Registration.id).scalar_subquery()
        return case((attended_on(self.days[column]), "y"), else_="")


def attended_on(day: date):
    """The registration has a check-in on this day (an EXISTS over its check-ins)."""
    return select(CheckIn.id).where(CheckIn.registration_id == Registration.id, CheckIn.day == day).exists()


def column_cell(column, *, null_as_empty: bool = True) -> tuple[Any, Any]:
    """(SQL expression, Python conversion or None) giving cell_text of a registrations column's value.

    The database writes most cells' text itself, the same on SQLite and PostgreSQL: Python then has
    no date, time or enum to build and convert for each row. null_as_empty=False leaves a NULL as it is,
    for SQLite's printf, which writes it as "" itself (a coalesce a cell cost a function call a row).
    """
    kind, postgresql = column.type, db.engine.dialect.name == "postgresql"
    if isinstance(kind, EncryptedString):
        return column, _text_or_empty  # decrypted in Python, and only when asked for
    if isinstance(kind, JSON):  # a list, e.g. languages: its JSON text, space-joined in Python
        return cast(column, Text), _joined_list
    if isinstance(kind, OptionalChoice | SAEnum | String):  # stored as the code a cell shows ("" or NULL: none)
        text = type_coerce(column, String)
    elif isinstance(kind, Boolean):
        text = case((column, "yes"), else_="no")
    elif isinstance(kind, UTCDateTime):  # iso_utc: 2026-03-01T08:30:00Z (seconds cut, not rounded)
        text = (func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') if postgresql
                else func.substr(column, 1, 10) + "T" + func.substr(column, 12, 8) + "Z")  # SQLite's stored text
    elif isinstance(kind, Date):
        text = func.to_char(column, "YYYY-MM-DD") if postgresql else type_coerce(column, String)
    else:
        return column, cell_text
    return (func.coalesce(text, "") if column.nullable and null_as_empty else text), None


def _joined_list(text: str) -> str:
    return " ".join(map(str, json.loads(text)))


def _text_or_empty(value: str | None) -> str:
    return "" if value is None else value


def _answer_text(question, answer) -> str:
    if question.kind == "yes_no":
        return "" if answer is None else ("yes" if answer else "no")
    return cell_text(answer if answer is not None else "")


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
    count = 0
    for text, rows_in_text in _csv_pieces(columns, rows, BATCH):
        stream.write(text)
        count += rows_in_text
    return count


def csv_chunks(columns: list[str], rows: Iterable[list], *, rows_per_chunk: int = BATCH) -> Iterator[str]:
    """The CSV text of write_csv in pieces of `rows_per_chunk` rows, for a streamed download."""
    for text, _count in _csv_pieces(columns, rows, rows_per_chunk):
        yield text


def _csv_pieces(columns: list[str], rows: Iterable[list], rows_per_chunk: int) -> Iterator[tuple[str, int]]:
    """(CSV text, its row count) for every `rows_per_chunk` rows, the header first, formulas neutralised.

    Each piece is written as it is, then searched for a cell that might be a formula; only a piece
    with one is written again cell by cell through neutralise_formula (checking every cell in Python
    was a third of a large export's time).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    rows = iter(rows)
    while True:
        batch = list(itertools.islice(rows, rows_per_chunk))
        start = buffer.tell()
        writer.writerows(batch)
        if CSV_FORMULA_CELL.search(buffer.getvalue(), start):
            buffer.seek(start)
            buffer.truncate()
            writer.writerows([neutralise_formula(value) for value in row] for row in batch)
        yield buffer.getvalue(), len(batch)
        if len(batch) < rows_per_chunk:
            return
        buffer.seek(0)
        buffer.truncate()


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
    if fmt == "xlsx":
        return write_xlsx(target, columns, export_rows(event, status=status, include_sensitive=include_sensitive,
                                                        columns=columns, only=only))
    if fmt == "csv":
        count = 0
        for text, rows in _export_csv_pieces(event, status, include_sensitive, columns, only, BATCH):
            target.write(text)
            count += rows
        return count
    raise ValueError(f"unknown export format {fmt!r} (use {' or '.join(FORMATS)})")
