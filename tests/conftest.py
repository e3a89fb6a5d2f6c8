"""Shared fixtures: the app on SQLite or TEST_DATABASE_URL, a clean database per test, clients, factories."""
import os
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import flask_migrate
import pytest
from sqlalchemy import inspect, select, text

from config import TestingConfig, normalise_database_url
from events_app import create_app
from events_app.auth.models import User
from events_app.auth.services import create_user
from events_app.choices import EventRole, UserRole
from events_app.events import access
from events_app.events.models import Event
from events_app.events.services import create_event
from events_app.extensions import db as _db
from events_app.registration import services as registration_services
from tests.attendance_kept import attendance_drift, languages_drift

PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The app with a schema built by the migrations (which also tests them)."""

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = _database_url(tmp_path_factory)

    app = create_app(Config)
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        flask_migrate.upgrade()
    return app


@pytest.fixture()
def db(app):
    """The database session inside an app context; every table is emptied after the test."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        with _db.engine.connect() as conn:  # whatever the test wrote, the triggers kept each registration's attendance
            drift = attendance_drift(conn) if _has_attendance(conn) else {}
            languages = languages_drift(conn) if _has_attendance(conn, "languages_text") else {}
        assert drift == {}, "stored attendance (registration: (stored, fresh)) differs from the check-ins'"
        assert languages == {}, "the languages' kept cell (registration: (JSON, kept)) is not the list's"
        tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
        with _db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(text(f"DELETE FROM {table}"))


def _has_attendance(conn, column: str = "checkin_count") -> bool:
    """The registrations have migration 0017's (0018's) column (a test may have left the schema downgraded)."""
    return column in {column["name"] for column in inspect(conn).get_columns("registrations")}


@pytest.fixture()
def client(app, db):
    return app.test_client()


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_RE.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


def submit(client, url: str, data: dict, *, page: str | None = None, follow_redirects: bool = False):
    """GET the page with the form (url, or `page`), then POST `data` with its CSRF token, as a browser does."""
    html = client.get(page or url).get_data(as_text=True)
    payload = {"csrf_token": csrf_token(html), **data}
    return client.post(url, data=payload, follow_redirects=follow_redirects)


def standard_team() -> list:
    """The suite's standard users (ROLE@test.example, made by Auth) who hold their role at every event."""
    emails = [f"{role.value}@test.example" for role in EventRole]
    return _db.session.scalars(select(User).where(User.email.in_(emails))).all()


def join_every_event(user) -> None:
    """Grant a standard user their global role (organiser, staff, rapporteur) at every event there is."""
    for event in _db.session.scalars(select(Event)):
        access.grant(user, event, EventRole(user.role.value))


class Auth:
    """Sign in through the real login form as a user with a given role.

    The user (ROLE@test.example) holds that role at every event the tests make (see `standard_team`):
    tests of per-event access make users of their own.
    """

    def __init__(self, client):
        self.client = client
        self.users = {}

    def user(self, role: str | UserRole = UserRole.ORGANISER):
        """The test user with this role (email ROLE@test.example, password PASSWORD), made once."""
        role = UserRole(role)
        email = f"{role.value}@test.example"
        if email not in self.users:
            self.users[email] = create_user(email, password=PASSWORD, role=role)
            if role != UserRole.ADMIN:
                join_every_event(self.users[email])
            _db.session.commit()
        return self.users[email]

    def login(self, role: str | UserRole = UserRole.ORGANISER):
        user = self.user(role)
        response = submit(self.client, "/auth/login", {"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    def logout(self):
        html = self.client.get("/manage/").get_data(as_text=True)
        self.client.post("/auth/logout", data={"csrf_token": csrf_token(html)})


@pytest.fixture()
def auth(client):
    return Auth(client)


@pytest.fixture()
def make_event(db):
    """Factory: an event starting in 30 days, with any field overridden."""
    counter = {"n": 0}

    def factory(**fields):
        counter["n"] += 1
        starts = fields.pop("starts_on", date.today() + timedelta(days=30))
        fields.setdefault("title", f"Consultation {counter['n']}")
        event = create_event(
            fields.pop("slug", f"consultation-{counter['n']}"),
            starts_on=starts,
            ends_on=fields.pop("ends_on", starts + timedelta(days=2)),
            **fields,
        )
        for user in standard_team():
            access.grant(user, event, EventRole(user.role.value))
        db.session.commit()
        return event

    return factory


def events_today() -> date:
    """Today in the events' default time zone, the day the app counts in (not the machine's UTC date)."""
    return datetime.now(ZoneInfo(Event.__table__.c.timezone.default.arg)).date()


def delegate_data(n: int = 1, **overrides) -> dict:
    """Valid data-dictionary values for a delegate, numbered for unique emails."""
    data = {
        "full_name": f"Delegate {n}",
        "name_latin": "",
        "email": f"delegate{n}@example.org",
        "organisation": "Mekong Migration Network",
        "stakeholder_group": "ngo",
        "country": "TH",
        "data_consent": True,
        "locale": "en",
    }
    data.update(overrides)
    return data


@pytest.fixture()
def make_registration(db):
    """Factory: a registration through the registration service (status by the event's rules)."""
    counter = {"n": 0}

    def factory(event, *, notify: bool = False, **fields):
        counter["n"] += 1
        outcome = registration_services.register(event, delegate_data(counter["n"], **fields), notify=notify)
        db.session.commit()
        return outcome.registration

    return factory
