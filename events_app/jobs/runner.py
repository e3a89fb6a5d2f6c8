"""The job runner: claim queued jobs safely, run each kind's handler outside any request, record progress.

A claim marks the job running with a lease (locked_until) and is committed before the work starts, so
two runners never take the same job: PostgreSQL skips rows another runner has locked (SELECT ... FOR
UPDATE SKIP LOCKED); SQLite claims with a conditional UPDATE whose rowcount tells who won (as the mail
sender does). A job still running when its lease ends (its runner died) is claimed again.
Handlers are registered by the packages that own the work (`job_kind`): this foundation package
imports none of them.
"""
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update

from events_app.choices import JobStatus
from events_app.extensions import db
from events_app.jobs.models import Job
from events_app.models import utcnow

log = logging.getLogger(__name__)
HANDLERS: dict[str, Callable] = {}
LEASE = timedelta(hours=1)  # far longer than an import of 10,000 rows or a run of 10,000 badges takes


class JobFailed(Exception):
    """A job that cannot be done; its message is shown to the organiser on the job page."""


def job_kind(kind: str):
    """Register `handler(job, progress)` for jobs of this kind; it returns the job's result dict
    (e.g. {"file": name, "filename": ..., "content_type": ...}) and may raise JobFailed."""

    def register(handler):
        HANDLERS[kind] = handler
        return handler

    return register


class Progress:
    """Writes a running job's done/total/message on its own short transaction, so the job page sees them
    while the job's own transaction is still open."""

    EVERY = 100  # units between writes: a write per badge would cost more than the badge

    def __init__(self, job_id: int, *, every: int | None = None):
        self.job_id = job_id
        self.every = every or self.EVERY
        self._last = 0

    def update(self, done: int, *, total: int | None = None, message: str | None = None,
               force: bool = False) -> None:
        """Record progress (at most every `every` units unless forced or a message is given)."""
        if not force and message is None and done - self._last < self.every:
            return
        self._last = done
        values = {"done": done}
        if total is not None:
            values["total"] = total
        if message is not None:
            values["message"] = message
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == self.job_id).values(**values))


def _claimable(now: datetime):
    return or_(Job.status == JobStatus.QUEUED, and_(Job.status == JobStatus.RUNNING, Job.locked_until < now))


def claim(now: datetime | None = None) -> int | None:
    """Claim the oldest claimable job and COMMIT; its id, or None when there is nothing to do."""
    now = now or utcnow()
    session = db.session
    candidates = select(Job.id).where(_claimable(now)).order_by(Job.id).limit(5)
    take = (update(Job).values(status=JobStatus.RUNNING, locked_until=now + LEASE, started_at=now)
            .execution_options(synchronize_session=False))
    try:
        if session.get_bind().dialect.name == "postgresql":
            job_id = session.scalar(candidates.limit(1).with_for_update(skip_locked=True))
            if job_id is not None:
                session.execute(take.where(Job.id == job_id))
        else:
            job_id = None
            for candidate in session.scalars(candidates).all():
                if session.execute(take.where(Job.id == candidate, _claimable(now))).rowcount == 1:
                    job_id = candidate
                    break
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return job_id


def run(job_id: int) -> Job:
    """Run one claimed job's handler; its outcome (result or failure message) is committed."""
    job = db.session.get(Job, job_id)
    handler = HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise JobFailed(f"no runner knows jobs of kind {job.kind!r}")
        result = handler(job, Progress(job_id))
    except JobFailed as error:
        db.session.rollback()
        return _finish(job_id, JobStatus.FAILED, message=str(error))
    except Exception:
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, db.session.get(Job, job_id).kind)
        return _finish(job_id, JobStatus.FAILED, message="The job stopped on an unexpected error; it is logged.")
    db.session.commit()
    return _finish(job_id, JobStatus.DONE, result=result or {})


def _finish(job_id: int, status: JobStatus, **values) -> Job:
    job = db.session.get(Job, job_id)
    job.status = status
    job.finished_at = utcnow()
    job.locked_until = None
    if status == JobStatus.DONE and job.total is not None:
        job.done = job.total
    for name, value in values.items():
        setattr(job, name, value)
    db.session.commit()
    return job


def work(*, stop: threading.Event | None = None, poll_seconds: float = 2.0) -> int:
    """Run queued jobs one after another; without `stop`, until none is left, else until stop is set
    (`flask jobs work --loop`). Returns how many jobs ran."""
    ran = 0
    while True:
        try:
            job_id = claim()
            if job_id is not None:
                run(job_id)
                ran += 1
        except Exception:  # a database restart must not kill a looping runner
            if stop is None:
                raise
            log.exception("job runner pass failed; trying again in %ss", poll_seconds)
            db.session.rollback()
            job_id = None
        finally:
            if stop is not None:
                db.session.remove()  # a long-lived runner starts each job with a fresh session
        if job_id is None:
            if stop is None or stop.wait(poll_seconds):
                return ran
