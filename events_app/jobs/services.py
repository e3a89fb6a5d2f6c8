"""Queue a long job, find it again, and keep its result file under instance/jobs/ with a random name."""
import secrets
import threading
from pathlib import Path

from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session

from events_app.extensions import db
from events_app.jobs.models import Job

_PENDING_KEY = "jobs_queued"
_hook_installed = False


def queue(kind: str, *, event_id: int | None, user_id: int | None, params: dict, total: int | None = None,
          message: str = "") -> Job:
    """A queued job of this kind (see runner.job_kind); flushes. After the commit, a runner takes it:
    `flask jobs work`, or in development a thread the app starts then (JOBS_RUN_AFTER_COMMIT)."""
    job = Job(kind=kind, event_id=event_id, user_id=user_id, params=params, total=total, message=message)
    db.session.add(job)
    db.session.flush()
    if current_app.config["JOBS_RUN_AFTER_COMMIT"]:
        _install_hook()
        db.session().info[_PENDING_KEY] = True
    return job


def job_of_event(event_id: int, job_id: int) -> Job | None:
    """The job if it belongs to this event (another event's job is not found)."""
    return db.session.scalar(select(Job).where(Job.id == job_id, Job.event_id == event_id))


def jobs_folder() -> Path:
    """instance/jobs/, made on first use; result files there are named at random (never guessable)."""
    folder = Path(current_app.instance_path) / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_result_path(suffix: str) -> Path:
    """A fresh, unguessable path in jobs_folder() for a result file ending in `suffix` (".csv", ".pdf")."""
    return jobs_folder() / f"{secrets.token_urlsafe(16)}{suffix}"


def result_path(job: Job) -> Path | None:
    """The job's result file if it has one and it is still there (only a file inside jobs_folder())."""
    name = (job.result or {}).get("file")
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = jobs_folder() / name
    return path if path.is_file() else None


# --- development convenience: run queued jobs right after the commit, in a thread --------------


def _install_hook() -> None:
    global _hook_installed
    if not _hook_installed:
        sa_event.listen(Session, "after_commit", _after_commit)
        sa_event.listen(Session, "after_rollback", lambda session: session.info.pop(_PENDING_KEY, None))
        _hook_installed = True


def _after_commit(session: Session) -> None:
    if not session.info.pop(_PENDING_KEY, None):
        return
    from events_app.jobs.runner import work  # the runner imports this module

    app = current_app._get_current_object()

    def run() -> None:
        with app.app_context():
            work()

    threading.Thread(target=run, name="jobs-after-commit", daemon=True).start()
