"""The workspace's long jobs: a large import, a large XLSX export, a badge run (see jobs.runner).

Reads run in SQLite's deferred transactions so that progress can be written meanwhile (a separate
short transaction); the writes come last, in the job's one transaction, which the runner commits.
"""
from collections.abc import Iterable, Iterator
from datetime import date

from events_app.auth.models import User
from events_app.database import sqlite_read_transactions
from events_app.delegate_files import uploads
from events_app.delegate_files.exporting import export_rows, write_xlsx
from events_app.delegate_files.importing import ImportReport, import_delegates
from events_app.delegate_files.tables import TableError
from events_app.documents.badges.queries import BadgeSelection
from events_app.documents.badges.services import BadgeError, badge_run, record_printed
from events_app.events.models import Event
from events_app.extensions import db
from events_app.jobs.runner import JobFailed, job_kind
from events_app.jobs.services import new_result_path
from events_app.manage.forms import chosen_ids

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _on_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def _refuse(report: ImportReport) -> None:
    if not report.ok:
        shown = "; ".join(map(str, report.errors[:5])) + ("; …" if len(report.errors) > 5 else "")
        raise JobFailed(f"{len(report.errors)} problem(s) in the file; nothing was imported: {shown}")


@job_kind("import")
def import_job(job, progress) -> dict:
    """Import a kept upload: check every row (with progress), then register them all or none."""
    event_id, upload, notify, user_id = job.event_id, job.params["upload"], job.params.get("notify"), job.user_id
    db.session.rollback()  # end the job row's read: on SQLite a worker's transaction takes the write lock
    path = uploads.upload_path(event_id, upload.split(".")[1])
    if path is None:
        raise JobFailed("The uploaded file is no longer on the server; upload it again.")
    try:
        rows = uploads.upload_rows(path)
    except TableError as error:
        raise JobFailed(str(error)) from error
    counted = progress.update
    if _on_sqlite():  # the import's own transaction will hold SQLite's lock: check first, with progress
        with sqlite_read_transactions():
            _refuse(import_delegates(db.session.get(Event, event_id), rows, dry_run=True, progress=counted))
            db.session.rollback()
        progress.update(len(rows), message="Registering the new delegates", force=True)
        counted = None
    report = import_delegates(db.session.get(Event, event_id), rows, notify=bool(notify),
                              by_user=db.session.get(User, user_id) if user_id else None, progress=counted)
    _refuse(report)
    uploads.discard(path)
    return {"summary": f"{report.new} new delegates imported; {len(report.already_registered)} already "
                       "registered (skipped)."}


def _counted(rows: Iterable, progress) -> Iterator:
    for done, row in enumerate(rows, start=1):
        progress.update(done)
        yield row


@job_kind("export")
def export_job(job, progress) -> dict:
    """Write the chosen delegates and columns to an XLSX file under instance/jobs/."""
    event_id, params = job.event_id, dict(job.params)
    db.session.rollback()
    path = new_result_path(".xlsx")
    with sqlite_read_transactions():  # an export only reads
        event = db.session.get(Event, event_id)
        only = chosen_ids(event, params.get("ids") or [], params.get("filter") or "")
        if only is None:
            raise JobFailed("The list's filter is no longer valid; export again from the list.")
        count = write_xlsx(path, params["columns"], _counted(export_rows(event, columns=params["columns"],
                                                                           only=only), progress))
        filename = f"{event.slug}-delegates-{date.today().isoformat()}.xlsx"
        db.session.rollback()
    return {"file": path.name, "filename": filename, "content_type": XLSX_TYPE,
            "summary": f"{count} delegates exported."}


@job_kind("badges")
def badges_job(job, progress) -> dict:
    """Render a badge run to a PDF under instance/jobs/, counting the badges as they are drawn; then
    record them as printed (unless the run is a preview), in the job's one transaction.

    params: the BadgeSelection's filters (status, role, group, day, not_printed), the layout options
    (layout, cut_marks, offset_mm) and record (False for a preview).
    """
    event_id, params = job.event_id, dict(job.params)
    record = params.get("record", True)
    db.session.rollback()
    path = new_result_path(".pdf")
    day = date.fromisoformat(params["day"]) if params.get("day") else None
    selection = BadgeSelection(status=params.get("status", "approved"), role=params.get("role"),
                               group=params.get("group"), day=day, not_printed=bool(params.get("not_printed")))
    with sqlite_read_transactions():  # rendering only reads; recording the prints is the short write after
        event = db.session.get(Event, event_id)
        try:
            with path.open("wb") as out:
                run = badge_run(event, out, selection=selection, layout=params.get("layout", "a4-8up"),
                                cut_marks=bool(params.get("cut_marks")),
                                offset_mm=tuple(params.get("offset_mm") or (0.0, 0.0)), record=False,
                                progress=progress.update)
        except BadgeError as error:
            path.unlink(missing_ok=True)
            raise JobFailed(str(error)) from error
        filename = f"badges-{event.slug}-{params.get('layout', 'a4-8up')}{'' if record else '-preview'}.pdf"
        db.session.rollback()
    if not run.registration_ids:
        path.unlink(missing_ok=True)
        raise JobFailed("No delegate matches these choices any more, so there is nothing to print.")
    count = len(run.registration_ids)
    if not record:
        progress.update(count, total=count, force=True)
        return {"file": path.name, "filename": filename, "content_type": "application/pdf",
                "summary": f"{count} badges in the preview; none recorded as printed."}
    progress.update(count, total=count, message="Recording the prints", force=True)
    printed = record_printed(run.registration_ids)
    return {"file": path.name, "filename": filename, "content_type": "application/pdf",
            "summary": f"{printed} badges printed and recorded."}
