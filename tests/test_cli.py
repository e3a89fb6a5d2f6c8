"""The commands of INTERFACES.md: what they print, what they store, and one clear line on bad input."""
import pytest
from sqlalchemy import func, select

from events_app.auth.models import User
from events_app.choices import Status, UserRole
from events_app.events.models import Event
from events_app.registration.models import Registration


@pytest.fixture()
def cli(app, db):
    return app.test_cli_runner(mix_stderr=False) if _supports_mix_stderr(app) else app.test_cli_runner()


def _supports_mix_stderr(app) -> bool:
    import inspect

    from click.testing import CliRunner

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


def test_users_create_with_password_from_stdin(cli, db):
    result = cli.invoke(args=["users", "create", "Org@Example.org", "--role", "organiser", "--password-stdin"],
                        input="a long enough password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.email == "org@example.org" and user.role == UserRole.ORGANISER
    assert user.check_password("a long enough password")
    assert "a long enough password" not in user.password_hash


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["users", "create", "x@example.org", "--role", "king", "--password-stdin"], "long password 123\n", "king"),
        (["users", "create", "x@example.org", "--role", "staff", "--password-stdin"], "short\n", "at least 12"),
        (["users", "create", "not-an-email", "--role", "staff", "--password-stdin"], "long password 123\n",
         "not an email"),
    ],
)
def test_users_create_refuses_bad_input_in_one_line(cli, db, args, stdin, message):
    result = cli.invoke(args=args, input=stdin)
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_users_create_refuses_a_duplicate(cli, db):
    args = ["users", "create", "x@example.org", "--role", "staff", "--password-stdin"]
    assert cli.invoke(args=args, input="long password 123\n").exit_code == 0
    result = cli.invoke(args=args, input="long password 123\n")
    assert result.exit_code == 1 and "exists already" in result.output


def test_events_create_and_list(cli, db):
    result = cli.invoke(args=["events", "create", "bangkok-2027", "--title", "Bangkok Symposium",
                              "--starts", "2027-03-10", "--ends", "2027-03-12", "--capacity", "120", "--approval"])
    assert result.exit_code == 0, result.output
    event = db.session.scalar(select(Event))
    assert (event.slug, event.capacity, event.approval_required) == ("bangkok-2027", 120, True)
    listing = cli.invoke(args=["events", "list"])
    assert listing.exit_code == 0
    assert "bangkok-2027\t2027-03-10\t2027-03-12\t120\t0\t0" in listing.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--starts", "10/03/2027", "--ends", "2027-03-12"], "not a date in the form YYYY-MM-DD"),
        (["--starts", "2027-03-12", "--ends", "2027-03-10"], "The last day cannot be before the first day."),
        (["--starts", "2027-03-10", "--ends", "2027-03-12", "--capacity", "-5"], "from 0 to 100000"),
        (["--starts", "2027-03-10", "--ends", "2027-03-12", "--timezone", "Mars/Base"], "Unknown time zone."),
    ],
)
def test_events_create_refuses_bad_arguments(cli, db, extra, message):
    result = cli.invoke(args=["events", "create", "bad-event", "--title", "T", *extra])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(func.count(Event.id))) == 0


# What the command once accepted (and, on PostgreSQL, the capacity ended in a DataError traceback):
# now the events service refuses each with the web form's message, in one line on stderr.
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--starts", "2027-03-10", "--ends", "2031-03-09"], "An event can last at most 60 days."),  # 1,460 days
        (["--starts", "2027-03-10", "--ends", "2027-03-12", "--capacity", "5000000000"],
         "The capacity must be a whole number from 0 to 100000."),
        (["--starts", "0002-03-10", "--ends", "0002-03-12"], "Use a date between the years 2000 and 2100."),
        (["--title", "   ", "--starts", "2027-03-10", "--ends", "2027-03-12"], "Please give the event a title."),
    ],
)
def test_events_create_keeps_the_rules_of_the_web_form_in_one_line(cli, db, extra, message):
    result = cli.invoke(args=["events", "create", "mekong-2027", "--title", "Mekong Symposium", *extra])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
    assert db.session.scalar(select(func.count(Event.id))) == 0


def test_events_create_spells_the_time_zone_as_the_tz_database_does(cli, db):
    result = cli.invoke(args=["events", "create", "yangon-2027", "--title", "Yangon", "--starts", "2027-03-10",
                              "--ends", "2027-03-10", "--timezone", "asia/yangon"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Event.timezone)) == "Asia/Yangon"


def test_events_create_refuses_a_bad_slug(cli, db):
    result = cli.invoke(args=["events", "create", "Bad Slug!", "--title", "T", "--starts", "2027-03-10",
                              "--ends", "2027-03-10"])
    assert result.exit_code == 1 and "slug" in result.output


def test_demo_is_idempotent_and_multilingual(cli, db):
    first = cli.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "39 delegates added" in first.output and "Organiser login: organiser@example.org" in first.output
    second = cli.invoke(args=["demo"])
    assert "0 delegates added" in second.output
    names = set(db.session.scalars(select(Registration.full_name)))
    assert {"សុខ ចាន់ធី", "အောင်မြင့်ထွန်း", "ອຸໄລວັນ ແສງສຸລິນ", "สมชาย ใจดี", "李明华", "Nguyễn Thị Hương"} <= names
    statuses = set(db.session.scalars(select(Registration.status)))
    assert {Status.APPROVED, Status.PENDING, Status.WAITLISTED} <= statuses
    assert db.session.scalar(select(func.count(User.id))) == 2
    assert db.session.scalar(select(func.count(Registration.id)).where(Registration.needs_visa_letter)) == 3


def test_demo_documents_have_content(cli, db, tmp_path):
    import subprocess

    assert cli.invoke(args=["demo"]).exit_code == 0
    certificates = tmp_path / "certificates.pdf"
    result = cli.invoke(args=["documents", "certificates", "yunnan-consultation", "-o", str(certificates)])
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", str(certificates), "-"], capture_output=True, text=True).stdout
    assert "Mao Sreynich" in text  # attended both days of the past consultation
    assert "Sok Chanthy" not in text  # came on the first day only
    letters = tmp_path / "letters.pdf"
    result = cli.invoke(args=["documents", "letters", "mekong-migration-symposium", "-o", str(letters)])
    assert result.exit_code == 0, result.output
    assert "MD0471125" in subprocess.run(["pdftotext", str(letters), "-"], capture_output=True, text=True).stdout


def test_production_refuses_to_start_without_secrets(monkeypatch):
    from config import ProductionConfig
    from events_app import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY, DATABASE_URL"):
        create_app(ProductionConfig)


def test_a_command_on_a_database_without_tables_says_what_to_do(tmp_path):
    import subprocess
    import sys

    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite'}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "events", "list"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: the database has no tables yet (or is behind): run `flask --app wsgi db upgrade` first")


@pytest.mark.parametrize(("environment", "expected"), [
    ({}, "BASE_URL=http://127.0.0.1:5101 "),
    ({"BASE_URL": "https://events.example.org"}, "BASE_URL=https://events.example.org "),
])
def test_make_run_links_to_the_port_it_serves_unless_base_url_is_set(environment, expected):
    import os
    import subprocess
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "BASE_URL"} | environment
    dry_run = subprocess.run(["make", "-n", "run", "PORT=5101"], cwd=Path(__file__).resolve().parent.parent,
                             env=env, capture_output=True, text=True, check=True).stdout
    serve = next(line for line in dry_run.splitlines() if "serve_dev.py" in line)
    assert serve.startswith(expected) and "--port 5101" in serve
