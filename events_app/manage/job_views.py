"""A long job's page: its progress (refreshing itself, no JavaScript needed), its failure, its file.

Organisers see every job of their event; staff, who print badges, see badge runs only (an import or
an export holds contact details that are the organisers').
"""
from flask import abort, make_response, render_template, send_file
from flask_login import current_user

from events_app.audit import services as audit
from events_app.choices import EventRole, JobStatus
from events_app.events.access import TEAM_ROLES, event_view, may
from events_app.extensions import db
from events_app.jobs import services as jobs
from events_app.manage import job_kinds  # noqa: F401 - registers the workspace's job kinds
from events_app.manage.views import bp

REFRESH_SECONDS = 2
STAFF_KINDS = {"badges"}


def _job(event, job_id: int):
    """The event's job, if this user may see it (403 for staff on an organisers' job)."""
    job = jobs.job_of_event(event.id, job_id) or abort(404)
    if job.kind not in STAFF_KINDS and not may(current_user, event, EventRole.ORGANISER):
        abort(403)
    return job


@bp.route("/events/<slug>/jobs/<int:job_id>")
@event_view(*TEAM_ROLES)
def job_page(event, job_id: int):
    """How far the job has got; the download once it is done, or why it failed."""
    job = _job(event, job_id)
    running = job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    page = make_response(render_template("manage/job.html", event=event, job=job, running=running,
                                         has_file=jobs.result_path(job) is not None))
    if running:
        # The Refresh header reloads the page without JavaScript (a <meta> refresh would do the same, but
        # axe-core flags a timed <meta> refresh; the page also links "Refresh now").
        page.headers["Refresh"] = str(REFRESH_SECONDS)
    page.headers["Cache-Control"] = "no-store"
    return page


@bp.route("/events/<slug>/jobs/<int:job_id>/file")
@event_view(*TEAM_ROLES)
def job_file(event, job_id: int):
    """The file a finished job wrote (an export, a badge PDF); the download is written in the audit log."""
    job = _job(event, job_id)
    path = jobs.result_path(job) if job.status == JobStatus.DONE else None
    if path is None:
        abort(404)
    audit.record("document.download", user=current_user, event=event,
                 summary=job.result.get("filename") or path.name)
    db.session.commit()
    return send_file(path, mimetype=job.result.get("content_type"), as_attachment=True,
                     download_name=job.result.get("filename") or path.name, max_age=0)
