"""The language list in the database-written CSV: codes read by a quick path, anything else as Python writes it."""
from datetime import date, timedelta

from sqlalchemy import event as sa_event
from sqlalchemy import select

from events_app.attendance.services import check_in
from events_app.choices import LANGUAGE_CODES
from events_app.delegate_files.exporting import csv_chunks, export_columns, export_csv, export_rows
from events_app.registration.models import Registration

STARTS = date(2027, 3, 10)
# Lists of 0 to 7 codes (every length the quick path knows), then values of the same lengths that are not
# such lists: upper case, a digit, numbers, a literal, a text, lists one character off, and escapes.
CODE_LISTS = [LANGUAGE_CODES[:n] for n in range(len(LANGUAGE_CODES) + 1)] + [list(reversed(LANGUAGE_CODES))]
ODD_LISTS = [["EN"], ["e1"], [1, 2], [None], [True], "enen", ["km", "e"], ["km", "enx"], ["a b"], [["en"]],
             ["km", 3], {"en": 1}, ["ខ្មែ"], ["km", "en", ""], [""], ["\n"], ['"'], ["\\"]]


def exported(db, event) -> tuple[str, int]:
    """(the CSV export_csv writes, the number of SQL statements it took)."""
    db.session.expire_all()
    assert event.days  # the event itself loaded before counting
    seen = []

    def count(*_args):
        seen.append(1)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        text = "".join(export_csv(event, rows_per_chunk=4))
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    return text, len(seen)


def cell_by_cell(event) -> str:
    columns = export_columns(event)
    return "".join(csv_chunks(columns, export_rows(event, columns=columns), rows_per_chunk=4))


def delegates_with(db, make_event, make_registration, lists: list) -> object:
    event = make_event(starts_on=STARTS)
    for number, languages in enumerate(lists):
        registration = make_registration(event, full_name=f"Delegate {number:02}")
        registration.languages = languages
        if number % 3:  # some checked in on one day of three: the others' attendance cells stay empty
            check_in(registration, day=STARTS + timedelta(days=number % 3))
    db.session.commit()
    return event


def test_lists_of_codes_are_written_as_python_joins_them_in_two_statements(db, make_event, make_registration):
    event = delegates_with(db, make_event, make_registration, CODE_LISTS)
    text, statements = exported(db, event)
    assert text == cell_by_cell(event)
    assert statements == 2  # the questions, then the lines: not one line read again cell by cell
    column = export_columns(event).index("languages")
    written = [line.split(",")[column] for line in text.splitlines()[1:]]
    assert written == [" ".join(codes) for codes in CODE_LISTS]


def test_values_that_only_look_like_lists_of_codes_are_written_as_python_writes_them(db, make_event,
                                                                                      make_registration):
    event = delegates_with(db, make_event, make_registration, ODD_LISTS)
    stored = db.session.scalars(select(Registration.languages).where(Registration.event_id == event.id)
                                .order_by(Registration.sort_name)).all()
    assert stored == ODD_LISTS
    text, _statements = exported(db, event)
    assert text == cell_by_cell(event)
    assert ",EN," in text and ",e1," in text and ",1 2," in text and ",True," in text
