"""Import benchmark: 10,000 rows into a capacity-limited event, against plain SQLAlchemy Core, and the form meanwhile.

On a fresh PostgreSQL database (migrated), in-process: `importing.import_delegates` of N generated rows
(names in several scripts) into an event with a capacity below N, then one commit; timed as a whole
and split into checking (the form's rules on every row) and writing. Meanwhile a second thread
registers through the real form (Flask test client, CSRF on) every 0.2 s and records how long each
POST took. Two baselines insert the same rows with plain SQLAlchemy Core into other events (an
executemany of registrations with RETURNING, or without it and the ids read back by token; one of
their status history; one commit). Times are wall clock; CPU is the importing thread's own.

    .venv/bin/python bench/bench_import.py [--rows 10000] [--results bench/RESULTS.md]

The threads share one Python process (the GIL) and the machine's cores: a form POST's time includes
waiting for the interpreter while the import works, not only for the database.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HEADING = "## Import of 10,000 rows alongside the form (in-process, PostgreSQL)"
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
SCRIPTS = [("សុខ ចាន់ធី", "Sok Chanthy", "KH"), ("สมชาย ใจดี", "Somchai Jaidee", "TH"),
           ("Nguyễn Thị Hương", "", "VN"), ("အောင်မြင့်ထွန်း", "Aung Myint Htun", "MM"),
           ("李明华", "Li Minghua", "CN"), ("ອຸໄລວັນ ແສງສຸລິນ", "Oulaivanh Sengsoulin", "LA")]


def rows(n: int) -> list[dict[str, str]]:
    out = []
    for i in range(n):
        full, latin, country = SCRIPTS[i % len(SCRIPTS)]
        out.append({"full_name": f"{full} {i}", "name_latin": f"{latin} {i}" if latin else "",
                    "email": f"delegate-{i}@example.org", "organisation": "Mekong Migration Network",
                    "stakeholder_group": "ngo", "country": country, "languages": "en", "locale": "en"})
    return out


def make_app(url: str):
    from config import TestingConfig
    from events_app import create_app

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        WTF_CSRF_ENABLED = True
        RATELIMIT_ENABLED = False
        MAIL_SEND_AFTER_COMMIT = False

    return create_app(Config)


def form_poster(app, slug: str, stop: threading.Event, latencies: list[float], errors: list[str]) -> None:
    client = app.test_client()
    html = client.get(f"/events/{slug}/register").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    i = 0
    while not stop.is_set():
        i += 1
        key = uuid.uuid4().hex
        started = time.perf_counter()
        response = client.post(f"/events/{slug}/register", data={
            "csrf_token": csrf, "submission_key": key, "locale": "en", "code": "", "full_name": f"Web {i}",
            "email": f"web-{i}-{key[:6]}@example.org", "organisation": "Org", "stakeholder_group": "ngo",
            "country": "TH", "data_consent": "y"})
        latencies.append(time.perf_counter() - started)
        if response.status_code != 302:
            errors.append(str(response.status_code))
        stop.wait(0.2)


def run(args) -> dict:
    import flask_migrate
    import sqlalchemy.event
    from sqlalchemy import select

    from events_app.choices import Status
    from events_app.delegate_files import importing
    from events_app.events.services import create_event
    from events_app.extensions import db
    from events_app.registration.models import Registration, new_checkin_code, new_token
    from events_app.registration.services import apply_fields

    name = f"bench_import_{os.getpid()}"
    subprocess.run(["createdb", *PG, name], check=True)
    try:
        app = make_app(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
        data = rows(args.rows)
        with app.app_context():
            flask_migrate.upgrade()
            capacity = args.rows * 3 // 4
            event = create_event("bench-import", title="Bench", starts_on=date(2027, 3, 1),
                                 ends_on=date(2027, 3, 3), capacity=capacity)
            plain = create_event("bench-plain", title="Plain", starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 3))
            fast = create_event("bench-fast", title="Fast", starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 3))
            db.session.commit()
            event_id, plain_id, fast_id = event.id, plain.id, fast.id

        stop, latencies, errors, marks = threading.Event(), [], [], {}

        def progress(units: int) -> None:
            if units > args.rows and "writing" not in marks:
                marks["writing"] = time.perf_counter()

        with app.app_context():
            poster = threading.Thread(target=form_poster, args=(app, "bench-import", stop, latencies, errors))
            poster.start()
            time.sleep(0.5)
            before = len(latencies)
            importer, statements = threading.get_ident(), []
            counter = lambda *_a, **_k: threading.get_ident() == importer and statements.append(1)  # noqa: E731
            sqlalchemy.event.listen(db.engine, "before_cursor_execute", counter)
            started, cpu_started = time.perf_counter(), time.thread_time()
            report = importing.import_delegates(db.session.get(type(event), event_id), data, progress=progress)
            db.session.commit()
            finished, cpu = time.perf_counter(), time.thread_time() - cpu_started
            sqlalchemy.event.remove(db.engine, "before_cursor_execute", counter)
            during = latencies[before:]
            stop.set()
            poster.join()
            assert report.ok and len(report.created) == args.rows, report.errors[:3]
            print(f"import: {finished - started:.1f} s; form POSTs meanwhile (ms): "
                  f"{' '.join(f'{x * 1000:.0f}' for x in latencies[before:])}", flush=True)
            approved = db.session.scalar(select(db.func.count()).select_from(Registration).where(
                Registration.event_id == event_id, Registration.status == Status.APPROVED))

        # Baseline: the same rows with plain Core (the columns the service derives, computed the same way).
        with app.app_context():
            checked = [importing.validate_row(row, n, consent_column=False)[0] for n, row in enumerate(data, 2)]
            columns = Registration.__table__.c
            defaults = {c.name: c.default.arg for c in columns if c.default is not None and c.default.is_scalar}
            values = []
            for delegate in checked:
                registration = Registration()
                apply_fields(registration, delegate)
                values.append({**{c: defaults.get(c) if getattr(registration, c) is None else getattr(registration, c)
                                  for c in delegate if c != "answers"},
                               "sort_name": registration.sort_name, "event_id": plain_id,
                               "status": Status.APPROVED, "token": new_token(), "checkin_code": new_checkin_code()})
            db.session.rollback()
            core, core_cpu = plain_core(db, values, returning=True)
            for row in values:  # the same rows again, into a third event, the other way
                row.update(event_id=fast_id, token=new_token(), checkin_code=new_checkin_code())
            fast, fast_cpu = plain_core(db, values, returning=False)
    finally:
        subprocess.run(["dropdb", *PG, "--if-exists", "--force", name], capture_output=True)
    q = statistics.quantiles(during, n=100, method="inclusive") if len(during) > 1 else [float("nan")] * 99
    return {"rows": args.rows, "capacity": capacity, "approved": approved, "total_s": finished - started,
            "check_s": marks.get("writing", finished) - started, "write_s": finished - marks.get("writing", finished),
            "cpu_s": cpu, "statements": len(statements), "core_s": core, "core_cpu_s": core_cpu, "fast_s": fast,
            "fast_cpu_s": fast_cpu, "form_posts": len(during), "form_p50_ms": q[49] * 1000,
            "form_max_ms": max(during) * 1000 if during else float("nan"), "form_errors": errors}


def plain_core(db, values: list[dict], *, returning: bool) -> tuple[float, float]:
    """Insert the rows and one history row each with plain Core in one transaction: (seconds, CPU seconds).

    returning: one executemany with RETURNING (SQLAlchemy makes it multi-row INSERTs, "insertmanyvalues");
    else one executemany without it (psycopg pipelines it) and the ids read back by token.
    """
    from sqlalchemy import insert, select

    from events_app.choices import Status
    from events_app.registration.models import Registration, StatusChange

    table = Registration.__table__
    started, cpu_started = time.perf_counter(), time.thread_time()
    with db.engine.begin() as conn:
        if returning:
            ids = conn.execute(insert(table).returning(table.c.id), values).scalars().all()
        else:
            conn.execute(insert(table), values)
            tokens = [row["token"] for row in values]
            ids = [i for start in range(0, len(tokens), 1000) for i in conn.execute(
                select(table.c.id).where(table.c.token.in_(tokens[start:start + 1000]))).scalars()]
        conn.execute(insert(StatusChange.__table__), [
            {"registration_id": i, "to_status": Status.APPROVED, "actor": "import"} for i in ids])
    return time.perf_counter() - started, time.thread_time() - cpu_started


def write_results(path: Path, r: dict, load: tuple[float, float]) -> None:
    section = f"""{HEADING}

Written by `bench/bench_import.py --results bench/RESULTS.md`. Machine: {os.cpu_count()} cores, shared.
`delegate_files.importing.import_delegates` of {r['rows']:,} generated rows (names in six scripts) into an
event with capacity {r['capacity']:,}, one commit; meanwhile a thread registers through the form (test client,
CSRF on) every 0.2 s. Each row is checked by `registration.checker` (the form's rules, no form bound) and
written by `registration.bulk` with Core. Plain = the same rows (already checked) into other events with
SQLAlchemy Core, one transaction each: (a) one executemany of registrations with RETURNING
(insertmanyvalues) and one of their history rows; (b) one executemany without RETURNING, the ids read
back by token, one of the history rows (the way the import writes). CPU = the importing thread's own
time. The form's thread shares the interpreter (GIL) with the import, so its times include waiting for
Python, not only for the database.

- import: {r['total_s']:.1f} s in all ({r['check_s']:.1f} s checking every row with the form's rules,
  {r['write_s']:.1f} s writing and deciding places); CPU {r['cpu_s']:.1f} s; {r['statements']} SQL statements;
  {r['approved']:,} approved = capacity, the rest waitlisted
- plain Core (a) with RETURNING: {r['core_s']:.1f} s (CPU {r['core_cpu_s']:.1f} s); write phase / (a) =
  {r['write_s'] / r['core_s']:.2f}x, whole import / (a) = {r['total_s'] / r['core_s']:.2f}x
- plain Core (b) without RETURNING: {r['fast_s']:.1f} s (CPU {r['fast_cpu_s']:.1f} s); write phase / (b) =
  {r['write_s'] / r['fast_s']:.2f}x, whole import / (b) = {r['total_s'] / r['fast_s']:.2f}x
- the form during the import: {r['form_posts']} POSTs, median {r['form_p50_ms']:.0f} ms,
  slowest {r['form_max_ms']:.0f} ms, {len(r['form_errors'])} errors
- load average (1 min) before/after: {load[0]:.2f} / {load[1]:.2f} on {os.cpu_count()} cores (shared)
"""
    text = path.read_text()
    start = text.find(HEADING)
    if start < 0:
        path.write_text(text.rstrip() + "\n\n" + section)
        return
    nxt = text.find("\n## ", start + len(HEADING))  # the section is replaced where it stands
    path.write_text(text[:start] + section + (text[nxt:] if nxt >= 0 else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()
    before = os.getloadavg()[0]
    r = run(args)
    after = os.getloadavg()[0]
    print(f"import {r['rows']} rows: {r['total_s']:.1f} s (check {r['check_s']:.1f} s, write {r['write_s']:.1f} s), "
          f"CPU {r['cpu_s']:.1f} s, {r['statements']} statements; approved {r['approved']} of capacity {r['capacity']}")
    print(f"plain Core with RETURNING {r['core_s']:.1f} s (CPU {r['core_cpu_s']:.1f} s), without "
          f"{r['fast_s']:.1f} s (CPU {r['fast_cpu_s']:.1f} s); write / plain: {r['write_s'] / r['core_s']:.2f}x, "
          f"{r['write_s'] / r['fast_s']:.2f}x")
    print(f"form during the import: {r['form_posts']} POSTs, p50 {r['form_p50_ms']:.0f} ms, "
          f"max {r['form_max_ms']:.0f} ms, {len(r['form_errors'])} errors")
    print(f"load average (1 min) before/after: {before:.2f} / {after:.2f}")
    if r["form_errors"]:
        sys.exit(1)
    if args.results:
        write_results(args.results, r, (before, after))


if __name__ == "__main__":
    main()
