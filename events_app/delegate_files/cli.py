"""`flask delegates import|export`: thin commands over tables.py, importing.py and exporting.py; one commit each."""
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from events_app.choices import Status
from events_app.database import sqlite_read_transactions
from events_app.delegate_files.exporting import FORMATS, export_delegates
from events_app.delegate_files.importing import import_delegates
from events_app.delegate_files.tables import TableError, read_table
from events_app.events.services import event_by_slug
from events_app.extensions import db
from events_app.files import write_atomically
from events_app.jobs.terminal import progress_bar

delegates_cli = AppGroup("delegates", help="Import and export an event's delegates (CSV or XLSX).")


@delegates_cli.command("import")
@click.argument("event_slug", metavar="EVENT")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate every row and say what would happen; write nothing.")
@click.option("--notify", is_flag=True, help="Email each new delegate the confirmation (off by default).")
def import_command(event_slug: str, file: Path, dry_run: bool, notify: bool):
    """Register the delegates in FILE (CSV or XLSX, data-dictionary columns) for EVENT.

    All rows or none: every row is checked with the registration form's rules first, and any
    error (listed as "row N, column: message") means nothing is written. Emails already
    registered for the event are skipped with a notice, so an updated file can be imported again.
    """
    event = event_by_slug(event_slug)
    db.session.rollback()  # end the look-up's transaction: on SQLite it holds the write lock
    try:
        rows = read_table(file, max_bytes=current_app.config["IMPORT_MAX_BYTES"],
                          max_rows=current_app.config["IMPORT_MAX_ROWS"])
        if not any(any(v.strip() for v in row.values()) for row in rows):
            raise TableError(f"{file} has a header row but no delegates")
        with progress_bar(len(rows) * (1 if dry_run else 2), "Checking" if dry_run else "Importing") as progress:
            report = import_delegates(event, rows, dry_run=dry_run, notify=notify, progress=progress)
    except TableError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    except BaseException:
        db.session.rollback()
        raise
    if not report.ok:
        db.session.rollback()
        for line in (*map(str, report.errors), *report.notices):
            click.echo(line, err=True)
        raise click.ClickException(
            f"{len(report.errors)} problem(s) in {file}; nothing was imported. Correct the rows and try again."
        )
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for line in (*report.notices, *report.already_registered):
        click.echo(line)
    click.echo(report.summary(event_slug))



@delegates_cli.command("export")
@click.argument("event_slug", metavar="EVENT")
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The file to write (- writes CSV to standard output).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="csv or xlsx; by default from the file's extension, else csv.")
@click.option("--status", type=click.Choice([s.value for s in Status]), default=None,
              help="Only registrations with this status.")
@click.option("--include-sensitive", is_flag=True,
              help="Also export the passport details (nationality, passport_number, date_of_birth, "
                   "passport_expiry). Left out by default: handle such a file with care and delete it after use.")
def export_command(event_slug: str, output: Path, fmt: str | None, status: str | None, include_sensitive: bool):
    """Write EVENT's registrations to a CSV or XLSX file.

    Columns: the data-dictionary names, then status, participant_role, registered_at (UTC),
    days_attended and attended_YYYY-MM-DD per event day. CSV is UTF-8 with a byte-order mark, so
    Excel shows Khmer, Thai or Burmese names correctly; the importer reads the file back.
    """
    with sqlite_read_transactions():  # an export only reads: never hold SQLite's write lock
        _export(event_slug, output, fmt, status, include_sensitive)


def _export(event_slug: str, output: Path, fmt: str | None, status: str | None, include_sensitive: bool):
    event = event_by_slug(event_slug)
    fmt = fmt or ("xlsx" if output.suffix.lower() in (".xlsx", ".xlsm") else "csv")
    options = {"fmt": fmt, "status": status, "include_sensitive": include_sensitive}
    try:
        if str(output) == "-":
            if fmt != "csv":
                raise click.ClickException("only CSV can be written to standard output")
            count = export_delegates(event, sys.stdout, **options)
            click.echo(f"Exported {count} registrations of {event.slug}.", err=True)
            return
        # CSV with a byte-order mark: Excel would otherwise read Khmer, Thai and Burmese as cp1252.
        count = write_atomically(output, lambda target: export_delegates(event, target, **options),
                                 encoding="utf-8-sig" if fmt == "csv" else None)
    finally:
        db.session.rollback()  # an export only reads; end its transaction
    click.echo(f"Exported {count} registrations of {event.slug} to {output}.")
