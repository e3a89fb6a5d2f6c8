"""Reading a delegate table: a CSV or XLSX file into rows of {column: text}, its header checked."""
import csv
import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from events_app.choices import DELEGATE_FIELDS
from events_app.registration.questions import PREFIX

REQUIRED_COLUMNS = ("full_name", "email", "organisation", "stakeholder_group", "country")
# Set by organisers, so an organiser's import may set it too (the web form may not).
ORGANISER_COLUMNS = ("participant_role",)
IMPORT_COLUMNS = (*DELEGATE_FIELDS, *ORGANISER_COLUMNS)
# Columns our own export adds that describe the source event: read past, never imported.
EXPORT_ONLY_COLUMNS = ("status", "registered_at", "days_attended")
ATTENDED_COLUMN = re.compile(r"attended_\d{4}-\d{2}-\d{2}\Z")
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


class TableError(ValueError):
    """The file as a whole cannot be imported (unreadable, empty, wrong columns); one line says why."""


def check_size(size: int, max_bytes: int | None, name) -> None:
    """Refuse a file larger than max_bytes, before it is read (IMPORT_MAX_BYTES)."""
    if max_bytes is not None and size > max_bytes:
        raise TableError(f"{name} is {_megabytes(size)}; at most {_megabytes(max_bytes)} can be imported at once: "
                         "split the file")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 100 * 1024 else f"{size:,} bytes"


def read_table(path: str | Path, *, max_bytes: int | None = None, max_rows: int | None = None
               ) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file as {column: text}, columns checked against the data dictionary.

    Every data row is returned, blank ones included, so that row i is spreadsheet row i + 2. A file
    over max_bytes is refused by its size alone, one over max_rows (rows with text) as soon as it is seen.
    """
    path = Path(path)
    try:
        if path.is_file():
            check_size(path.stat().st_size, max_bytes, path)
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise TableError(f"no such file: {path}") from error
    except IsADirectoryError as error:
        raise TableError(f"{path} is a directory, not a CSV or XLSX file") from error
    except OSError as error:
        raise TableError(f"cannot read {path}: {error.strerror or error}") from error
    return table_rows(data, path, max_rows=max_rows)


def table_rows(data: bytes, name: str | Path, *, max_rows: int | None = None) -> list[dict[str, str]]:
    """read_table for a file's bytes; `name` (the file's name as the organiser knows it) is used in
    messages and, for a file that is not a workbook, to tell a broken .xlsx from a CSV."""
    path = Path(name)
    if not data.strip():
        raise TableError(f"{path} is empty")
    if data.startswith(XLS_MAGIC):
        raise TableError(f"{path} is an old Excel .xls workbook: save it as .xlsx or CSV (UTF-8)")
    if data.startswith(XLSX_MAGIC):
        cells = _xlsx_cells(data, path, max_rows)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        raise TableError(f"{path} is not a readable XLSX workbook")
    else:
        cells = _capped(_csv_cells(data, path), path, max_rows)
    return _as_rows(cells, path)


def _capped(rows, path: Path, max_rows: int | None) -> list[list[str]]:
    """The rows (header first) until more than max_rows rows with text follow the header: then TableError."""
    cells, filled = [], 0
    for row in rows:
        cells.append(row)
        filled += any(cell.strip() for cell in row)
        if max_rows is not None and filled > max_rows + 1:
            raise TableError(f"{path} has more than {max_rows:,} rows; at most {max_rows:,} can be imported at "
                             "once: split the file")
    return cells


def _xlsx_cells(data: bytes, path: Path, max_rows: int | None) -> list[list[str]]:
    from openpyxl import load_workbook

    # openpyxl parses with defusedxml (a requirement): a DTD or entity (billion laughs, an external
    # file) is refused while a sheet is read, here or row by row below, and said in one line.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise TableError(_unreadable_workbook(path, error)) from error
    try:
        rows = ([_cell_text(value) for value in row] for row in workbook.worksheets[0].iter_rows(values_only=True))
        return _capped(rows, path, max_rows)
    except TableError:
        raise
    except Exception as error:  # noqa: BLE001 - a sheet is parsed lazily: its XML errors surface here
        raise TableError(_unreadable_workbook(path, error)) from error
    finally:
        workbook.close()


def _unreadable_workbook(path: Path, error: BaseException | None) -> str:
    while error is not None:  # openpyxl wraps the parser's error in its own
        if type(error).__module__.startswith("defusedxml"):
            return (f"{path} holds XML entity declarations, which are refused for safety: "
                    "save it again as XLSX or CSV")
        error = error.__cause__ or error.__context__
    return f"{path} is not a readable XLSX workbook"



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


def _csv_cells(data: bytes, path: Path):
    text = decode_csv(data, path)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # Excel in some locales saves with ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        yield from reader
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
