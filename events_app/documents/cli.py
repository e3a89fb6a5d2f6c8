"""`flask documents ...`: render PDFs from the command line."""
import os
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from events_app.choices import ParticipantRole, Status
from events_app.documents.layouts import DEFAULT_LAYOUT, LAYOUTS, draw_alignment_sheet, get_layout
from events_app.documents.services import badge_run
from events_app.extensions import db

documents_cli = AppGroup("documents", help="Render PDF documents for an event.")


def _event_or_fail(slug: str):
    from events_app.events.services import find_event

    event = find_event(slug)
    if event is None:
        raise click.ClickException(f"no event with slug {slug!r} (see `flask events list`)")
    return event


def _write_atomically(path: str, render) -> None:
    """Render into a temporary file beside path and move it into place, so a failure leaves no half PDF."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".badges-", suffix=".pdf", dir=target.parent.resolve())
    try:
        with os.fdopen(fd, "wb") as f:
            result = render(f)
        os.replace(tmp, target)
        return result
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@documents_cli.command("badges")
@click.argument("event_slug", metavar="EVENT")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="PDF file to write.")
@click.option("--layout", default=DEFAULT_LAYOUT, show_default=True, type=click.Choice(sorted(LAYOUTS)))
@click.option("--status", default=Status.APPROVED.value, show_default=True,
              type=click.Choice([s.value for s in Status]), help="Print registrations with this status.")
@click.option("--role", type=click.Choice([r.value for r in ParticipantRole]), help="Only this role.")
@click.option("--cut-marks", is_flag=True, help="Crop marks for cutting sheets (not on label sheets).")
@click.option("--offset-x", type=float, default=0.0, help="Printer offset: mm to the right.")
@click.option("--offset-y", type=float, default=0.0, help="Printer offset: mm down.")
@click.option("--alignment-test", is_flag=True, help="Print one calibration page instead of badges.")
def badges_command(event_slug, output, layout, status, role, cut_marks, offset_x, offset_y, alignment_test):
    """Name badges for EVENT (approved registrations by default), sorted by name."""
    event = _event_or_fail(event_slug)
    if not Path(output).resolve().parent.is_dir():
        raise click.ClickException(f"no such directory for {output}")
    if alignment_test:
        from reportlab.pdfgen.canvas import Canvas

        def sheet(f):
            canv = Canvas(f, pagesize=get_layout(layout).page_size)
            draw_alignment_sheet(canv, get_layout(layout), (offset_x, offset_y))
            canv.showPage()
            canv.save()

        _write_atomically(output, sheet)
        click.echo(f"Alignment test page for {layout} written to {output}")
        return
    run = _write_atomically(output, lambda f: badge_run(
        event, f, status=status, role=role, layout=layout, cut_marks=cut_marks,
        offset_mm=(offset_x, offset_y), font_dirs=current_app.config.get("FONT_DIRS", [])))
    db.session.commit()
    for warning in run.report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"{run.report.badges} badges on {run.report.pages} pages written to {output}")
