"""`flask documents recommendations EVENT -o FILE [--lang LANG]`: the recommendations document (PDF, Markdown, DOCX).

Added to the `documents` group by `init_app` (documents does not import recommendations). It only
reads, so it runs in a deferred SQLite transaction.
"""
from pathlib import Path

import click
from flask.cli import with_appcontext

from events_app.database import sqlite_read_transactions
from events_app.documents.cli import documents_cli
from events_app.documents.records import DocumentReport
from events_app.events.services import event_by_slug
from events_app.extensions import db
from events_app.files import write_atomically
from events_app.recommendations.publishing import (
    LANGUAGES,
    check_language,
    recommendations_docx,
    recommendations_markdown,
    recommendations_pdf,
)
from events_app.recommendations.services import RecommendationError

FORMATS = {".pdf": "pdf", ".md": "md", ".docx": "docx"}


def _writer(kind: str, event, lang: str):
    """(write(stream) for write_atomically, its text encoding or None) for one format."""
    if kind == "md":
        return (lambda f: f.write(recommendations_markdown(event, lang=lang))), "utf-8"
    if kind == "docx":
        return (lambda f: recommendations_docx(event, f, lang=lang)), None
    return (lambda f: recommendations_pdf(event, f, lang=lang)), None


@click.command("recommendations")
@click.argument("event_slug", metavar="EVENT")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="File to write: .pdf, .md or .docx (or say --format).")
@click.option("--lang", default="en", show_default=True, metavar="LANG",
              help=f"The document's language: {', '.join(LANGUAGES)} (untranslated ones print in English).")
@click.option("--format", "kind", type=click.Choice(sorted(set(FORMATS.values()))),
              help="pdf, md or docx (default: from the file's name, else pdf).")
@with_appcontext
def recommendations_command(event_slug, output, lang, kind):
    """The adopted recommendations of EVENT, numbered, with the preamble and the participating organisations."""
    if not Path(output).resolve().parent.is_dir():
        raise click.ClickException(f"no such directory for {output}")
    kind = kind or FORMATS.get(Path(output).suffix.lower(), "pdf")
    with sqlite_read_transactions():
        try:
            event = event_by_slug(event_slug)
            write, encoding = _writer(kind, event, check_language(lang))
            report = write_atomically(output, write, encoding=encoding)
        except RecommendationError as error:
            raise click.ClickException(str(error)) from None
        finally:
            db.session.rollback()
    if isinstance(report, DocumentReport):
        for warning in report.warnings:
            click.echo(f"Warning: {warning}", err=True)
        click.echo(f"{report.items} adopted recommendation(s) on {report.pages} page(s) written to {output}")
    else:
        click.echo(f"The recommendations of {event_slug} written to {output}")


def add_commands() -> None:
    """Add the command to the `flask documents` group (once; create_app may run more than once)."""
    documents_cli.add_command(recommendations_command)
