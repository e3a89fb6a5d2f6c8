"""Import delegates from a CSV or XLSX table: every row through the web form's rules, all rows or none."""
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import force_locale
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, SelectMultipleField

from events_app import i18n
from events_app.choices import DELEGATE_FIELDS, VISA_FIELDS, ParticipantRole, parse_boolean
from events_app.delegate_files.tables import IMPORT_COLUMNS, ORGANISER_COLUMNS, check_columns
from events_app.extensions import db
from events_app.registration import bulk
from events_app.registration.checker import check_delegate
from events_app.registration.forms import RegistrationForm
from events_app.registration.models import Registration
from events_app.registration.questions import PREFIX


def _fields_of_kind(kind) -> frozenset[str]:
    # Read from the form itself, so a field the form adds is parsed the right way here too.
    return frozenset(n for n in DELEGATE_FIELDS if issubclass(getattr(RegistrationForm, n).field_class, kind))


ROLES = tuple(role.value for role in ParticipantRole)
BOOLEAN_FIELDS = _fields_of_kind(BooleanField)
LIST_FIELDS = _fields_of_kind(SelectMultipleField)
UPPER_CASE_FIELDS = frozenset({"country"})
LOWER_CASE_FIELDS = frozenset({"stakeholder_group", "gender", "dietary", "languages", "participant_role"})
# An apostrophe our export put before = + - @ (formula-injection guard) is taken off again.
ESCAPED_FORMULA = re.compile(r"\A'(?=[=+\-@\t\r])")


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
    created: list[int] = field(default_factory=list)  # the new registrations' ids
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


def validate_row(row: dict[str, str], number: int, *, consent_column: bool,
                 questions=()) -> tuple[dict | None, list[RowError]]:
    """Validate one row with the registration form's own rules (registration.checker): (data, []) or (None, errors).

    `questions` are the event's questions whose q_<key> column the file has.
    """
    formdata = MultiDict()
    errors = [*_add_answers(formdata, row, number, questions), *_add_delegate_cells(formdata, row, number)]
    if not consent_column:
        formdata.add("data_consent", "y")  # the organiser collected consent (see import_delegates)
    checked = check_delegate(formdata, questions=questions, locale="en")
    errors += _field_errors(checked.errors, row, number)
    role = (row.get("participant_role") or "").strip().lower()
    if role and role not in ROLES:
        errors.append(RowError(number, "participant_role", f"{role!r} is not one of {', '.join(ROLES)}"))
    locale = (row.get("locale") or "").strip()
    supported = i18n.supported(locale) if locale else None
    if locale and not supported:
        errors.append(RowError(number, "locale", f"{locale!r} is not one of {' '.join(i18n.LOCALES)}"))
    if errors or not checked.ok:
        return None, errors
    data = checked.data
    data["locale"] = supported or i18n.DEFAULT_LOCALE
    if role:
        data["participant_role"] = ParticipantRole(role)
    return data, []


def _cell(raw: str | None) -> str:
    """A cell's text as typed, without the apostrophe our export's formula guard added."""
    return ESCAPED_FORMULA.sub("", (raw or "").strip())


def _add_yes_no(formdata: MultiDict, column: str, value: str, number: int) -> list[RowError]:
    """A yes/no cell as a checkbox would send it (ticked or absent); an error for anything else."""
    try:
        if parse_boolean(value):
            formdata.add(column, "y")
    except ValueError as error:
        return [RowError(number, column, str(error))]
    return []


def _add_answers(formdata: MultiDict, row: dict[str, str], number: int, questions) -> list[RowError]:
    """The q_<key> cells, as the form's question fields expect them."""
    errors = []
    for question in questions:
        column = PREFIX + question.key
        value = _cell(row.get(column))
        if question.kind == "yes_no":
            errors += _add_yes_no(formdata, column, value, number)
        else:
            formdata.add(column, value)
    return errors


def _add_delegate_cells(formdata: MultiDict, row: dict[str, str], number: int) -> list[RowError]:
    """The data-dictionary cells, as the registration form's fields expect them."""
    errors = []
    for column, raw in row.items():
        if column not in IMPORT_COLUMNS or column in ORGANISER_COLUMNS:
            continue
        value = _cell(raw)
        value = value.upper() if column in UPPER_CASE_FIELDS else value
        value = value.lower() if column in LOWER_CASE_FIELDS else value
        if column in BOOLEAN_FIELDS:
            errors += _add_yes_no(formdata, column, value, number)
        elif column in LIST_FIELDS:
            for code in re.split(r"[\s,;]+", value):
                if code:
                    formdata.add(column, code)
        else:
            formdata.add(column, value)
    return errors


def _field_errors(field_errors: dict[str, list[str]], row: dict[str, str], number: int) -> list[RowError]:
    """One error per cell the form's rules refused, however many of them the cell broke."""
    errors = []
    for name, messages in field_errors.items():
        text = " ".join(dict.fromkeys(str(message) for message in messages))
        errors.append(RowError(number, name or "", text + _shown_value(name, row.get(name, ""))))
    return errors


def _shown_value(column: str, raw: str) -> str:
    # Quote what was written, so the organiser can find it; never echo passport details.
    raw = (raw or "").strip()
    if not raw or column in VISA_FIELDS or column in BOOLEAN_FIELDS:
        return ""
    return f" (found {raw[:60]!r})"


def import_delegates(event, rows: list[dict[str, str]], *, dry_run: bool = False, notify: bool = False,
                     by_user=None, progress: Callable[[int], None] | None = None) -> ImportReport:
    """Register every row for the event through services.register, or none when any row is wrong.

    Every row is validated first; with errors (or dry_run) nothing is written. An email that is
    already registered for the event is skipped with a notice, so an updated spreadsheet can be
    imported again. Without a data_consent column the import records that the organiser collected
    each delegate's consent. `progress(units)` is told how far it has got: one unit per row checked,
    then one per row registered (2 × rows in all). Flushes, never commits: the caller commits once.
    """
    progress = progress or (lambda _units: None)
    report = ImportReport(dry_run=dry_run)
    rows = [{(name or "").strip().lower(): value for name, value in row.items()} for row in rows]
    columns = list(dict.fromkeys(c for row in rows for c in row))
    _check_header(event, rows, columns, report)
    # The form's rules need no database: validate everything before the first query, so that on
    # SQLite (where a command's transaction holds the write lock) nobody waits during validation.
    questions = [q for q in event.questions if PREFIX + q.key in columns]
    checked = _validate_rows(rows, report, consent_column="data_consent" in columns, questions=questions,
                             progress=progress)
    new = _not_yet_registered(event, checked, report)
    absent = [f for f in VISA_FIELDS if f not in columns]
    if absent and any(error.column in absent for error in report.errors):
        report.notices.append(f"the file has no {', '.join(absent)} column: export with --include-sensitive "
                              "to carry visa details over, or set needs_visa_letter to no")
    if report.errors or dry_run:
        report.would_create = len(new) if not report.errors else 0
        return report
    _register_rows(event, new, report, notify=notify, by_user=by_user,
                   progress=lambda n: progress(len(rows) + n))
    return report


def _check_header(event, rows: list[dict], columns: list[str], report: ImportReport) -> None:
    """Refuse a wrong header (TableError); note the columns read past and a missing consent column."""
    if not rows:
        return
    ignored = check_columns(columns, [q.key for q in event.questions])
    if ignored:
        report.notices.append(f"columns of another event's export read past: {', '.join(ignored)}")
    if "data_consent" not in columns:
        report.notices.append("no data_consent column: consent is recorded as collected by the organiser")


def _validate_rows(rows: list[dict], report: ImportReport, *, consent_column: bool, questions,
                   progress: Callable[[int], None]) -> list[tuple[int, dict]]:
    """(row number, delegate data) of every valid row; errors (and emails listed twice) go to the report."""
    seen: dict[str, int] = {}
    checked: list[tuple[int, dict]] = []
    with force_locale("en"):
        for number, row in enumerate(rows, start=2):
            progress(number - 1)
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
    return checked


def _not_yet_registered(event, checked: list[tuple[int, dict]], report: ImportReport) -> list[tuple[int, dict]]:
    """The valid rows whose email the event does not have yet; the others are noted as skipped."""
    registered = _registered_statuses(event.id) if checked and not report.errors else {}
    new = []
    for number, data in checked:
        if data["email"] in registered:
            report.already_registered.append(
                f"row {number}: {data['email']} is already registered ({registered[data['email']]}), skipped")
        else:
            new.append((number, data))
    return new


def _register_rows(event, new: list[tuple[int, dict]], report: ImportReport, *, notify: bool, by_user,
                   progress: Callable[[int], None]) -> None:
    """Write the rows in batches (registration.bulk): the event is locked only to decide places at the end."""
    roles = [data.pop("participant_role", None) for _number, data in new]

    def set_role(values, index):
        if roles[index] is not None:
            values["participant_role"] = roles[index]

    # A savepoint: even a caller that forgets to roll back never keeps half an import.
    with db.session.begin_nested():
        outcome = bulk.register_many(event, [data for _number, data in new], actor="import", by_user=by_user,
                                     notify=notify, extra=set_role, progress=progress)
        db.session.flush()
    for index in outcome.skipped:  # registered through the web since validation began
        number, data = new[index]
        report.already_registered.append(f"row {number}: {data['email']} registered meanwhile, skipped")
    report.created.extend(outcome.created)


def _registered_statuses(event_id: int) -> dict[str, str]:
    """{email: status} of the event's registrations, in one query."""
    rows = db.session.execute(
        select(Registration.email, Registration.status).where(Registration.event_id == event_id)
    )
    return {email: status.value for email, status in rows}
