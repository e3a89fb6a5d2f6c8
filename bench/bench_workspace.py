"""Workspace benchmark: the delegate list, a filtered list and the export at 1,000 and 10,000 registrations.

Fills one database with two events (the dashboard benchmark's multilingual delegates, inserted in bulk
through SQLAlchemy Core), then, signed in as the events' organiser through the Flask test client, times
(median of --runs after two warm-ups): the list page, a filtered and sorted list page, and the CSV export
download of every delegate (all columns); beside them, the XLSX export through the same service, and plain
csv / openpyxl writing the same rows (already in memory) as the baseline. Prints the ratios 10k/1k
(target <= 2x) and export/plain (target <= 2x).

    .venv/bin/python bench/bench_workspace.py [--runs 7] [--database-url URL] [--results bench/RESULTS.md]

Without --database-url a throw-away SQLite file is used. A PostgreSQL database given is EMPTIED first.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from bench_dashboard import fill_and_time, time_page, write_section  # noqa: E402

HEADING = "## Workspace list and export (1,000 and 10,000 registrations, in-process, {database})"
FILTER = "status=approved&stakeholder_group=ngo&checked_in=none&badge_printed=no&sort=-registered"


def median_ms(work, runs: int) -> float:
    """The median milliseconds of work() over `runs` calls, after one warm-up."""
    work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def time_event(app, client, db, event, runs: int) -> dict:
    """The figures of one event: pages, exports and the plain baselines."""
    from openpyxl import Workbook

    from events_app.delegate_files.exporting import export_columns, export_delegates, export_rows

    figures = {}
    figures["list"], figures["list_sql"] = time_page(client, db, f"/manage/events/{event.slug}/", runs)
    figures["filtered"], figures["filtered_sql"] = time_page(client, db, f"/manage/events/{event.slug}/?{FILTER}",
                                                             runs)
    columns = export_columns(event)
    form = {"fmt": "csv", "columns": columns, "download": "Export", "filter": ""}

    def csv_download():
        response = client.post(f"/manage/events/{event.slug}/export", data=form)
        assert response.status_code == 200 and len(response.data) > 1000

    figures["csv"] = median_ms(csv_download, runs)
    figures["xlsx"] = median_ms(lambda: export_delegates(event, io.BytesIO(), fmt="xlsx", columns=columns), runs)
    rows = list(export_rows(event, columns=columns))
    db.session.rollback()

    def plain_csv():
        writer = csv.writer(io.StringIO())
        writer.writerow(columns)
        writer.writerows(rows)

    def plain_xlsx():
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Delegates")
        sheet.append(columns)
        for row in rows:
            sheet.append(row)
        book.save(io.BytesIO())

    figures["plain_csv"] = median_ms(plain_csv, runs)
    figures["plain_xlsx"] = median_ms(plain_xlsx, runs)
    figures["rows"] = len(rows)
    return figures


def run(url: str, runs: int) -> dict:
    """Fill the database at `url`, then time both events; returns the figures."""
    return fill_and_time(url, lambda app, client, db, event: time_event(app, client, db, event, runs))


def report_lines(figures: dict, runs: int) -> list[str]:
    """The printed (and recorded) figures with their ratios."""
    small, large = figures[1000], figures[10000]
    lines = []
    for size, f in ((1000, small), (10000, large)):
        lines.append(f"{size:,} registrations: list {f['list']:.1f} ms ({f['list_sql']} SQL statements), filtered "
                     f"list {f['filtered']:.1f} ms ({f['filtered_sql']} statements), CSV export {f['csv']:.0f} ms "
                     f"(plain csv {f['plain_csv']:.0f} ms), XLSX export {f['xlsx']:.0f} ms (plain openpyxl "
                     f"{f['plain_xlsx']:.0f} ms); medians of {runs}")
    lines.append(f"ratio 10k/1k: list {large['list'] / small['list']:.2f}x, filtered list "
                 f"{large['filtered'] / small['filtered']:.2f}x, CSV export {large['csv'] / small['csv']:.2f}x "
                 "(target <= 2x for the pages)")
    lines.append(f"export/plain at 10k: CSV {large['csv'] / large['plain_csv']:.2f}x, XLSX "
                 f"{large['xlsx'] / large['plain_xlsx']:.2f}x (target <= 2x)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", help="PostgreSQL or SQLite URL (emptied); default a temporary SQLite file")
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures = run(args.database_url or f"sqlite:///{tmp}/bench.sqlite", args.runs)
    lines = report_lines(figures, args.runs)
    print("\n".join(lines))
    if args.results:
        from bench_registration import machine

        m = machine()
        heading = HEADING.format(database="PostgreSQL" if figures["dialect"] == "postgresql" else "SQLite")
        database = f"PostgreSQL {m['postgres']}" if figures["dialect"] == "postgresql" else "SQLite"
        write_section(args.results, heading, f"""{heading}

Written by `bench/bench_workspace.py [--database-url URL] --results bench/RESULTS.md`. Machine: {m['nproc']} cores,
{m['cpu']}; Python {m['python']}; {database} on the same machine. The dashboard benchmark's two events (1,000 and
10,000 multilingual registrations, check-ins on three days), as a signed-in organiser through the Flask test
client: `GET /manage/events/SLUG/` (page 1 of 100), the same with `?{FILTER}`, and the CSV export download of
every registration with every column; the XLSX export through the same service (a file that large is a
job on the web); plain csv / openpyxl writing the same rows, already in memory, as the baseline.

""" + "\n".join(f"- {line}" for line in lines)
                      + f"\n- load average (1 min) after: {os.getloadavg()[0]:.2f} on {m['nproc']} cores (shared)\n")
        print(f"wrote {args.results}")


if __name__ == "__main__":
    main()
