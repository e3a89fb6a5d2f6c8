"""`flask delegates import`: the sample in every encoding and as XLSX, per-row errors, all rows or none."""
import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from events_app.choices import ParticipantRole, Status, parse_boolean
from events_app.mail.models import OutboxMessage
from events_app.registration import bulk
from events_app.registration.models import Registration, StatusChange

SAMPLE = Path(__file__).parent / "data" / "delegates_sample.csv"
# Names in each of the region's scripts, exactly as the sample writes them.
NAMES = {
    "sok.chanthy@example.org": ("សុខ ចាន់ធី", "Sok Chanthy"),
    "oulaivanh@example.org": ("ອຸໄລວັນ ແສງສຸລິນ", "Oulaivanh Sengsoulin"),
    "aung.myint.htun@example.org": ("အောင်မြင့်ထွန်း", "Aung Myint Htun"),
    "somchai.j@example.org": ("สมชาย ใจดี", "Somchai Jaidee"),
    "huong.nguyen@example.org": ("Nguyễn Thị Hương", "Nguyen Thi Huong"),
    "li.minghua@example.org": ("李明华", "Li Minghua"),
    "k.watanabe@example.org": ("Kenji Watanabe", ""),
}


def invoke(app, *args):
    """Run `flask delegates ...` as an organiser would (stdout and stderr kept apart)."""
    return app.test_cli_runner().invoke(args=["delegates", *map(str, args)])


def registrations(db, event_id: int) -> list[Registration]:
    return list(db.session.scalars(select(Registration).where(Registration.event_id == event_id)
                                   .order_by(Registration.id)))


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def assert_sample_imported(db, event_id: int) -> None:
    """All 26 delegates of the sample are there, every script intact."""
    by_email = {r.email: r for r in registrations(db, event_id)}
    assert len(by_email) == 26
    for email, (full_name, name_latin) in NAMES.items():
        assert (by_email[email].full_name, by_email[email].name_latin) == (full_name, name_latin)
    assert by_email["sok.chanthy@example.org"].languages == ["km", "en"]
    assert by_email["li.minghua@example.org"].region == "Yunnan"
    assert by_email["aung.myint.htun@example.org"].honorific == "U"


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def sample_rows() -> list[list[str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_sample_registers_all_26_delegates_with_names_in_every_script(app, db, make_event):
    event = make_event(slug="bangkok-2027")
    result = invoke(app, "import", "bangkok-2027", SAMPLE)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == (
        "Imported into bangkok-2027: 26 new delegates, 0 already registered (skipped).")
    assert_sample_imported(db, event.id)
    # Through the registration service: statuses decided by its rules, recorded as the import's doing.
    assert {r.status for r in registrations(db, event.id)} == {Status.APPROVED}
    assert {c.actor for c in db.session.scalars(select(StatusChange))} == {"import"}
    assert all(r.data_consent and r.data_consent_at for r in registrations(db, event.id))
    assert count(db, OutboxMessage) == 0  # no email unless --notify


def test_import_decides_places_like_the_form_capacity_then_waiting_list(app, db, make_event):
    event = make_event(capacity=20)
    assert invoke(app, "import", event.slug, SAMPLE).exit_code == 0
    statuses = [r.status for r in registrations(db, event.id)]
    assert statuses.count(Status.APPROVED) == 20 and statuses.count(Status.WAITLISTED) == 6


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("utf-16", ","), ("utf-16", "\t"), ("utf-8-sig", ";")],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-tabs-as-excel-unicode-text", "semicolons"],
)
def test_sample_reads_the_same_in_every_encoding_excel_saves(app, db, make_event, tmp_path, encoding, delimiter):
    event = make_event()
    path = write_csv(tmp_path / "delegates.csv", sample_rows(), encoding=encoding, delimiter=delimiter)
    result = invoke(app, "import", event.slug, path)
    assert result.exit_code == 0, result.output
    assert_sample_imported(db, event.id)


def test_cp1252_file_of_latin_names_keeps_its_accents(app, db, make_event, tmp_path):
    event = make_event()
    header, *rows = sample_rows()
    latin = [row for row in rows if not row[1]]  # rows without name_latin are in Latin script
    latin.append(["Renée Lefèvre", "", "Ms.", "renee@example.org", "Médecins du Monde", "Coordinatrice",
                  "ngo", "FR", "Île-de-France", "woman", "en", "en"])
    path = write_csv(tmp_path / "latin.csv", [header, *latin], encoding="cp1252")
    result = invoke(app, "import", event.slug, path)
    assert result.exit_code == 0, result.output
    renee = db.session.scalar(select(Registration).where(Registration.email == "renee@example.org"))
    assert (renee.full_name, renee.organisation) == ("Renée Lefèvre", "Médecins du Monde")
    assert renee.region == "Île-de-France"
    assert len(registrations(db, event.id)) == 5


def test_xlsx_sample_with_typed_cells(app, db, make_event, tmp_path):
    event = make_event()
    header, *rows = sample_rows()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*header, "arrival_date", "list_publicly", "phone"])
    for row in rows:
        # Excel keeps dates, booleans and numbers as typed cells, not text.
        sheet.append([*row, datetime(2027, 3, 9), True, None])
    sheet.cell(row=2, column=len(header) + 3, value=12345678)  # a number cell: 012 345 678 lost its 0
    workbook.save(tmp_path / "delegates.xlsx")
    result = invoke(app, "import", event.slug, tmp_path / "delegates.xlsx")
    assert result.exit_code == 0, result.output
    assert_sample_imported(db, event.id)
    first = db.session.scalar(select(Registration).where(Registration.email == "sok.chanthy@example.org"))
    assert first.arrival_date == date(2027, 3, 9) and first.list_publicly is True
    assert first.phone == "+85512345678"


BAD_ROWS = [
    ["full_name", "name_latin", "email", "organisation", "stakeholder_group", "country", "needs_visa_letter",
     "data_consent"],
    ["Maria Santos", "", "m.santos@example.org", "ILO", "international_org", "TH", "no", "yes"],
    ["Sok Chanthy", "", "sok.chanthy(at)example.org", "CMWA", "migrant_group", "KH", "", "yes"],
    ["Aung Myint Htun", "", "aung@example.org", "MWRN", "migrant_group", "XX", "", "yes"],
    ["สมชาย ใจดี", "", "somchai@example.org", "Department of Employment", "government", "TH", "", "yes"],
    ["Nguyen Thi Huong", "", "huong@example.org", "MOLISA", "government", "VN", "maybe", "yes"],
    ["Emily Clarke", "", "e.clarke@example.org", "UN Women", "un_agency", "TH", "", "yes"],
]


def test_bad_rows_are_all_listed_by_row_number_and_nothing_is_written(app, db, make_event, tmp_path):
    event = make_event()
    path = write_csv(tmp_path / "bad.csv", BAD_ROWS)
    result = invoke(app, "import", event.slug, path)
    assert result.exit_code != 0
    problems = [line for line in result.stderr.splitlines() if line.startswith("row ")]
    assert len(problems) == 4, result.stderr
    assert problems[0].startswith("row 3, email: Enter a valid email address")
    assert "sok.chanthy(at)example.org" in problems[0]
    assert problems[1].startswith("row 4, country: Choose a country from the list.") and "'XX'" in problems[1]
    assert problems[2].startswith("row 5, name_latin: Please also write your name in Latin letters")
    assert problems[3].startswith("row 6, needs_visa_letter: 'maybe' is not yes or no")
    assert "4 problem(s)" in result.stderr and "nothing was imported" in result.stderr
    assert count(db, Registration) == 0 and count(db, StatusChange) == 0 and count(db, OutboxMessage) == 0


def test_a_row_with_several_problems_lists_each(app, db, make_event, tmp_path):
    event = make_event()
    rows = [BAD_ROWS[0], ["", "", "nobody", "", "lobbyist", "kh", "", "no"]]
    result = invoke(app, "import", event.slug, write_csv(tmp_path / "bad.csv", rows))
    assert result.exit_code != 0
    columns = [line.split(":")[0] for line in result.stderr.splitlines() if line.startswith("row ")]
    assert columns == ["row 2, full_name", "row 2, email", "row 2, organisation", "row 2, stakeholder_group",
                       "row 2, data_consent"]  # "kh" is read as KH
    assert count(db, Registration) == 0


def test_an_email_twice_in_the_file_is_an_error_naming_both_rows(app, db, make_event, tmp_path):
    event = make_event()
    rows = [*BAD_ROWS[:2], ["Maria S.", "", "M.Santos@Example.org", "ILO", "international_org", "TH", "", "yes"]]
    result = invoke(app, "import", event.slug, write_csv(tmp_path / "twice.csv", rows))
    assert result.exit_code != 0
    assert "row 3, email: m.santos@example.org is also on row 2" in result.stderr
    assert count(db, Registration) == 0


def test_a_copy_of_a_bad_row_is_reported_too_so_one_pass_finds_everything(app, db, make_event, tmp_path):
    event = make_event()
    rows = [BAD_ROWS[0], ["Maria Santos", "", "m.santos@example.org", "ILO", "lobbyist", "TH", "", "yes"],
            ["Maria Santos", "", "m.santos@example.org", "ILO", "international_org", "TH", "", "yes"]]
    result = invoke(app, "import", event.slug, write_csv(tmp_path / "twice.csv", rows))
    problems = [line for line in result.stderr.splitlines() if line.startswith("row ")]
    assert [p.split(":")[0] for p in problems] == ["row 2, stakeholder_group", "row 3, email"]
    assert count(db, Registration) == 0


def test_already_registered_emails_are_skipped_with_a_notice(app, db, make_event, make_registration):
    event = make_event()
    existing = make_registration(event, email="somchai.j@example.org", full_name="Somchai J.")
    result = invoke(app, "import", event.slug, SAMPLE)
    assert result.exit_code == 0, result.output
    assert "row 13: somchai.j@example.org is already registered (approved), skipped" in result.stdout
    assert "25 new delegates, 1 already registered (skipped)" in result.stdout
    db.session.refresh(existing)
    assert existing.full_name == "Somchai J."  # left as it was
    assert len(registrations(db, event.id)) == 26


def test_dry_run_says_what_would_happen_and_writes_nothing(app, db, make_event, make_registration):
    event = make_event()
    make_registration(event, email="li.minghua@example.org")
    result = invoke(app, "import", event.slug, SAMPLE, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == (
        f"Dry run for {event.slug}: 26 rows valid; would register 25 new, 1 already registered; nothing written.")
    assert len(registrations(db, event.id)) == 1


def test_dry_run_with_bad_rows_fails_and_writes_nothing(app, db, make_event, tmp_path):
    event = make_event()
    result = invoke(app, "import", event.slug, write_csv(tmp_path / "bad.csv", BAD_ROWS), "--dry-run")
    assert result.exit_code != 0
    assert len([line for line in result.stderr.splitlines() if line.startswith("row ")]) == 4
    assert count(db, Registration) == 0


def test_a_failure_half_way_leaves_no_registration_behind(app, db, make_event, monkeypatch):
    event = make_event(capacity=100)
    real_write, calls = bulk._write_batch, []

    def failing_write(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(bulk, "BATCH", 5)  # 26 rows: batches of 5, the third one fails
    monkeypatch.setattr(bulk, "_write_batch", failing_write)
    result = invoke(app, "import", event.slug, SAMPLE)
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
    assert len(calls) == 3
    assert count(db, Registration) == 0 and count(db, StatusChange) == 0


def test_notify_queues_a_confirmation_to_each_new_delegate(app, db, make_event):
    event = make_event()
    assert invoke(app, "import", event.slug, SAMPLE, "--notify").exit_code == 0
    messages = list(db.session.scalars(select(OutboxMessage)))
    assert len(messages) == 26 and {m.kind for m in messages} == {"registration_received"}
    khmer = next(m for m in messages if m.recipient == "sok.chanthy@example.org")
    assert khmer.locale == "km"  # written in Khmer: the catalogue translates this email


def test_organiser_columns_role_comma_languages_and_consent_no(app, db, make_event, tmp_path):
    event = make_event()
    rows = [["full_name", "email", "organisation", "stakeholder_group", "country", "languages", "participant_role",
             "Data_Consent"],
            ["Maria Santos", "m.santos@example.org", "ILO", "International_Org", "th", "EN, th", "Speaker", "Y"]]
    result = invoke(app, "import", event.slug, write_csv(tmp_path / "speakers.csv", rows))
    assert result.exit_code == 0, result.output
    maria = registrations(db, event.id)[0]
    assert maria.participant_role == ParticipantRole.SPEAKER
    assert (maria.languages, maria.country, maria.stakeholder_group.value) == (["en", "th"], "TH", "international_org")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\n\n", "is empty"),
        (b"full_name,email,organisation,stakeholder_group,country\n", "has a header row but no delegates"),
        (b"full_name,email,organisation,stakeholder_group,country,shoe_size,Twitter\nA,a@x.org,O,ngo,TH,42,@a\n",
         "unknown columns: shoe_size, Twitter"),
        (b"full_name,organisation,stakeholder_group\nA,O,ngo\n", "required columns missing: email, country"),
        (b"full_name,email,email,organisation,stakeholder_group,country\n", "names a column twice: email"),
        (b"full_name,email,organisation,stakeholder_group,country\nA,a@x.org,O,ngo,TH,extra\n",
         "row 2 of"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel .xls workbook"),
        (b"PK\x03\x04 not really a zip", "is not a readable XLSX workbook"),
    ],
    ids=["empty", "blank-lines", "header-only", "unknown-columns", "missing-columns", "duplicate-column",
         "extra-cells", "xls", "broken-xlsx"],
)
def test_a_file_that_cannot_be_imported_says_why_in_one_line(app, db, make_event, tmp_path, content, message):
    event = make_event()
    path = tmp_path / "delegates.csv"
    path.write_bytes(content)
    result = invoke(app, "import", event.slug, path)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert count(db, Registration) == 0


def test_missing_file_directory_and_unknown_event(app, db, make_event, tmp_path):
    event = make_event()
    missing = invoke(app, "import", event.slug, tmp_path / "nope.csv")
    assert missing.exit_code == 1 and missing.stderr == f"Error: no such file: {tmp_path / 'nope.csv'}\n"
    folder = invoke(app, "import", event.slug, tmp_path)
    assert folder.exit_code == 1 and "is a directory" in folder.stderr
    unknown = invoke(app, "import", "no-such-event", SAMPLE)
    assert unknown.exit_code == 1
    assert unknown.stderr == "Error: no event with the slug 'no-such-event' (see `flask events list`)\n"


@pytest.mark.parametrize("word", ["y", "Y", "yes", "YES", "true", "True", "1", " yes "])
def test_true_words(word):
    assert parse_boolean(word) is True


@pytest.mark.parametrize("word", ["n", "N", "no", "No", "false", "FALSE", "0", "", "  "])
def test_false_words(word):
    assert parse_boolean(word) is False


@pytest.mark.parametrize("word", ["maybe", "2", "oui", "x", "yes please"])
def test_other_words_are_not_booleans(word):
    with pytest.raises(ValueError, match="is not yes or no"):
        parse_boolean(word)
