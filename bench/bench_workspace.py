"""Workspace benchmark: list, filtered list, dashboard and export at 1,000 and 10,000 registrations, SQLite and PG.

Fills a database with the dashboard benchmark's two events (1,000 and 10,000 multilingual delegates, inserted
in bulk through SQLAlchemy Core) and, signed in as their organiser through the Flask test client, times
the list page, a filtered and sorted list page and the dashboard (the two sizes alternate, after two
warm-ups each), the CSV export download of every delegate with every column, and the XLSX export through
the same service. Baselines, at 10,000: plain csv / openpyxl writing the export's rows already in memory,
and the same after one plain SELECT of those columns through the database driver ("read + write").
Prints every ratio (targets: pages 10k/1k <= 2x, export/plain <= 2x) for SQLite and, given
--postgres, PostgreSQL. Each round times everything once (a median of --runs); figures are the median
of the rounds, since other work shares the machine.

    .venv/bin/python bench/bench_workspace.py [--runs 9] [--rounds 3] [--postgres URL] [--results bench/RESULTS.md]

The PostgreSQL database given is EMPTIED first.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from bench_dashboard import filled, write_section  # noqa: E402

HEADING = "## Workspace at 1,000 and 10,000 registrations (list, filter, dashboard, export)"
FILTER = "status=approved&stakeholder_group=ngo&checked_in=none&badge_printed=no&sort=-registered"
PAGES = {"list": "/manage/events/{slug}/", "filtered list": "/manage/events/{slug}/?" + FILTER,
         "dashboard": "/manage/events/{slug}/dashboard"}
PLAIN_CSV = "plain csv (rows in memory)"  # the target: the export within 2x of this
EXPORTS = ("CSV export", PLAIN_CSV, "read + csv", "XLSX export", "plain openpyxl", "read + openpyxl")


def timed(work) -> tuple[float, float]:
    """(wall ms, CPU ms of this process) of one call of work()."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def statements(db, work) -> int:
    from sqlalchemy import event as sa_event

    seen = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.startswith("BEGIN"):
            seen.append(statement)

    work()  # the same state as the timed calls: the user and event already loaded once
    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        work()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def one_round(client, db, events, runs: int) -> dict:
    """{(figure, size): (wall ms, CPU ms)} medians of `runs`, the sizes alternating."""
    def get(url):
        def work():
            assert client.get(url).status_code == 200
        return work

    work = {(name, size): get(url.format(slug=event.slug)) for name, url in PAGES.items()
            for size, event in events.items()}
    work.update({("CSV export", size): _csv_download(client, event) for size, event in events.items()})
    samples: dict = {key: [] for key in work}
    for job in work.values():  # warm-ups
        job(), job()
    for _ in range(runs):
        for key, job in work.items():
            samples[key].append(timed(job))
    figures = {key: medians(values) for key, values in samples.items()}
    figures.update(_export_baselines(db, events[10000], max(3, runs // 3)))
    return figures


def _csv_download(client, event):
    from events_app.delegate_files.exporting import export_columns

    form = {"fmt": "csv", "columns": export_columns(event), "download": "Export", "filter": ""}

    def work():
        response = client.post(f"/manage/events/{event.slug}/export", data=form)
        assert response.status_code == 200 and response.data.count(b"\n") > len(event.slug)
    return work


def _export_baselines(db, event, runs: int) -> dict:
    """The XLSX export through the service, and plain csv / openpyxl writing the same rows, at 10,000."""
    from openpyxl import Workbook

    from events_app.delegate_files.exporting import export_columns, export_delegates, export_rows

    columns = export_columns(event)
    rows = list(export_rows(event, columns=columns))
    db.session.rollback()
    sql, params = _plain_select(db, event, columns)

    def read():
        cursor = db.session.connection().connection.cursor()
        cursor.execute(sql, params)
        return cursor.fetchall()

    def write_csv(rows):
        writer = csv.writer(io.StringIO())
        writer.writerow(columns)
        writer.writerows(rows)

    def write_xlsx(rows):
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Delegates")
        sheet.append(columns)
        for row in rows:
            sheet.append(row)
        book.save(io.BytesIO())

    jobs = {PLAIN_CSV: lambda: write_csv(rows), "read + csv": lambda: write_csv(read()),
            "XLSX export": lambda: export_delegates(event, io.BytesIO(), fmt="xlsx", columns=columns),
            "plain openpyxl": lambda: write_xlsx(rows), "read + openpyxl": lambda: write_xlsx(read())}
    figures = {}
    for name, job in jobs.items():
        job()
        figures[(name, 10000)] = medians([timed(job) for _ in range(runs)])
        db.session.rollback()
    figures["rows"] = len(rows)
    return figures


def _plain_select(db, event, columns: list[str]) -> tuple[str, tuple]:
    """The export's columns read the plainest way: stored values as they are, attendance counted per row."""
    from sqlalchemy import JSON

    from events_app.delegate_files.exporting import attended_column
    from events_app.models import UTCDateTime
    from events_app.registration.models import Registration

    mark = "%s" if db.engine.dialect.name == "postgresql" else "?"
    stored = [c if not isinstance(Registration.__table__.c[c].type, JSON | UTCDateTime) else f"CAST({c} AS TEXT)"
              for c in columns if c not in ("days_attended",) and not c.startswith("attended_")]
    days = list(event.days)
    attendance = ["(SELECT count(*) FROM checkins WHERE registration_id = registrations.id)"] + [
        f"EXISTS (SELECT 1 FROM checkins WHERE registration_id = registrations.id AND day = {mark})"  # noqa: S608
        for _ in days]
    assert len(stored) + len(attendance) == len(columns) and attended_column(days[0]) in columns
    # Column names from the export's own list, values bound: no outside text in the statement.
    sql = (f"SELECT {', '.join(stored + attendance)} FROM registrations WHERE event_id = {mark} "  # noqa: S608
           "ORDER BY sort_name, id")
    return sql, (*days, event.id)


def run_database(url: str, runs: int, rounds: int) -> dict:
    """Fill the database at `url`; the medians over `rounds` of every figure, each round's ratios, statements."""
    with filled(url) as (_app, client, db, events):
        counts = {(name, size): statements(db, lambda u=url_.format(slug=event.slug): client.get(u))
                  for name, url_ in PAGES.items() for size, event in events.items()}
        counts.update({("CSV export", size): statements(db, _csv_download(client, event))
                       for size, event in events.items()})
        taken = [one_round(client, db, events, runs) for _ in range(rounds)]
        version = (db.session.execute(db.text("SHOW server_version")).scalar()
                   if db.engine.dialect.name == "postgresql" else sqlite3.sqlite_version)
        name = "PostgreSQL" if db.engine.dialect.name == "postgresql" else "SQLite"
    keys = [key for key in taken[0] if key != "rows"]
    figures = {key: (statistics.median(t[key][0] for t in taken), statistics.median(t[key][1] for t in taken))
               for key in keys}
    return {"name": name, "version": version, "figures": figures, "counts": counts, "rounds": taken,
            "rows": taken[0]["rows"]}


def ratios(figures: dict) -> dict[str, float]:
    """Wall-time ratios: each page 10k/1k, the exports against their baselines at 10k."""
    f = {key: value[0] for key, value in figures.items() if key != "rows"}
    out = {f"{name} 10k/1k": f[(name, 10000)] / f[(name, 1000)] for name in (*PAGES, "CSV export")}
    for app, plain, read in (EXPORTS[:3], EXPORTS[3:]):
        out[f"{app} / {plain}"] = f[(app, 10000)] / f[(plain, 10000)]
        out[f"{app} / {read}"] = f[(app, 10000)] / f[(read, 10000)]
    return out


def report(result: dict) -> list[str]:
    figures, counts = result["figures"], result["counts"]
    lines = [f"### {result['name']} {result['version']}", "",
             "| figure | 1,000: wall ms (CPU ms) | 10,000: wall ms (CPU ms) | SQL statements 1k / 10k |",
             "|---|---|---|---|"]
    for name in (*PAGES, *EXPORTS):
        small = figures.get((name, 1000))
        cells = [f"{v[0]:.1f} ({v[1]:.1f})" if v else "" for v in (small, figures[(name, 10000)])]
        count = f"{counts[(name, 1000)]} / {counts[(name, 10000)]}" if (name, 1000) in counts else ""
        lines.append(f"| {name} | {cells[0]} | {cells[1]} | {count} |")
    every = [ratios(taken) for taken in result["rounds"]]
    lines.append("")
    for key, value in ratios(figures).items():
        # Targets: a page at 10k within 2x of 1k; the export within 2x of plain csv / openpyxl (an export is linear).
        target = "" if "read" in key or key == "CSV export 10k/1k" else " (target <= 2x)"
        spread = ", ".join(f"{r[key]:.2f}" for r in every)
        lines.append(f"- {key}: **{value:.2f}x**{target}; rounds {spread}")
    return lines


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown")
    return f"{os.cpu_count()} cores (nproc), {cpu}; Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", help="a PostgreSQL URL (emptied) to measure beside SQLite")
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        results = [run_database(f"sqlite:///{tmp}/bench.sqlite", args.runs, args.rounds)]
    print("\n".join(report(results[0])), flush=True)
    if args.postgres:
        results.append(run_database(args.postgres, args.runs, args.rounds))
        print("\n".join(report(results[1])), flush=True)
    lines = [line for result in results for line in (*report(result), "")]
    load = f"load average (1 min) before/after: {load_before:.2f} / {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    print(load)
    if args.results:
        write_section(args.results, HEADING, f"""{HEADING}

Written by `bench/bench_workspace.py --postgres URL --results bench/RESULTS.md` ({args.rounds} rounds of
{args.runs} runs; each figure is the median of the rounds' medians). Machine: {machine()}; the database on the
same machine. {results[0]['rows']:,} rows in the large export ({len(results)} databases). Pages through the Flask
test client as a signed-in organiser: `GET /manage/events/SLUG/` (page 1 of 100), the same with `?{FILTER}`,
the dashboard, and the CSV download of every delegate with every column; the XLSX export through the same
service. Ratios are of wall time; CPU time (of the benchmark's process: it includes SQLite's work but not
PostgreSQL's) is beside it. **The machine is shared with other engineers' test runs** ({load}): figures
move from run to run, so compare ratios, and the spread over rounds is given with each.

""" + "\n".join(lines).rstrip() + "\n")
        print(f"\nwrote {args.results}")


if __name__ == "__main__":
    main()
