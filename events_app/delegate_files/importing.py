"""Import delegates from a CSV or XLSX table: every row through the web form's rules, all rows or none."""
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask_babel import force_locale
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, SelectMultipleField

from events_app.choices import DELEGATE_FIELDS, LANGUAGE_CODES, VISA_FIELDS, ParticipantRole, parse_boolean
from events_app.extensions import db
from events_app.registration import services
from events_app.registration.forms import RegistrationForm
from events_app.registration.models import Registration
from events_app.registration.questions import PREFIX, add_question_fields

REQUIRED_COLUMNS = ("full_name", "email", "organisation", "stakeholder_group", "country")
# Set by organisers, so an organiser's import may set it too (the web form may not).
ORGANISER_COLUMNS = ("participant_role",)
ROLES = tuple(role.value for role in ParticipantRole)
IMPORT_COLUMNS = (*DELEGATE_FIELDS, *ORGANISER_COLUMNS)
# Columns our own export adds that describe the source event: read past, never imported.
EXPORT_ONLY_COLUMNS = ("status", "registered_at", "days_attended")
ATTENDED_COLUMN = re.compile(r"attended_\d{4}-\d{2}-\d{2}\Z")


def _fields_of_kind(kind) -> frozenset[str]:
    # Read from the form itself, so a field the form adds is parsed the right way here too.
    return frozenset(n for n in DELEGATE_FIELDS if issubclass(getattr(RegistrationForm, n).field_class, kind))


BOOLEAN_FIELDS = _fields_of_kind(BooleanField)
LIST_FIELDS = _fields_of_kind(SelectMultipleField)
UPPER_CASE_FIELDS = frozenset({"country"})
LOWER_CASE_FIELDS = frozenset({"stakeholder_group", "gender", "dietary", "languages", "locale", "participant_role"})
# An apostrophe our export put before = + - @ (formula-injection guard) is taken off again.
ESCAPED_FORMULA = re.compile(r"\A'(?=[=+\-@\t\r])")

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


class TableError(ValueError):
    """The file as a whole cannot be imported (unreadable, empty, wrong columns); one line says why."""


@dataclass(frozen=True)
class RowError:
    """One problem in one row: the spreadsheet's row number (header is row 1) and the column."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, {self.column}" if self.column else f"row {self.row}"
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    """What an import did, or would do with dry_run: counts, skipped rows, notices and row errors."""

    dry_run: bool
    rows: int = 0
    created: list[Registration] = field(default_factory=list)
    would_create: int = 0
    already_registered: list[str] = field(default_factory=list)  # one notice line per skipped row
    notices: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new(self) -> int:
        return self.would_create if self.dry_run else len(self.created)

    def summary(self, event_slug: str) -> str:
        """One line for the organiser."""
        skipped = len(self.already_registered)
        if self.dry_run:
            return (f"Dry run for {event_slug}: {self.rows} rows valid; would register {self.new} new, "
                    f"{skipped} already registered; nothing written.")
        return f"Imported into {event_slug}: {self.new} new delegates, {skipped} already registered (skipped)."


# --- reading a file -------------------------------------------------------------------------

def read_table(path: str | Path) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file as {column: text}, columns checked against the data dictionary.

    Every data row is returned, blank ones included, so that row i is spreadsheet row i + 2.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise TableError(f"no such file: {path}") from error
    except IsADirectoryError as error:
        raise TableError(f"{path} is a directory, not a CSV or XLSX file") from error
    except OSError as error:
        raise TableError(f"cannot read {path}: {error.strerror or error}") from error
    if not data.strip():
        raise TableError(f"{path} is empty")
    if data.startswith(XLS_MAGIC):
        raise TableError(f"{path} is an old Excel .xls workbook: save it as .xlsx or CSV (UTF-8)")
    if data.startswith(XLSX_MAGIC):
        cells = _xlsx_cells(data, path)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        raise TableError(f"{path} is not a readable XLSX workbook")
    else:
        cells = _csv_cells(data, path)
    return _as_rows(cells, path)


def _xlsx_cells(data: bytes, path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise TableError(f"{path} is not a readable XLSX workbook") from error
    try:
        return [[_cell_text(value) for value in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_cells(data: bytes, path: Path) -> list[list[str]]:
    text = decode_csv(data, path)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # Excel in some locales saves with ";"
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise TableError(f"{path} is not a well-formed CSV file: {error}") from error


def decode_csv(data: bytes, path: Path | str = "the file") -> str:
    """CSV text: UTF-8 with or without BOM; UTF-16 (BOM, or NUL bytes); cp1252 when UTF-8 fails."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", path)
    if b"\x00" in data[:200]:  # UTF-16 without a byte-order mark
        return _decode(data, "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode(data, "cp1252", path)


def _decode(data: bytes, encoding: str, path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise TableError(f"cannot read the text of {path}: save it as CSV UTF-8 or XLSX") from error


def _as_rows(cells: list[list[str]], path: Path) -> list[dict[str, str]]:
    while cells and not any(c.strip() for c in cells[-1]):
        cells.pop()
    if not cells:
        raise TableError(f"{path} is empty")
    header = [name.strip().lstrip("\ufeff") for name in cells[0]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    header = header[:width]
    if "" in header:
        raise TableError(f"column {header.index('') + 1} of {path} has no name in the header row")
    check_columns(header)
    header = [name.lower() for name in header]
    rows = []
    for number, row in enumerate(cells[1:], start=2):
        if any(cell.strip() for cell in row[width:]):
            raise TableError(f"row {number} of {path} has more cells than the header row has columns")
        rows.append({name: (row[i] if i < len(row) else "") for i, name in enumerate(header)})
    return rows


def check_columns(columns, question_keys=()) -> list[str]:
    """Refuse duplicate, unknown or missing columns (names in any case); return those read past.

    q_<key> columns answer the event's questions; those of questions this event does not have
    (another event's export) are read past.
    """
    written = list(columns)
    names = [c.lower() for c in written]
    twice = sorted({c for c in names if names.count(c) > 1})
    if twice:
        raise TableError(f"the header names a column twice: {', '.join(twice)}")
    answers = {PREFIX + key for key in question_keys}
    ignored = [c for c in names if c in EXPORT_ONLY_COLUMNS or ATTENDED_COLUMN.match(c)
               or (c.startswith(PREFIX) and c not in answers)]
    unknown = [w for w, c in zip(written, names, strict=True)
               if c not in IMPORT_COLUMNS and c not in ignored and c not in answers]
    if unknown:
        raise TableError(
            f"unknown columns: {', '.join(unknown)} (columns are the data-dictionary names, e.g. full_name, email)"
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise TableError(f"required columns missing: {', '.join(missing)}")
    return ignored


# --- validating and importing rows ----------------------------------------------------------

def validate_row(row: dict[str, str], number: int, *, consent_column: bool,
                 questions=()) -> tuple[dict | None, list[RowError]]:
    """Validate one row with the registration form's own rules: (delegate data, []) or (None, errors).

    `questions` are the event's questions whose q_<key> column the file has.
    """
    errors: list[RowError] = []
    formdata = MultiDict()
    yes_no = {PREFIX + q.key for q in questions if q.kind == "yes_no"}
    for column in {PREFIX + q.key for q in questions}:
        value = ESCAPED_FORMULA.sub("", (row.get(column) or "").strip())
        if column not in yes_no:
            formdata.add(column, value)
            continue
        try:
            if parse_boolean(value):
                formdata.add(column, "y")
        except ValueError as error:
            errors.append(RowError(number, column, str(error)))
    for column, raw in row.items():
        if column not in IMPORT_COLUMNS:
            continue
        value = ESCAPED_FORMULA.sub("", (raw or "").strip())
        value = value.upper() if column in UPPER_CASE_FIELDS else value
        value = value.lower() if column in LOWER_CASE_FIELDS else value
        if column in BOOLEAN_FIELDS:
            try:
                if parse_boolean(value):
                    formdata.add(column, "y")
            except ValueError as error:
                errors.append(RowError(number, column, str(error)))
        elif column in LIST_FIELDS:
            for code in re.split(r"[\s,;]+", value):
                if code:
                    formdata.add(column, code)
        elif column not in ORGANISER_COLUMNS:
            formdata.add(column, value)
    if not consent_column:
        formdata.add("data_consent", "y")  # the organiser collected consent (see import_delegates)
    form = add_question_fields(RegistrationForm, questions)(formdata=formdata, meta={"csrf": False}, locale="en")
    valid = form.validate()
    for name, messages in form.errors.items():  # one line per cell, however many rules it broke
        text = " ".join(dict.fromkeys(str(message) for message in messages))
        errors.append(RowError(number, name or "", text + _shown_value(name, row.get(name, ""))))
    role = (row.get("participant_role") or "").strip().lower()
    if role and role not in ROLES:
        errors.append(RowError(number, "participant_role", f"{role!r} is not one of {', '.join(ROLES)}"))
    locale = (row.get("locale") or "").strip().lower()
    if locale and locale not in LANGUAGE_CODES:
        errors.append(RowError(number, "locale", f"{locale!r} is not one of {' '.join(LANGUAGE_CODES)}"))
    if errors or not valid:
        return None, errors
    data = form.delegate_data()
    data["locale"] = locale or "en"
    if role:
        data["participant_role"] = ParticipantRole(role)
    return data, []


def _shown_value(column: str, raw: str) -> str:
    # Quote what was written, so the organiser can find it; never echo passport details.
    raw = (raw or "").strip()
    if not raw or column in VISA_FIELDS or column in BOOLEAN_FIELDS:
        return ""
    return f" (found {raw[:60]!r})"


def import_delegates(event, rows: list[dict[str, str]], *, dry_run: bool = False, notify: bool = False,
                     by_user=None) -> ImportReport:
    """Register every row for the event through services.register, or none when any row is wrong.

    Every row is validated first; with errors (or dry_run) nothing is written. An email that is
    already registered for the event is skipped with a notice, so an updated spreadsheet can be
    imported again. Without a data_consent column the import records that the organiser collected
    each delegate's consent. Flushes, never commits: the caller commits once (or rolls back).
    """
    report = ImportReport(dry_run=dry_run)
    rows = [{(name or "").strip().lower(): value for name, value in row.items()} for row in rows]
    columns = list(dict.fromkeys(c for row in rows for c in row))
    questions = [q for q in event.questions if PREFIX + q.key in columns]
    ignored = check_columns(columns, [q.key for q in event.questions]) if rows else []
    if ignored:
        report.notices.append(f"columns of another event's export read past: {', '.join(ignored)}")
    consent_column = "data_consent" in columns
    if rows and not consent_column:
        report.notices.append("no data_consent column: consent is recorded as collected by the organiser")

    # The form's rules need no database: validate everything before the first query, so that on
    # SQLite (where a command's transaction holds the write lock) nobody waits during validation.
    seen: dict[str, int] = {}
    checked: list[tuple[int, dict]] = []
    with force_locale("en"):
        for number, row in enumerate(rows, start=2):
            if not any((value or "").strip() for value in row.values()):
                continue
            report.rows += 1
            data, errors = validate_row(row, number, consent_column=consent_column, questions=questions)
            report.errors.extend(errors)
            if data is None:
                seen.setdefault((row.get("email") or "").strip().lower(), number)  # later copies still reported
            elif data["email"] in seen:
                report.errors.append(RowError(number, "email", f"{data['email']} is also on row {seen[data['email']]}"))
            else:
                seen[data["email"]] = number
                checked.append((number, data))
    registered = _registered_statuses(event.id) if checked and not report.errors else {}
    valid = []
    for number, data in checked:
        if data["email"] in registered:
            report.already_registered.append(
                f"row {number}: {data['email']} is already registered ({registered[data['email']]}), skipped")
        else:
            valid.append((number, data))
    absent = [f for f in VISA_FIELDS if f not in columns]
    if absent and any(error.column in absent for error in report.errors):
        report.notices.append(f"the file has no {', '.join(absent)} column: export with --include-sensitive "
                              "to carry visa details over, or set needs_visa_letter to no")
    if report.errors or dry_run:
        report.would_create = len(valid) if not report.errors else 0
        return report

    # A savepoint: even a caller that forgets to roll back never keeps half an import.
    with db.session.begin_nested():
        for number, data in valid:
            role = data.pop("participant_role", None)
            outcome = services.register(event, data, actor="import", by_user=by_user, notify=notify)
            if not outcome.created:  # registered through the web since validation began
                report.already_registered.append(f"row {number}: {data['email']} registered meanwhile, skipped")
                continue
            if role is not None:
                outcome.registration.participant_role = role
            report.created.append(outcome.registration)
        db.session.flush()
    return report


def _registered_statuses(event_id: int) -> dict[str, str]:
    """{email: status} of the event's registrations, in one query."""
    rows = db.session.execute(
        select(Registration.email, Registration.status).where(Registration.event_id == event_id)
    )
    return {email: status.value for email, status in rows}
