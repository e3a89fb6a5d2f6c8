"""Export on the web: the list's filter or the ticked delegates as CSV (streamed) or XLSX, chosen columns.

The same service as `flask delegates export` (delegate_files.exporting), so cells are formula-safe
alike. A large XLSX (it cannot be streamed) is written by a job; the organiser watches its page.
"""
import io
from datetime import date
from urllib.parse import urlencode

from flask import Response, abort, redirect, render_template, request, send_file, stream_with_context, url_for
from flask_login import current_user
from sqlalchemy import func, select

from events_app.choices import EventRole
from events_app.database import sqlite_read_transactions
from events_app.delegate_files.exporting import export_columns, export_csv, export_rows, write_xlsx
from events_app.events.access import event_view
from events_app.extensions import db
from events_app.jobs import services as jobs
from events_app.manage.forms import DelegateFilterForm, ExportForm, chosen_ids
from events_app.manage.views import bp

XLSX_IN_REQUEST_ROWS = 2000  # beyond this an XLSX is written by a job (a workbook cannot be streamed)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def selected(event, form: ExportForm):
    """A SELECT of the ids to export: the ticked delegates, else those the kept filter matches."""
    ids = chosen_ids(event, form.ids.data or [], form.filter.data or "")
    if ids is None:
        abort(400)
    return ids


def export_filename(event, fmt: str) -> str:
    """e.g. mekong-2026-delegates-2026-03-01.csv"""
    return f"{event.slug}-delegates-{date.today().isoformat()}.{fmt}"


@bp.route("/events/<slug>/export", methods=["GET", "POST"])
@event_view(EventRole.ORGANISER)
def export_page(event):
    """Choose format and columns for the list's filter (GET, from the list) or the ticked delegates (POST
    from the list's bulk form); the form's Export button downloads the file or starts a job."""
    with sqlite_read_transactions():  # an export only reads: never hold SQLite's write lock
        if request.method == "GET":
            filters = DelegateFilterForm.for_event(event, request.args)
            if not filters.validate():
                abort(400)
            form = ExportForm.for_columns(export_columns(event), filter=urlencode(filters.query_args()),
                                          formdata=None)
        else:
            form = ExportForm.for_columns(export_columns(event))
        ids = selected(event, form)
        if form.download.data and form.validate_on_submit():
            return _download(event, form, ids)
        total = _count(ids)
        db.session.rollback()
    return render_template("manage/export.html", event=event, form=form, total=total)


def _count(ids) -> int:
    """How many delegates the export would write: for the page and the XLSX's choice of a job, not a CSV download
    (the count read the event's rows once more)."""
    return db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0


def _download(event, form: ExportForm, ids):
    columns, fmt = form.columns.data, form.fmt.data
    if fmt == "xlsx" and (total := _count(ids)) > XLSX_IN_REQUEST_ROWS:
        db.session.rollback()
        job = jobs.queue("export", event_id=event.id, user_id=current_user.id, total=total,
                         params={"columns": columns, "ids": form.ids.data, "filter": form.filter.data or ""},
                         message=f"Writing {total} delegates to an Excel workbook")
        db.session.commit()
        return redirect(url_for(".job_page", slug=event.slug, job_id=job.id))
    headers = {"Content-Disposition": f'attachment; filename="{export_filename(event, fmt)}"',
               "Cache-Control": "no-store"}
    if fmt == "xlsx":
        stream = io.BytesIO()
        write_xlsx(stream, columns, export_rows(event, columns=columns, only=ids))
        db.session.rollback()
        stream.seek(0)
        return send_file(stream, mimetype=XLSX_TYPE, as_attachment=True, download_name=export_filename(event, fmt),
                         max_age=0)

    def streamed():
        with sqlite_read_transactions():
            try:
                yield "\ufeff"  # Excel reads UTF-8 (Khmer, Thai, Burmese names) only after a byte-order mark
                yield from export_csv(event, columns=columns, only=ids)
            finally:
                db.session.rollback()

    return Response(stream_with_context(streamed()), mimetype="text/csv", headers=headers)
