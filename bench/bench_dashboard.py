"""Dashboard benchmark: the event dashboard page at 1,000 and at 10,000 registrations, in one process.

Fills one database with two events (1,000 and 10,000 multilingual delegates from the sample CSV, in
every status, with needs, visa letters, registrations over 60 days and check-ins on each event day),
inserted in bulk through SQLAlchemy Core. Then, signed in as an organiser through the Flask test
client, GETs each event's dashboard (2 warm-up requests, then --runs timed), prints the median time
of each, the ratio 10k/1k (target <= 2x) and the SQL statements per page (the same for both).

    .venv/bin/python bench/bench_dashboard.py [--runs 9] [--database-url URL] [--results bench/RESULTS.md]

Without --database-url a throw-away SQLite file is used. A PostgreSQL database given is EMPTIED first.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "tests/documents/delegates_sample.csv"
HEADING = "## Event dashboard (1,000 and 10,000 registrations, in-process, {database})"
STATUSES = ["approved"] * 70 + ["pending"] * 10 + ["waitlisted"] * 8 + ["cancelled"] * 7 + ["declined"] * 5
DIETS = ["", "", "", "none", "vegetarian", "vegan", "halal", "no_pork", "no_beef", "other"]
SQLITE_NOTE = """
SQLite reads each registration's whole row for the two grouped counts and the per-day count (three
scans of the event's rows: about 2-4 us a row here), so its time grows with the registrations. Figures
from a machine shared with other jobs vary from run to run: compare runs taken under the same load."""
PASSWORD = "bench-organiser-password"  # noqa: S105 - a throw-away database


def delegate_rows(event_id: int, count: int, today: date, rng: random.Random) -> list[dict]:
    """`count` unique registrations built from the sample's names (Khmer, Lao, Burmese, Thai, Chinese ...)."""
    from events_app.registration.models import new_checkin_code, new_token

    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        sample = list(csv.DictReader(handle))
    rows = []
    for n in range(count):
        person, other = sample[n % len(sample)], rng.choice(sample)
        name = f"{person['full_name'].split(' ')[0]} {other['full_name'].split(' ')[-1]} {n}"
        needs_visa = rng.random() < 0.15
        registered = datetime.combine(today - timedelta(days=rng.randrange(60)), datetime.min.time(), UTC)
        rows.append({
            "event_id": event_id, "status": rng.choice(STATUSES), "token": new_token(),
            "checkin_code": new_checkin_code(), "full_name": name, "sort_name": name.casefold(),
            "name_latin": f"{person['name_latin']} {n}" if person["name_latin"] else "",
            "email": f"delegate{n}.{event_id}@example.org", "organisation": person["organisation"],
            "position": person["position"], "stakeholder_group": person["stakeholder_group"],
            "country": person["country"], "gender": person["gender"] or None,
            "languages": person["languages"].split(), "dietary": rng.choice(DIETS),
            "accessibility_needs": "Step-free access" if rng.random() < 0.03 else "",
            "needs_visa_letter": needs_visa,
            "visa_letter_released_at": registered if needs_visa and rng.random() < 0.5 else None,
            "travel_support_requested": rng.random() < 0.2, "accommodation_needed": rng.random() < 0.4,
            "data_consent": True, "locale": person["locale"] or "en",
            "registered_at": registered + timedelta(seconds=rng.randrange(86400)),
        })
    return rows


def fill(db, event, count: int, rng: random.Random) -> None:
    """Insert the event's registrations and the approved delegates' check-ins, in batches."""
    from sqlalchemy import insert, select

    from events_app.attendance.models import CheckIn
    from events_app.choices import Status
    from events_app.registration.models import Registration

    rows = delegate_rows(event.id, count, event.ends_on, rng)
    for start in range(0, len(rows), 2000):
        db.session.execute(insert(Registration), rows[start:start + 2000])
    approved = db.session.scalars(select(Registration.id).where(
        Registration.event_id == event.id, Registration.status == Status.APPROVED).order_by(Registration.id)).all()
    checkins = [{"registration_id": rid, "event_id": event.id, "day": day, "checked_in_at": datetime.now(UTC),
                 "method": "scan"}
                for number, day in enumerate(event.days) for rid in approved if rng.random() < 0.9 - 0.1 * number]
    for start in range(0, len(checkins), 5000):
        db.session.execute(insert(CheckIn), checkins[start:start + 5000])
    db.session.commit()


def time_page(client, db, url: str, runs: int) -> tuple[float, int]:
    """The median milliseconds of GET url over `runs` (after two warm-ups) and its SQL statements."""
    from sqlalchemy import event as sa_event

    for _ in range(2):
        assert client.get(url).status_code == 200
    seen = []

    def count(*_args):
        seen.append(1)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    client.get(url)
    sa_event.remove(db.engine, "before_cursor_execute", count)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(times), len(seen)


def run(url: str, runs: int) -> dict:
    """Fill the database at `url`, then time both dashboards; returns the figures."""
    return fill_and_time(url, lambda app, client, db, event: time_page(client, db,
                                                                     f"/manage/events/{event.slug}/dashboard", runs))


def fill_and_time(url: str, time_event) -> dict:
    """Empty the database at `url`, fill the two events, sign in as their organiser and time_event each.

    Shared with the workspace benchmark, so both measure the same data.
    """
    with filled(url) as (app, client, db, events):
        figures = {size: time_event(app, client, db, event) for size, event in events.items()}
        figures["dialect"] = db.engine.dialect.name
    return figures


@contextmanager
def filled(url: str):
    """(app, test client signed in as the organiser, db, {1000: event, 10000: event}) on a filled database."""
    import flask_migrate
    from sqlalchemy import text

    from config import TestingConfig, normalise_database_url
    from events_app import create_app
    from events_app.auth.services import create_user
    from events_app.choices import EventRole, UserRole
    from events_app.events import access
    from events_app.events.services import create_event
    from events_app.extensions import db

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = normalise_database_url(url)
        WTF_CSRF_ENABLED = False  # the benchmarks sign in and post forms with a plain POST

    app = create_app(Config)
    rng = random.Random(2026)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        flask_migrate.upgrade()
        today = date.today()
        organiser = create_user("organiser@bench.example", password=PASSWORD, role=UserRole.ORGANISER)
        events = {}
        for size in (1000, 10000):
            events[size] = create_event(f"bench-{size}", title=f"Bench {size}", starts_on=today - timedelta(days=2),
                                        ends_on=today, capacity=size)
            access.grant(organiser, events[size], EventRole.ORGANISER)  # pages are for the event's organisers
            db.session.commit()
            fill(db, events[size], size, rng)
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        client = app.test_client()
        client.post("/auth/login", data={"email": "organiser@bench.example", "password": PASSWORD})
        try:
            yield app, client, db, events
        finally:
            db.session.remove()
            db.engine.dispose()


def write_section(path: Path, heading: str, section: str) -> None:
    """Put our section at the end of the results file, in place of an earlier run's on the same database."""
    parts = (path.read_text() if path.exists() else "# Benchmark results\n").split("\n## ")
    kept = [part for part in parts if not ("## " + part).startswith(heading)]
    path.write_text("\n## ".join(kept).rstrip() + "\n\n" + section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--database-url", help="PostgreSQL or SQLite URL (emptied); default a temporary SQLite file")
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures = run(args.database_url or f"sqlite:///{tmp}/bench.sqlite", args.runs)
    (small, small_statements), (large, large_statements) = figures[1000], figures[10000]
    lines = [f"1,000 registrations: {small:.1f} ms a page (median of {args.runs}), {small_statements} SQL statements",
             f"10,000 registrations: {large:.1f} ms a page (median of {args.runs}), {large_statements} SQL statements",
             f"ratio 10k/1k {large / small:.2f}x (target <= 2x)"]
    print("\n".join(lines))
    if args.results:
        from bench_registration import machine

        m = machine()
        heading = HEADING.format(database="PostgreSQL" if figures["dialect"] == "postgresql" else "SQLite")
        database = f"PostgreSQL {m['postgres']}" if figures["dialect"] == "postgresql" else "SQLite"
        note = SQLITE_NOTE if database == "SQLite" else ""
        write_section(args.results, heading, f"""{heading}

Written by `bench/bench_dashboard.py [--database-url URL] --results bench/RESULTS.md`. Machine: {m['nproc']} cores,
{m['cpu']}; Python {m['python']}; {database} on the same machine. Two events in one database, 1,000 and 10,000
registrations (sample names in seven scripts, every status, needs, 60 days of registrations, check-ins on
three days), inserted through SQLAlchemy Core; `GET /manage/events/SLUG/dashboard` through the Flask
test client as a signed-in organiser, 2 warm-up requests, then the median of {args.runs}.{note}

""" + "\n".join(f"- {line}" for line in lines)
                      + f"\n- load average (1 min) after: {os.getloadavg()[0]:.2f} on {m['nproc']} cores (shared)\n")
        print(f"wrote {args.results}")


if __name__ == "__main__":
    main()
