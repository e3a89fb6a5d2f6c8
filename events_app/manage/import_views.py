"""Import on the web: upload a CSV or XLSX table → a preview of every row with its errors and likely
duplicates → confirm → all rows or none, through the same service as `flask delegates import`.

The uploaded file stays on the server between the preview and the confirmation (delegate_files.uploads);
a large import runs as a job, so no request waits for thousands of registrations.
"""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from events_app.choices import EventRole
from events_app.database import sqlite_read_transactions
from events_app.delegate_files import uploads
from events_app.delegate_files.importing import import_delegates
from events_app.delegate_files.tables import TableError
from events_app.events.access import event_view
from events_app.extensions import db
from events_app.jobs import services as jobs
from events_app.manage import services
from events_app.manage.forms import ImportConfirmForm, ImportUploadForm
from events_app.manage.views import bp

IN_REQUEST_ROWS = 300  # more rows than this are imported by a job, with its progress on a page


def limits() -> dict:
    """The limits the import page states (and the upload and preview enforce)."""
    return {"megabytes": f"{uploads.max_bytes() / (1024 * 1024):g}", "rows": f"{uploads.max_rows():,}"}


@bp.route("/events/<slug>/import", methods=["GET", "POST"])
@event_view(EventRole.ORGANISER)
def import_page(event):
    """The upload form; a valid upload is kept on the server and previewed."""
    form = ImportUploadForm()
    if form.validate_on_submit():
        try:
            data = uploads.read_upload(form.table.data, form.table.data.filename or "")
        except TableError as error:
            form.table.errors.append(str(error))
        else:
            token = uploads.keep_upload(event.id, data, form.table.data.filename or "")
            return redirect(url_for(".import_preview", slug=event.slug, token=token))
    return render_template("manage/import.html", event=event, form=form, limits=limits())


@bp.route("/events/<slug>/import/<token>", methods=["GET", "POST"])
@event_view(EventRole.ORGANISER)
def import_preview(event, token: str):
    """Every row of the kept upload with its errors and likely duplicates (GET); the import itself (POST)."""
    path = uploads.upload_path(event.id, token)
    if path is None:
        flash(_("That upload is no longer here (uploads are kept for a day). Please upload the file again."),
              "error")
        return redirect(url_for(".import_page", slug=event.slug))
    form = ImportConfirmForm()
    try:
        rows = uploads.upload_rows(path)
    except TableError as error:
        uploads.discard(path)
        flash(str(error), "error")
        return redirect(url_for(".import_page", slug=event.slug))
    if form.validate_on_submit():
        return _confirm(event, token, path, rows, notify=form.notify.data)
    with sqlite_read_transactions():  # the preview only reads
        try:
            report = import_delegates(event, rows, dry_run=True)
        except TableError as error:
            db.session.rollback()
            uploads.discard(path)
            flash(str(error), "error")
            return redirect(url_for(".import_page", slug=event.slug))
        errors: dict[int, list] = {}
        for error in report.errors:
            errors.setdefault(error.row, []).append(error)
        duplicates = services.likely_existing(event.id, rows)
        page = render_template("manage/import_preview.html", event=event, form=form, rows=rows, report=report,
                               errors=errors, duplicates=duplicates, filename=uploads.original_name(path))
        db.session.rollback()
    return page


def _confirm(event, token: str, path, rows: list[dict], *, notify: bool):
    """Import now (a few hundred rows) or queue a job; all rows or none either way."""
    if len(rows) > IN_REQUEST_ROWS:
        job = jobs.queue("import", event_id=event.id, user_id=current_user.id, total=2 * len(rows),
                         params={"upload": path.name, "notify": notify},
                         message=f"Importing {len(rows)} rows of {uploads.original_name(path)}")
        db.session.commit()
        return redirect(url_for(".job_page", slug=event.slug, job_id=job.id))
    report = import_delegates(event, rows, notify=notify, by_user=current_user)
    if not report.ok:
        db.session.rollback()
        flash(_("%(n)s problem(s) in the file; nothing was imported. Correct the rows and upload it again.",
                n=len(report.errors)), "error")
        return redirect(url_for(".import_preview", slug=event.slug, token=token))
    db.session.commit()
    uploads.discard(path)
    flash(_("%(new)s new delegates imported; %(skipped)s already registered (skipped).", new=report.new,
            skipped=len(report.already_registered)), "success")
    return redirect(url_for(".delegates", slug=event.slug))
