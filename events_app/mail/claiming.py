"""A worker's claim on due outbox rows: a lease committed before any SMTP talk, the messages written in it.

Two workers never take the same row: PostgreSQL skips rows another worker has locked
(SELECT ... FOR UPDATE SKIP LOCKED); SQLite claims each row with a conditional UPDATE whose
rowcount tells who won. A row whose lease ran out (its worker died mid-send) is claimed again.

A message queued unwritten (render.py) is written before it is claimed and stored in the claim's
transaction, so every attempt sends the identical message with its one Message-ID. One that cannot be
written (its registration deleted, a template error) fails there for good, with the reason.
"""
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, bindparam, case, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from events_app.database import sqlite_read_transactions
from events_app.extensions import db
from events_app.mail.models import OutboxMessage, OutboxStatus
from events_app.mail.render import Rendered, RenderError, render_message

log = logging.getLogger(__name__)

# Written on a row claimed again after its worker vanished mid-send (killed, or the database went away
# before the outcome was recorded): the server may have the message; the retry carries the same Message-ID.
UNRECORDED_NOTE = ("outcome unknown: the previous attempt ended without a recorded outcome; "
                   "sent again with the same Message-ID")


def lease_length() -> timedelta:
    """How long a claim lasts: far longer than one SMTP conversation may take."""
    return timedelta(seconds=float(current_app.config["MAIL_LEASE_SECONDS"]))


@dataclass
class Report:
    """What one pass of the sender did (message ids only: no addresses in logs or reports)."""

    claimed: list[int] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    lost: list[int] = field(default_factory=list)
    released: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.sent)} sent, {len(self.retrying)} to retry, {len(self.failed)} failed"
                + (f", {len(self.released)} left for the next pass" if self.released else "")
                + (f", {len(self.lost)} lease lost" if self.lost else ""))


def due(now: datetime):
    """Queued and due, or being sent by a worker whose lease has run out."""
    return or_(
        and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.locked_until < now),
    )


def claim(*, limit: int, now: datetime, only_ids: list[int] | None = None,
          skip_ids: set[int] | frozenset = frozenset(), report: Report | None = None) -> tuple[list[int], datetime]:
    """Claim up to `limit` due messages for this worker, write those not yet written, and COMMIT.

    Returns (ids, lease end). Messages that cannot be written are failed (added to `report.failed`).
    """
    lease_until = now + lease_length()
    take = (
        update(OutboxMessage)
        .values(status=OutboxStatus.SENDING, locked_until=lease_until, attempts=OutboxMessage.attempts + 1,
                last_error=case((OutboxMessage.status == OutboxStatus.SENDING, UNRECORDED_NOTE),
                                else_=OutboxMessage.last_error))
        .execution_options(synchronize_session=False)
    )

    def candidates(count: int, skip: set[int] | frozenset):
        query = select(OutboxMessage.id).where(due(now)).order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        if only_ids is not None:
            query = query.where(OutboxMessage.id.in_(only_ids))
        if skip:
            query = query.where(OutboxMessage.id.not_in(skip))
        return query.limit(count)

    failed: list[int] = []
    try:
        if db.session.get_bind().dialect.name == "postgresql":
            ids = _claim_postgresql(candidates(limit, skip_ids), take, now, failed)
        else:
            ids = _claim_sqlite(candidates, limit, set(skip_ids), take, now, failed)
    except BaseException:
        db.session.rollback()
        raise
    if report is not None:
        report.failed.extend(failed)
    return ids, lease_until


def _claim_postgresql(candidates, take, now: datetime, failed: list[int]) -> list[int]:
    # Written while holding only these rows' locks: other workers skip them, nobody else waits.
    ids = list(db.session.scalars(candidates.with_for_update(skip_locked=True)))
    written, broken = write_pending(ids)
    ids = [message_id for message_id in ids if message_id not in broken]
    if ids:
        db.session.execute(take.where(OutboxMessage.id.in_(ids)))
    failed.extend(_fail_unwritable(broken, now))
    store_written(written)
    db.session.commit()
    return ids


def _claim_sqlite(candidates, limit: int, tried: set[int], take, now: datetime, failed: list[int]) -> list[int]:
    """SQLite's write lock is the whole database's: write the messages in a read transaction, then take
    the lock only to claim them. Rows another worker claimed meanwhile are lost; take the next ones."""
    ids: list[int] = []
    while len(ids) < limit:
        try:
            with sqlite_read_transactions():
                batch = list(db.session.scalars(candidates(limit - len(ids), tried)))
                written, broken = write_pending(batch)
            db.session.commit()  # ends the read (and commits what the caller had pending, as a claim always did)
            if not batch:
                break
            tried.update(batch)
            won = [message_id for message_id in batch if message_id not in broken
                   and db.session.execute(take.where(OutboxMessage.id == message_id, due(now))).rowcount == 1]
            lost = _fail_unwritable(broken, now)
            store_written({message_id: written[message_id] for message_id in won if message_id in written})
            db.session.commit()
        except SQLAlchemyError:
            if not ids and not failed:
                raise
            db.session.rollback()  # keep what is claimed already: it is committed and leased to us
            log.warning("claiming more outbox rows failed; sending the %s claimed", len(ids))
            break
        ids.extend(won)
        failed.extend(lost)
    return ids


def write_pending(ids: list[int]) -> tuple[dict[int, Rendered], dict[int, str]]:
    """Write the messages among `ids` not yet written: ({id: written}, {id: why it cannot be})."""
    written, broken = {}, {}
    if not ids:
        return written, broken
    rows = db.session.scalars(select(OutboxMessage).options(selectinload(OutboxMessage.registration))
                              .where(OutboxMessage.id.in_(ids), OutboxMessage.body_text.is_(None))).all()
    for row in rows:
        try:
            written[row.id] = render_message(row)
        except RenderError as error:
            broken[row.id] = str(error)
    return written, broken


def store_written(written: dict[int, Rendered]) -> None:
    """Store each message as written, unless it was written already (by a worker whose lease ran out)."""
    if not written:
        return
    table = OutboxMessage.__table__
    unwritten = table.c.body_text.is_(None)
    db.session.execute(
        table.update().where(table.c.id == bindparam("b_id")).values(
            subject=case((unwritten, bindparam("b_subject")), else_=table.c.subject),
            body_text=case((unwritten, bindparam("b_text")), else_=table.c.body_text),
            body_html=case((unwritten, bindparam("b_html")), else_=table.c.body_html),
            locale=case((unwritten, bindparam("b_locale")), else_=table.c.locale)),
        [{"b_id": message_id, "b_subject": w.subject, "b_text": w.text, "b_html": w.html, "b_locale": w.locale}
         for message_id, w in written.items()])


def _fail_unwritable(broken: dict[int, str], now: datetime) -> list[int]:
    """Fail for good, in the claim's transaction, the messages that cannot be written (no SMTP tried)."""
    failed = []
    for message_id, reason in broken.items():
        result = db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id, due(now))
            .values(status=OutboxStatus.FAILED, attempts=OutboxMessage.attempts + 1, locked_until=None,
                    last_error=f"not sent: {reason}")
            .execution_options(synchronize_session=False))
        if result.rowcount == 1:
            failed.append(message_id)
            log.warning("outbox %s failed: it cannot be written", message_id)
    return failed
