"""Run service calls side by side from threads and read back what an organiser would see."""
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from flask import has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from events_app.choices import Status
from events_app.database import sqlite_read_transactions
from events_app.extensions import db
from events_app.registration.models import Registration

JOIN_TIMEOUT = 120  # seconds; a thread still running after this is reported as a deadlock


@dataclass
class Result:
    """What one thread's job returned, or the exception it ended with (after a rollback)."""

    value: Any = None
    error: BaseException | None = None


def run_together(
    app,
    jobs: list[Callable[[], Any]],
    *,
    context: Callable[[], AbstractContextManager] = nullcontext,
) -> list[Result]:
    """Run every job in its own thread, app context and session, all released at once.

    Each job runs after a barrier, then its session commits (or rolls back if the job
    raised) and is removed. `context` wraps each thread's work (e.g. deferred SQLite
    transactions for a control). Results come back in the order of `jobs`.
    """
    if has_app_context():
        db.session.close()  # the caller's session must not hold SQLite's write lock while threads queue for it
    results = [Result() for _ in jobs]
    start = threading.Barrier(len(jobs))

    def work(index: int, job: Callable[[], Any]) -> None:
        with app.app_context(), context():
            try:
                start.wait(timeout=JOIN_TIMEOUT)
                results[index].value = job()
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - every failure is reported by the test
                db.session.rollback()
                results[index].error = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(i, job), daemon=True) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + JOIN_TIMEOUT
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0))
    stuck = sum(thread.is_alive() for thread in threads)
    assert not stuck, f"{stuck} of {len(jobs)} threads never finished (deadlock?)"
    return results


def errors(results: list[Result], *, expected: tuple[type[BaseException], ...] = ()) -> list[str]:
    """The unexpected failures, as 'ExceptionType: message' lines."""
    return [
        f"{type(r.error).__name__}: {str(r.error).splitlines()[0] if str(r.error) else ''}"
        for r in results
        if r.error is not None and not isinstance(r.error, expected)
    ]


@contextmanager
def watch_approved(app, event_id: int, *, interval: float = 0.005) -> Iterator[list[int]]:
    """Poll the approved count from a reader thread while the block runs; yields the samples.

    On SQLite the reader's transactions are deferred, so it never takes the write lock
    that the writers queue for.
    """
    samples: list[int] = []
    done = threading.Event()

    def poll() -> None:
        with app.app_context(), sqlite_read_transactions():
            try:
                while not done.is_set():
                    samples.append(count(event_id, Status.APPROVED))
                    db.session.rollback()
                    time.sleep(interval)
            finally:
                db.session.remove()

    reader = threading.Thread(target=poll, daemon=True)
    reader.start()
    try:
        yield samples
    finally:
        done.set()
        reader.join(JOIN_TIMEOUT)


def count(event_id: int, status: Status, **filters) -> int:
    """Registrations of the event in `status`, optionally for one stakeholder group or country."""
    query = select(func.count(Registration.id)).where(Registration.event_id == event_id, Registration.status == status)
    for column, value in filters.items():
        query = query.where(getattr(Registration, column) == value)
    return db.session.scalar(query) or 0


def registrations(event_id: int) -> list[Registration]:
    """Every registration of the event with its history, freshly read, in id order."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event_id)
            .options(selectinload(Registration.history))
            .order_by(Registration.id)
            .execution_options(populate_existing=True)
        )
    )


def waiting_list(event_id: int) -> list[Registration]:
    """The waitlisted registrations in the order they will be promoted."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event_id, Registration.status == Status.WAITLISTED)
            .order_by(Registration.waitlist_position, Registration.id)
            .execution_options(populate_existing=True)
        )
    )


def waiting_list_problems(event_id: int, *, gap_free: bool = True) -> list[str]:
    """What is wrong with the waiting list: missing, duplicate (or, if asked, gapped) positions, stray ones.

    Positions are handed out as one more than the highest still held, so they run 1..N
    only while nobody has left the waiting list.
    """
    problems = []
    waiting = waiting_list(event_id)
    positions = [r.waitlist_position for r in waiting]
    if None in positions:
        problems.append(f"{positions.count(None)} waitlisted delegates have no position")
    numbered = [p for p in positions if p is not None]
    if len(set(numbered)) != len(numbered):
        problems.append(f"duplicate waiting-list positions: {sorted(numbered)}")
    elif gap_free and numbered != list(range(1, len(numbered) + 1)):
        problems.append(f"waiting-list positions are not 1..{len(numbered)}: {numbered}")
    stray = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == event_id,
            Registration.status != Status.WAITLISTED,
            Registration.waitlist_position.is_not(None),
        )
    )
    if stray:
        problems.append(f"{stray} delegates who are not waitlisted still hold a waiting-list position")
    return problems


def history_problems(registration: Registration) -> list[str]:
    """Breaks in one registration's status history: a gap in the chain, or a last entry that disagrees."""
    history = registration.history
    name = f"registration {registration.id}"
    if not history:
        return [f"{name} has no status history"]
    problems = []
    if history[0].from_status is not None:
        problems.append(f"{name}'s history starts from {history[0].from_status}, not from nothing")
    for before, after in zip(history, history[1:], strict=False):
        if after.from_status != before.to_status:
            problems.append(f"{name}'s history jumps from {before.to_status} to a change from {after.from_status}")
    if history[-1].to_status != registration.status:
        problems.append(f"{name} is {registration.status} but its history ends at {history[-1].to_status}")
    return problems
