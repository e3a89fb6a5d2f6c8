"""Check-in scan benchmark at 10,000 delegates: the app's lookup (and lookup + check-in) against a
bare indexed SELECT of the same row, in one process on a fresh PostgreSQL (and SQLite) database.

For each of N random badge codes (same codes, same order, for every variant):
  bare        : SELECT id FROM registrations WHERE checkin_code = :c, SQLAlchemy Core text() on one held
                connection, then ROLLBACK (the bench's bare lookup since it was written)
  bare_driver : the same SELECT on the driver's connection (psycopg / sqlite3), no SQLAlchemy, then ROLLBACK
  lookup      : events_app.attendance.services.find_by_code              (then session rollback)
  scan        : attendance.services.scan(event, code, day=...), the desk's whole scan (then session rollback)
Best of 3 rounds of wall time each; prints microseconds a scan and ratios against bare (target <= 2x on
PostgreSQL). Each database is measured in a child process (the app reads DATABASE_URL when imported).
With --results, replaces its section in bench/RESULTS.md.

    .venv/bin/python bench/bench_checkin.py [--delegates 10000] [--lookups 2000] [--results bench/RESULTS.md]
                                            [--databases postgresql,sqlite]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
SECTION = "## Check-in scan"
HEADING = SECTION + " (10,000 delegates, in-process, PostgreSQL and SQLite)"
VARIANTS = ("bare", "bare_driver", "lookup", "scan")


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


def backend_cpu(pid: int | None) -> float:
    """Seconds of CPU the database server process of one connection has used (0 for SQLite, in-process)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def measure(variants: dict, codes: list[str], rounds: int) -> dict[str, dict[str, float]]:
    """Wall and CPU (this process + the variant's server process) microseconds a scan, best of the rounds.

    The variants take turns every 100 codes, so a burst of load on the shared machine falls on all of them.
    """
    chunks = [codes[i:i + 100] for i in range(0, len(codes), 100)]
    best = {name: {"wall": float("inf"), "cpu": float("inf")} for name in variants}
    for _ in range(rounds):
        spent = {name: {"wall": 0.0, "cpu": 0.0} for name in variants}
        for chunk in chunks:
            for name, (fn, pid) in variants.items():
                t0, c0, s0 = time.perf_counter(), time.process_time(), backend_cpu(pid)
                for c in chunk:
                    fn(c)
                spent[name]["wall"] += time.perf_counter() - t0
                spent[name]["cpu"] += time.process_time() - c0 + backend_cpu(pid) - s0
        for name in variants:
            for kind in ("wall", "cpu"):
                best[name][kind] = min(best[name][kind], spent[name][kind] / len(codes) * 1e6)
    return best


def measure_database(database: str, delegates: int, lookups: int, rounds: int) -> dict:
    """Microseconds a scan (wall, CPU) for each variant on a fresh database of this kind (a child process)."""
    name = f"bench_checkin_{os.getpid()}"
    tmp = tempfile.TemporaryDirectory()
    url = (f"postgresql://postgres@127.0.0.1:5432/{name}" if database == "postgresql"
           else f"sqlite:///{tmp.name}/bench.sqlite")
    env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "production", "SECRET_KEY": "bench-" + uuid.uuid4().hex,
           "RATELIMIT_ENABLED": "false", "MAIL_SEND_AFTER_COMMIT": "false"}
    if database == "postgresql":
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
            codes = populate(db, Registration, event_id, delegates)
            sample = random.Random(1).sample(codes, min(lookups, len(codes)))
            day = date(2027, 3, 1)
            conn = db.engine.connect()
            bare_sql = text("SELECT id FROM registrations WHERE checkin_code = :c")
            driver = db.engine.raw_connection()
            driver_sql = {"postgresql": "SELECT id FROM registrations WHERE checkin_code = %s",
                          "sqlite": "SELECT id FROM registrations WHERE checkin_code = ?"}[database]
            # The app's session on one held connection too, as the bare variants have: a request checks a
            # connection out of the pool (and pings it) once whatever it does, so that is not the scan's cost.
            app_conn = db.engine.connect()
            db.session.remove()
            db.session.registry.set(Session(bind=app_conn, join_transaction_mode="rollback_only"))

            def bare(c):
                assert conn.execute(bare_sql, {"c": c}).scalar() is not None
                conn.rollback()

            def bare_driver(c):
                assert driver.driver_connection.execute(driver_sql, (c,)).fetchone() is not None
                driver.driver_connection.rollback()

            def lookup(c):
                assert find_by_code(event_id, c) is not None
                db.session.rollback()

            def scan(c):
                outcome = desk_scan(event_id, c, day=day)
                assert outcome.result == "checked_in", outcome.result
                db.session.rollback()

            def server_pid(dbapi_connection):
                # The server process of this connection, for its CPU time (PostgreSQL on this machine).
                if database != "postgresql":
                    return None
                pid = dbapi_connection.execute("SELECT pg_backend_pid()").fetchone()[0]
                dbapi_connection.rollback()
                return pid if Path(f"/proc/{pid}/stat").exists() else None

            app_pid = server_pid(app_conn.connection.driver_connection)
            variants = {"bare": (bare, server_pid(conn.connection.driver_connection)),
                        "bare_driver": (bare_driver, server_pid(driver.driver_connection)),
                        "lookup": (lookup, app_pid), "scan": (scan, app_pid)}
            for fn, _pid in variants.values():  # warm: connections, plans, compiled caches
                for c in sample[:200]:
                    fn(c)
            results = measure(variants, sample, rounds)
            conn.close()
            driver.close()
            db.session.remove()
            app_conn.close()
            db.engine.dispose()
    finally:
        if database == "postgresql":
            subprocess.run(["dropdb", *PG, "--if-exists", "--force", name], capture_output=True)
        tmp.cleanup()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegates", type=int, default=10000)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--results", type=Path)
    parser.add_argument("--measure", choices=("postgresql", "sqlite"), help=argparse.SUPPRESS)  # the child
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_database(args.measure, args.delegates, args.lookups, args.rounds)))
        return

    load_before = os.getloadavg()[0]
    lines = []
    for database in args.databases.split(","):
        child = subprocess.run([sys.executable, __file__, "--measure", database, "--delegates", str(args.delegates),
                                "--lookups", str(args.lookups), "--rounds", str(args.rounds)],
                               cwd=ROOT, capture_output=True, text=True)
        if child.returncode != 0:
            raise RuntimeError(f"{database} failed:\n{child.stdout}\n{child.stderr}")
        results = json.loads(child.stdout.strip().splitlines()[-1])
        label = "PostgreSQL" if database == "postgresql" else "SQLite"
        for kind, what in (("wall", "wall time"), ("cpu", "CPU, client + server process")):
            us = {k: results[k][kind] for k in VARIANTS}
            lines.append(f"{label}, {what}: " + ", ".join(f"{k} {us[k]:.0f} us" for k in VARIANTS) + " a scan; "
                         f"lookup/bare {us['lookup'] / us['bare']:.2f}x, "
                         f"**scan (find + check in)/bare {us['scan'] / us['bare']:.2f}x**"
                         + (" (target <= 2x)" if database == "postgresql" else "")
                         + f", scan/bare_driver {us['scan'] / us['bare_driver']:.2f}x")
    load_after = os.getloadavg()[0]
    lines.append(f"load average (1 min) before/after: {load_before:.2f} / {load_after:.2f} on {os.cpu_count()} cores")
    for line in lines:
        print(line)
    if args.results:
        cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                    if ln.startswith("model name")), "unknown")
        section = f"""{HEADING}

Written by `bench/bench_checkin.py --results bench/RESULTS.md`. Machine: {os.cpu_count()} cores, {cpu}.
{args.delegates:,} approved delegates in one event; {args.lookups:,} random badge codes, the same for each
variant, the variants taking turns every 100 codes; best of {args.rounds} rounds, of wall time and of CPU
time (this process plus the connection's PostgreSQL server process, which shares the machine); everything
rolled back after each scan. bare = the id alone by the unique checkin_code index, SQLAlchemy Core text()
on one held connection; bare_driver = the same SELECT on the driver's connection (psycopg, sqlite3)
without SQLAlchemy; lookup = `attendance.services.find_by_code` (ORM, the desk's six columns); scan =
`attendance.services.scan`, what the desk runs, then the session's rollback: on PostgreSQL one statement
on the driver's connection calls the `desk_scan` function (migration 0013: a data-modifying CTE finds the
badge and inserts the day's check-in, ON CONFLICT DO NOTHING; the server keeps its plan); on SQLite the
same SELECT and INSERT ... ON CONFLICT DO NOTHING on the driver's connection. Every variant holds one
connection, so none pays the pool's checkout and ping, which a request pays once whatever it does. Each
figure includes the round trips to the database.

""" + "\n".join(f"- {line}" for line in lines) + "\n"
        path = args.results
        body = path.read_text() if path.exists() else "# Benchmark results\n"
        start = body.find(SECTION + " (")
        if start >= 0:
            nxt = body.find("\n## ", start + len(SECTION))
            body = body[:start].rstrip() + "\n" + (body[nxt:] if nxt >= 0 else "")
        path.write_text(body.rstrip() + "\n\n" + section)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
