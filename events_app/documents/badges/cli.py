"""`flask documents badges`: name badges from the command line.

Rendering only reads, so it runs in a deferred SQLite transaction (other writers go on meanwhile);
recording the print is a short write transaction of its own afterwards. On a terminal, click's
progress bar counts the badges on stderr; stdout and the file are the same either way.
"""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from events_app.choices import ParticipantRole, StakeholderGroup, Status
from events_app.database import sqlite_read_transactions
from events_app.documents.badges.layouts import DEFAULT_LAYOUT, LAYOUTS, render_alignment_sheet
from events_app.documents.badges.queries import BadgeSelection, badge_count
from events_app.documents.badges.services import BadgeError, BadgeRun, badge_run, record_printed
from events_app.events.services import event_by_slug
from events_app.extensions import db
from events_app.files import write_atomically
from events_app.jobs.terminal import progress_bar


@click.command("badges")
@click.argument("event_slug", metavar="EVENT")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="PDF file to write.")
@click.option("--layout", default=DEFAULT_LAYOUT, show_default=True, type=click.Choice(sorted(LAYOUTS)))
@click.option("--status", default=Status.APPROVED.value, show_default=True,
              type=click.Choice([s.value for s in Status]), help="Print registrations with this status.")
@click.option("--role", type=click.Choice([r.value for r in ParticipantRole]), help="Only this role.")
@click.option("--group", type=click.Choice([g.value for g in StakeholderGroup]), help="Only this stakeholder group.")
@click.option("--day", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Only delegates whose arrival/departure dates cover this event day (or who gave none).")
@click.option("--not-printed", is_flag=True, help="Only badges not printed before.")
@click.option("--registration", "registration_id", type=int, metavar="ID",
              help="Reprint one approved delegate's badge (other filters are ignored).")
@click.option("--email", help="Reprint the badge of the approved delegate with this email.")
@click.option("--cut-marks", is_flag=True, help="Crop marks for cutting sheets (not on label sheets).")
@click.option("--offset-x", type=float, default=0.0, help="Printer offset: mm to the right.")
@click.option("--offset-y", type=float, default=0.0, help="Printer offset: mm down.")
@click.option("--no-record", is_flag=True, help="A preview: do not record the badges as printed.")
@click.option("--alignment-test", is_flag=True, help="Print one calibration page instead of badges.")
@with_appcontext
def badges_command(event_slug, output, layout, status, role, group, day, not_printed, registration_id, email,
                   cut_marks, offset_x, offset_y, no_record, alignment_test):
    """Name badges for EVENT (approved registrations by default), sorted by name; records them as printed."""
    with sqlite_read_transactions():
        try:
            event = event_by_slug(event_slug)
            if not Path(output).resolve().parent.is_dir():
                raise click.ClickException(f"no such directory for {output}")
            if alignment_test:
                write_atomically(output, lambda f: render_alignment_sheet(layout, f, (offset_x, offset_y)))
                click.echo(f"Alignment test page for {layout} written to {output}")
                return
            if registration_id is not None and email:
                raise click.ClickException("give --registration or --email, not both")
            selection = BadgeSelection(status=status, role=role, group=group, day=day.date() if day else None,
                                       not_printed=not_printed, registration_id=registration_id, email=email)
            run = _render(event, output, selection, layout=layout, cut_marks=cut_marks,
                          offset_mm=(offset_x, offset_y))
        finally:
            db.session.rollback()  # end the read before the write below takes the lock
    if not no_record:
        run.printed = record_printed(run.registration_ids)
        db.session.commit()
    for warning in run.report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    recorded = "" if no_record else f"; {run.printed} recorded as printed"
    click.echo(f"{run.report.badges} badges on {run.report.pages} pages written to {output}{recorded}")


def _render(event, output: str, selection: BadgeSelection, **options) -> BadgeRun:
    """Write the badges atomically (nothing recorded yet); a refusal is one line and no file."""
    def render(f):
        total = 1 if selection.single else badge_count(event, selection)
        with progress_bar(total, "Badges") as progress:
            run = badge_run(event, f, selection=selection, record=False, progress=progress,
                            font_dirs=current_app.config.get("FONT_DIRS", []), **options)
        if not run.report.badges:  # raised before the file is moved into place: nothing is written
            raise click.ClickException("no delegate matches these choices; nothing written")
        return run

    try:
        return write_atomically(output, render)
    except BadgeError as error:
        raise click.ClickException(str(error)) from None
