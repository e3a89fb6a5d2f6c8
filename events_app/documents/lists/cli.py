"""`flask documents attendees|signin|certificates|letters`: the list documents from the command line.

These only read, so they run in deferred SQLite transactions: registering, checking in and the
mail worker go on while a long document renders.
"""
import functools
from pathlib import Path

import click
from flask.cli import with_appcontext

from events_app.database import sqlite_read_transactions
from events_app.documents.lists.attendees import COLUMNS, GROUP_BY
from events_app.documents.lists.services import (
    DocumentError,
    attendee_list,
    certificates,
    parse_day,
    signin_sheet,
    visa_letters,
)
from events_app.events.services import event_by_slug
from events_app.extensions import db
from events_app.files import write_atomically

_OUTPUT = click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="PDF file to write.")


def _reads_only(command):
    """Run the command without SQLite's write lock, and end its read transaction afterwards."""
    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        with sqlite_read_transactions():
            try:
                return command(*args, **kwargs)
            finally:
                db.session.rollback()
    return wrapped


def _render(output: str, render):
    """Write the PDF atomically; a DocumentError becomes one line on stderr and no file."""
    if not Path(output).resolve().parent.is_dir():
        raise click.ClickException(f"no such directory for {output}")
    try:
        report = write_atomically(output, render)
    except DocumentError as error:
        raise click.ClickException(str(error)) from None
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    return report


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _columns(value: str | None) -> list[str]:
    return [c.strip() for c in (value or "").split(",") if c.strip()]


@click.command("attendees")
@click.argument("event_slug", metavar="EVENT")
@_OUTPUT
@click.option("--public", is_flag=True, help="Only delegates who agreed to be listed; name, organisation, country.")
@click.option("--group-by", default="country", show_default=True, type=click.Choice(list(GROUP_BY)))
@click.option("--columns", metavar="LIST",
              help=f"Comma-separated columns of the internal list, from: {', '.join(COLUMNS)}.")
@with_appcontext
@_reads_only
def attendees_command(event_slug, output, public, group_by, columns):
    """Attendee list of EVENT's approved delegates, grouped and sorted by Latin name."""
    event = event_by_slug(event_slug)
    report = _render(output, lambda f: attendee_list(event, f, public=public, group_by=group_by,
                                                     columns=_columns(columns)))
    click.echo(f"{_n(report.items, 'delegate')} on {_n(report.pages, 'page')} written to {output}")


@click.command("signin")
@click.argument("event_slug", metavar="EVENT")
@click.option("--day", required=True, metavar="YYYY-MM-DD", help="One of the event's days.")
@_OUTPUT
@click.option("--blank-rows", default=5, show_default=True, type=click.IntRange(0, 200),
              help="Empty numbered rows at the end for walk-ins.")
@with_appcontext
@_reads_only
def signin_command(event_slug, day, output, blank_rows):
    """Sign-in sheet of EVENT for one day."""
    event = event_by_slug(event_slug)
    try:
        day = parse_day(event, day)  # checked before any file is touched
    except DocumentError as error:
        raise click.ClickException(str(error)) from None
    report = _render(output, lambda f: signin_sheet(event, day, f, blank_rows=blank_rows))
    click.echo(f"Sign-in sheet for {day.isoformat()}: {_n(report.items, 'delegate')} on "
               f"{_n(report.pages, 'page')} written to {output}")


@click.command("certificates")
@click.argument("event_slug", metavar="EVENT")
@_OUTPUT
@with_appcontext
@_reads_only
def certificates_command(event_slug, output):
    """Certificates of attendance for EVENT's delegates checked in on enough days."""
    event = event_by_slug(event_slug)
    report = _render(output, lambda f: certificates(event, f))
    days = max(event.attendance_threshold_days, 1)
    click.echo(f"{_n(report.items, 'certificate')} (at least {_n(days, 'day')} attended) written to {output}")


@click.command("letters")
@click.argument("event_slug", metavar="EVENT")
@_OUTPUT
@click.option("--released-only", is_flag=True, help="Only letters already released to the delegates.")
@with_appcontext
@_reads_only
def letters_command(event_slug, output, released_only):
    """Visa invitation letters for EVENT's approved delegates who asked for one."""
    event = event_by_slug(event_slug)
    report = _render(output, lambda f: visa_letters(event, f, released_only=released_only))
    click.echo(f"{_n(report.items, 'visa letter')} on {_n(report.pages, 'page')} written to {output}")
