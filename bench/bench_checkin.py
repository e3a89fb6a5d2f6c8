"""Check-in scan benchmark at 10,000 delegates: the app's lookup (and lookup + check-in) against a
bare indexed SELECT of the same row, in one process on a fresh PostgreSQL database.

For each of N random badge codes (same codes, same order, for every variant):
  bare   : SELECT id FROM registrations WHERE checkin_code = :c   (one connection, then ROLLBACK)
  lookup : events_app.attendance.services.find_by_code              (then session rollback)
  scan   : attendance.services.scan(event, code, day=...), the desk's whole scan (then rollback: nothing kept)
Best of 3 rounds of wall time each; prints microseconds a scan and ratios against bare (target <= 2x).
With --results, appends (or replaces) its section in bench/RESULTS.md.

    .venv/bin/python bench/bench_checkin.py [--delegates 10000] [--lookups 2000] [--results bench/RESULTS.md]
"""
from __future__ import annotations

import argparse
import os
import random
import secrets
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
HEADING = "## Check-in scan (10,000 delegates, in-process, PostgreSQL)"


def sh(args, env=None):
    out = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")


def populate(db, Registration, event_id: int, n: int) -> list[str]:
    from sqlalchemy import insert

    from events_app.choices import StakeholderGroup, Status

    codes, rows = [], []
    for i in range(n):
        code = secrets.token_urlsafe(16)
        codes.append(code)
        rows.append({"event_id": event_id, "status": Status.APPROVED, "token": secrets.token_urlsafe(32),
                     "checkin_code": code, "full_name": f"Delegate {i}", "sort_name": f"delegate {i}",
                     "email": f"d{i}@example.org", "organisation": "Org", "country": "TH",
                     "stakeholder_group": StakeholderGroup.NGO})
    for start in range(0, n, 2000):
        db.session.execute(insert(Registration), rows[start:start + 2000])
    db.session.commit()
    db.session.execute(db.text("ANALYZE"))
    db.session.commit()
    return codes


def measure(fn, codes, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for c in codes:
            fn(c)
        best = min(best, time.perf_counter() - t0)
    return best / len(codes) * 1e6  # microseconds a scan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegates", type=int, default=10000)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()

    name = f"bench_checkin_{os.getpid()}"
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "production", "SECRET_KEY": "bench-" + uuid.uuid4().hex,
           "RATELIMIT_ENABLED": "false", "MAIL_SEND_AFTER_COMMIT": "false"}
    load_before = os.getloadavg()[0]
    sh(["createdb", *PG, name])
    try:
        flask = str(VENV_BIN / "flask")
        sh([flask, "--app", "wsgi", "db", "upgrade"], env=env)
        sh([flask, "--app", "wsgi", "events", "create", "bench-event", "--title", "Bench", "--starts",
            "2027-03-01", "--ends", "2027-03-03", "--capacity", "100000"], env=env)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        from sqlalchemy import text
        from sqlalchemy.orm import Session

        from events_app import create_app
        from events_app.attendance.services import find_by_code
        from events_app.attendance.services import scan as desk_scan
        from events_app.events.models import Event
        from events_app.extensions import db
        from events_app.registration.models import Registration

        app = create_app()
        with app.app_context():
            event_id = db.session.scalar(db.select(Event.id).where(Event.slug == "bench-event"))
            codes = populate(db, Registration, event_id, args.delegates)
            sample = random.Random(1).sample(codes, min(args.lookups, len(codes)))
            day = date(2027, 3, 1)
            conn = db.engine.connect()
            bare_sql = text("SELECT id FROM registrations WHERE checkin_code = :c")
            # The app's session on one held connection too, as the bare variant has: a request checks a
            # connection out of the pool (and pings it) once whatever it does, so that is not the scan's cost.
            app_conn = db.engine.connect()
            db.session.remove()
            db.session.registry.set(Session(bind=app_conn, join_transaction_mode="rollback_only"))

            def bare(c):
                assert conn.execute(bare_sql, {"c": c}).scalar() is not None
                conn.rollback()

            def lookup(c):
                assert find_by_code(event_id, c) is not None
                db.session.rollback()

            def scan(c):
                outcome = desk_scan(event_id, c, day=day)
                assert outcome.result == "checked_in", outcome.result
                db.session.rollback()

            for fn in (bare, lookup, scan):  # warm: connections, prepared statements, compiled caches
                for c in sample[:200]:
                    fn(c)
            results = {fn.__name__: measure(fn, sample, args.rounds) for fn in (bare, lookup, scan)}
            conn.close()
            db.session.remove()
            app_conn.close()
            db.engine.dispose()
    finally:
        subprocess.run(["dropdb", *PG, "--if-exists", "--force", name], capture_output=True)
    load_after = os.getloadavg()[0]

    lines = [f"{k}: {v:.0f} us a scan" for k, v in results.items()]
    lines.append(f"ratio lookup/bare {results['lookup'] / results['bare']:.2f}x, "
                 f"scan (find + check in)/bare {results['scan'] / results['bare']:.2f}x (target <= 2x)")
    lines.append(f"load average (1 min) before/after: {load_before:.2f} / {load_after:.2f} on {os.cpu_count()} cores")
    for line in lines:
        print(line)
    if args.results:
        cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                    if ln.startswith("model name")), "unknown")
        section = f"""{HEADING}

Written by `bench/bench_checkin.py --results bench/RESULTS.md`. Machine: {os.cpu_count()} cores, {cpu}.
{args.delegates:,} approved delegates in one event; {len(sample):,} random badge codes, the same for each
variant; best of {args.rounds} rounds; everything rolled back after each scan. bare = the id alone by
the unique checkin_code index, plain SQL on one connection; lookup = `attendance.services.find_by_code`
(ORM, the desk's six columns); scan = `attendance.services.scan`, what the desk runs: on PostgreSQL one
statement finds the badge and inserts the day's check-in (a data-modifying CTE, ON CONFLICT DO NOTHING).
Both sides hold one connection (the app's session is bound to its own), so neither pays the pool's
checkout and ping, which a request pays once whatever it does. Client and PostgreSQL share the machine,
so each figure includes the round trips.

""" + "\n".join(f"- {line}" for line in lines) + "\n"
        path = args.results
        body = path.read_text() if path.exists() else "# Benchmark results\n"
        start = body.find(HEADING)
        if start >= 0:
            nxt = body.find("\n## ", start + len(HEADING))
            body = body[:start].rstrip() + "\n" + (body[nxt:] if nxt >= 0 else "")
        path.write_text(body.rstrip() + "\n\n" + section)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
