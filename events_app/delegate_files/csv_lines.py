"""The CSV export's rows written by the database: one text per registration; Python only checks and joins them.

Reading 32 values a row into Python and writing them with csv.writer cost 4-8x writing the same rows
from memory (bench/RESULTS.md). Here one SELECT gives each registration's cells already as text,
joined by SEP (U+001F, the unit separator) in one printf (SQLite) or concat_ws (PostgreSQL) call. Python
looks at 1,000 lines at a time with a few searches of the whole text: when no cell holds a comma,
quote, line break or SEP and none starts like a formula, the CSV is the lines with SEP turned into
commas, byte for byte what csv.writer writes. Otherwise the lines are split into their cells and
written by csv.writer through neutralise_formula, as the cell-by-cell export does; a line whose cells
cannot be told apart (a cell holding SEP, or a value the database would write otherwise than Python)
is read again cell by cell. Attendance and the languages' cell are what the database's triggers keep on each
registration (migrations 0017 and 0018), not an aggregate of its check-ins or a parse of its JSON. Tests
compare the result with export_rows + csv.writer on both databases.
"""
import csv
import functools
import io
import re
from collections.abc import Callable, Iterator
from types import SimpleNamespace

from sqlalchemy import (
    JSON,
    BigInteger,
    Select,
    String,
    Text,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by

from events_app.choices import LANGUAGE_CODES
from events_app.delegate_files.exporting import attended_on, column_cell, neutralise_formula
from events_app.extensions import db
from events_app.models import EncryptedString
from events_app.registration.models import ATTENDED_DAYS_BITS, Registration

SEP = "\x1f"
# Written in a cell the database cannot write as Python does (a number in a list, a non-text answer): the
# line then has too many cells, so it is read again cell by cell.
UNSURE = SEP + SEP
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A cell neutralise_formula would change: a formula character first in a cell, unless it is the sign of a
# plain number; one search for the cells after SEP, one for the lines' first cells. Each starts with a single
# character so `re` jumps between them: a pattern starting with a character class tests every position
# (and "-" in every date), twice as slow at 10,000 rows.
_FORMULA = r"(?:[=@\t]|[+-](?!\d[\d ().-]*(?:[\x1f\r]|\Z)))"
FORMULA_CELL = re.compile(SEP + _FORMULA)
FORMULA_LINE = re.compile("\n" + _FORMULA)
MAX_CELLS_A_CALL = 45  # PostgreSQL takes at most 100 arguments a call (SQLite 100 or more, by build)


def line_query(cells, columns: list[str]) -> Select | None:
    """SELECT (line, registration id) per registration, or None when a column needs Python (passports).

    `cells` is the export's _Cells (its questions, days and first day, and the SQL of the other columns). The
    SELECT is built once for the same columns, questions and days: building its ~200 expressions took 7-15 ms
    a download (10,000 rows: a tenth of the target). It holds no data, and the statement reads every row afresh.
    """
    questions = tuple((column, question.key, question.kind) for column, question in cells.questions.items())
    days = tuple((column, (day - cells.first_day).days, day) for column, day in cells.days.items())
    return _line_query(db.engine.dialect.name, tuple(columns), questions, days)


@functools.lru_cache(maxsize=64)
def _line_query(_dialect: str, columns: tuple, questions: tuple, days: tuple) -> Select | None:
    cells = SimpleNamespace(questions={column: SimpleNamespace(key=key, kind=kind) for column, key, kind in questions},
                            days={column: (bit, day) for column, bit, day in days})
    texts = [_attendance(cells, column) if column in cells.days or column == "days_attended"
             else _cell_text(cells, column) for column in columns]
    if any(text is None for text in texts):
        return None
    return select(_joined(texts).label("line"), Registration.id)


def _attendance(cells, column: str):
    """days_attended (the count) or attended_DAY ("y" or ""), from what the triggers keep on the registration
    (migration 0017): no look at the check-ins, which cost ~30 ms of 10,000 rows on either database. A day
    past the bits kept (an event longer than ATTENDED_DAYS_BITS days) looks at its check-ins as export_rows does."""
    if column == "days_attended":
        return Registration.checkin_count  # printf and concat_ws write the number as str() does
    bit, day = cells.days[column]
    attended = (Registration.attended_days.op("&")(literal(1 << bit, BigInteger)) != 0
                if 0 <= bit < ATTENDED_DAYS_BITS else attended_on(day))
    return case((attended, "y"), else_="") if _postgresql() else case((attended, "y"))  # printf: NULL as ""


def _or_empty(text):
    """PostgreSQL's concat_ws leaves NULL out: "" instead (SQLite's printf writes NULL as "")."""
    return func.coalesce(text, "") if _postgresql() else text


def _cell_text(cells, column):
    """The SQL text of a cell as export_rows gives it, or None when only Python can give it."""
    if column in cells.questions:
        return _answer(cells.questions[column])
    table_column = Registration.__table__.c[column]
    if isinstance(table_column.type, EncryptedString):
        return None
    if column == "languages":  # as the trigger keeps it (migration 0018), else from the JSON
        return func.coalesce(Registration.languages_text, _joined_list(table_column))
    if isinstance(table_column.type, JSON):
        return _joined_list(table_column)
    expression, convert = column_cell(table_column, null_as_empty=_postgresql())  # printf writes NULL as ""
    return expression if convert is None else None


def _postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def _joined(texts: list):
    """The cells joined by SEP in one call (nested only past MAX_CELLS_A_CALL cells)."""
    while len(texts) > MAX_CELLS_A_CALL:
        texts = [_join_call(texts[i:i + MAX_CELLS_A_CALL]) for i in range(0, len(texts), MAX_CELLS_A_CALL)]
    return _join_call(texts)


def _join_call(texts: list):
    if _postgresql():
        # concat_ws: a third quicker than concat with a SEP between cells (10,000 rows: ~10 ms of the server's
        # ~45). It leaves NULL out, so every cell is given as text (a NULL would make the line a cell short,
        # and csv_text would read it again cell by cell).
        return func.concat_ws(literal(SEP), *texts, type_=String)
    # printf's %s writes NULL as "", and builds the line at once (|| copies it again for every cell)
    return func.printf(SEP.join(["%s"] * len(texts)), *texts, type_=String)


def _joined_list(column):
    """A JSON list as " ".join(map(str, items)) for a list of texts; UNSURE for anything else.

    A list of codes as json.dumps writes it (_codes) is read as it is, anything else item by item: that
    takes a table of items a row (json_each, json_array_elements), three times the time at 10,000 rows.
    COALESCE reads its second argument only when the first is NULL, on both databases.
    """
    if _postgresql():
        items = func.json_array_elements(column).table_valued("value", with_ordinality="n").render_derived("items")
        text = case((func.json_typeof(items.c.value) == "string", items.c.value.op("#>>")(literal_column("'{}'"))),
                    else_=UNSURE)
        joined = _or_empty(select(func.string_agg(text, aggregate_order_by(literal(" "), items.c.n)))
                           .select_from(items).scalar_subquery())  # an empty list written "[ ]": NULL
        return func.coalesce(_codes(column), case((func.json_typeof(column) == "array", joined), else_=UNSURE))
    items = func.json_each(column).table_valued("value", "type", "key", name="items")
    # A top-level array's items have integer keys (an object's are text, a lone value's NULL).
    text = case(((items.c.type == "text") & (func.typeof(items.c.key) == "integer"), items.c.value), else_=UNSURE)
    return func.coalesce(_codes(column), select(func.group_concat(text, " ")).select_from(items).scalar_subquery())


def _codes(column):
    """The cell of a list of up to len(LANGUAGE_CODES) two-character codes as json.dumps writes it (["km", "en"]:
    6n characters, the codes 6 apart from the third), told by its length and a pattern; else NULL."""
    text = cast(column, Text) if _postgresql() else type_coerce(column, String)
    whens = {2: case((text == "[]", ""))}  # no language
    for n in range(1, len(LANGUAGE_CODES) + 1):
        codes = func.substr(text, 3, 2) if n == 1 else func.replace(func.substr(text, 3, 6 * n - 4), '", "', " ")
        whens[6 * n] = case((_is_codes(text, n), codes))
    return case(whens, value=func.length(text))


def _is_codes(text, n: int):
    if _postgresql():
        # json holds valid JSON only: without a backslash (an escape) each "__" is a text of two characters
        return text.like('["__"' + ', "__"' * (n - 1) + "]") & (func.strpos(text, "\\") == 0)
    # SQLite keeps any text: two lower-case letters each
    return text.op("GLOB")('[[]"[a-z][a-z]"' + ', "[a-z][a-z]"' * (n - 1) + "]")


def _answer(question):
    """The answer's cell (_answer_text): text as given, yes/no, "" when missing; UNSURE for other values."""
    if _postgresql():
        kind = func.json_typeof(Registration.answers.op("->")(literal(question.key, String)))
        text = Registration.answers.op("->>")(literal(question.key, String))
        given = {"string": text, "number": text}  # json.dumps wrote a number as Python's str() does
    else:
        path = literal(f'$."{question.key}"', String)
        kind, text = func.json_type(Registration.answers, path), func.json_extract(Registration.answers, path)
        given = {"text": text, "integer": text}
    whens = [(kind == "true", "yes"), (kind == "false", "no"), (kind.is_(None) | (kind == "null"), "")]
    if question.kind != "yes_no":
        whens += [(kind == name, value) for name, value in given.items()]
    return case(*whens, else_=UNSURE)


def csv_text(lines: list[str], width: int, writer_buffer: tuple, read_again: Callable[[int], list]) -> str:
    """The CSV text of `lines` (cells joined by SEP, each `width` cells), formulas neutralised.

    `read_again(i)` gives line i's cells from export_rows, for a line whose cells cannot be split apart.
    """
    text = "\r\n".join(lines) + "\r\n"
    count = len(lines)
    if (width > 1 and "," not in text and '"' not in text and text.count("\r") == count
            and text.count("\n") == count and text.count(SEP) == count * (width - 1)
            and not lines[0].startswith(FORMULA_START) and not FORMULA_CELL.search(text)
            and not FORMULA_LINE.search(text)):
        return text.replace(SEP, ",")
    writer, buffer = writer_buffer
    buffer.seek(0)
    buffer.truncate()
    for i, line in enumerate(lines):
        cells = line.split(SEP)
        writer.writerow([neutralise_formula(cell) for cell in (cells if len(cells) == width else read_again(i))])
    return buffer.getvalue()


def new_writer() -> tuple:
    """(csv.writer, its buffer) for csv_text."""
    buffer = io.StringIO()
    return csv.writer(buffer), buffer


def lines_in_batches(query: Select, batch: int) -> Iterator[list]:
    """The query's rows as the driver gives them, `batch` at a time.

    The driver's own tuples: SQLAlchemy's Row for each line cost ~1 us on SQLite and ~4 us on PostgreSQL
    (10,000 lines: 40 ms, as much as plain csv's whole run). SQLite steps through the rows as they are read;
    psycopg holds the statement's result (~2.4 MB for 10,000 lines of 32 cells) and makes tuples a batch at a
    time: a server-side cursor cost a round trip a batch.
    """
    result = db.session.connection().execute(query)
    try:
        while rows := result.cursor.fetchmany(batch):
            yield rows
    finally:
        result.close()
