"""The sender: claim due outbox rows safely, deliver them over SMTP, retry with backoff, never twice.

A claim (claiming.py) sets status 'sending' and a lease (locked_until), writes the messages not yet
written, and is committed before any SMTP talk, so two workers never take the same row and every
attempt sends the same message. Outcomes are written only while the lease is still ours
(locked_until is the fencing token).
"""
import logging
import random
import threading
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from events_app.extensions import db
from events_app.mail.attachments import AttachmentError, build_attachments
from events_app.mail.claiming import UNRECORDED_NOTE, Report, claim, lease_length  # noqa: F401 - also imported from here
from events_app.mail.models import OutboxMessage, OutboxStatus
from events_app.mail.transport import Envelope, Failure, TimeoutConnection, build_message, classify
from events_app.models import utcnow

log = logging.getLogger(__name__)

# Kept on a message delivered after an "outcome unknown" attempt, so the outbox tells the whole story.
DUPLICATE_NOTE = ("sent; an earlier attempt's outcome was unknown, so the recipient may have it twice "
                  "with the same Message-ID")
RECORD_RETRY_SECONDS = (0.2, 0.5, 1, 2, 4, 8, 15, 30)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with jitter, capped: base * 2^(attempts-1), plus up to 25%."""
    base = float(current_app.config["MAIL_RETRY_BASE_SECONDS"])
    cap = float(current_app.config["MAIL_RETRY_MAX_SECONDS"])
    delay = min(cap, base * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=min(cap, delay * (1 + random.uniform(0, 0.25))))


def deliver_due(*, limit: int | None = None, now: datetime | None = None,
                only_ids: list[int] | None = None) -> Report:
    """Deliver every message due now, batch after batch, each at most once per call (`flask mail send`)."""
    report = Report()
    limit = limit or int(current_app.config["MAIL_BATCH_SIZE"])
    while True:
        batch = deliver_batch(limit=limit, now=now, only_ids=only_ids, skip_ids=frozenset(report.claimed))
        for name in ("claimed", "sent", "retrying", "failed", "lost", "released"):
            getattr(report, name).extend(getattr(batch, name))
        if len(batch.claimed) < limit:
            return report


def deliver_batch(*, limit: int, now: datetime | None = None, only_ids: list[int] | None = None,
                  skip_ids: frozenset = frozenset()) -> Report:
    """Claim one batch and deliver it over one SMTP connection."""
    now = now or utcnow()
    report = Report()
    ids, lease_until = claim(limit=limit, now=now, only_ids=only_ids, skip_ids=skip_ids, report=report)
    report.claimed = ids + report.failed
    if not ids:
        return report
    envelopes, broken = _snapshot(ids)
    for message_id, failure in broken.items():
        _record_failure(message_id, failure, lease_until, now, report)

    timeout = float(current_app.config["MAIL_TIMEOUT"])
    connection = TimeoutConnection(current_app.config)
    unreachable: Failure | None = None
    # One SMTP conversation is a handful of operations, each bounded by the timeout. Stop
    # starting new ones well before the lease ends: another worker may claim the rest then.
    margin = timedelta(seconds=min(8 * timeout, lease_length().total_seconds() / 2))
    try:
        for envelope in envelopes:
            if unreachable is not None:  # do not wait out one timeout per message
                _record_failure(envelope.id, unreachable, lease_until, now, report)
                continue
            if utcnow() > lease_until - margin:
                _release(envelope.id, lease_until, report)
                continue
            try:
                message = build_message(envelope)
                if connection.host is None and not connection.mail.suppress:
                    connection.host = connection.configure_host()
                connection.send(message)
            except Exception as error:  # noqa: BLE001 - every failure is classified and recorded
                failure = classify(error, timeout=timeout, payload_sent=connection.payload_sent)
                connection.close()
                if failure.connection:  # the rest of the batch was never tried: not "unknown" for them
                    unreachable = failure if not failure.unknown else Failure(
                        "not tried: the mail server stopped answering", retry=True, connection=True)
                _record_failure(envelope.id, failure, lease_until, now, report)
            else:
                _record_sent(envelope.id, lease_until, report)
    finally:
        connection.close()
    return report


def _snapshot(ids: list[int]) -> tuple[list[Envelope], dict[int, Failure]]:
    """Read the claimed rows and render their attachments, then end the transaction."""
    envelopes, broken = [], {}
    try:
        rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))
                                  .order_by(OutboxMessage.id)).all()
        for row in rows:
            if not row.rendered:  # claimed by a worker that stored no writing: never send it blank
                broken[row.id] = Failure("not written yet", retry=True)
                continue
            try:
                attachments = tuple(build_attachments(row.attachments))
            except AttachmentError as error:
                broken[row.id] = Failure(f"attachment: {error}", retry=True)
                continue
            envelopes.append(Envelope(row.id, row.kind, row.recipient, row.subject, row.body_text,
                                      row.body_html, attachments, row.locale, row.message_id))
    finally:
        db.session.rollback()  # read-only: release SQLite's write lock before talking SMTP
    return envelopes, broken


def _finish(message_id: int, lease_until: datetime, **values) -> bool:
    """Write an outcome if this worker still holds the lease; False when the lease was lost."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.SENDING,
               OutboxMessage.locked_until == lease_until)
        .values(locked_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _record_sent(message_id: int, lease_until: datetime, report: Report) -> None:
    """Record a delivery the server accepted: retry the recording, never the sending.

    The message is out; sending it again would be the failure. So a database error here (a restart,
    a dropped connection) is waited out, in fresh transactions, while the lease still protects the row.
    """
    sent_at = utcnow()
    for delay in (*RECORD_RETRY_SECONDS, None):
        try:
            recorded = _finish(message_id, lease_until, status=OutboxStatus.SENT, sent_at=sent_at,
                               last_error=case((OutboxMessage.last_error.startswith("outcome unknown"),
                                                DUPLICATE_NOTE), else_=""))
            if not recorded:
                recorded = _claim_back_as_sent(message_id, sent_at) or _already_sent(message_id)
            break
        except SQLAlchemyError:
            db.session.rollback()
            if delay is None or utcnow() + timedelta(seconds=delay) >= lease_until:
                raise  # the worker stops; the row's lease runs out and it is retried (same Message-ID)
            log.warning("outbox %s sent; recording it failed, trying again in %ss", message_id, delay)
            stop_for(delay)
    if recorded:
        report.sent.append(message_id)
        log.info("outbox %s sent", message_id)
    else:
        report.lost.append(message_id)
        log.warning("outbox %s sent but another worker had claimed it again", message_id)


def _claim_back_as_sent(message_id: int, sent_at: datetime) -> bool:
    """Our lease ran out while we sent: mark it sent anyway unless another worker holds it now."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id,
               or_(OutboxMessage.status == OutboxStatus.QUEUED,
                   and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.locked_until < utcnow())))
        .values(status=OutboxStatus.SENT, sent_at=sent_at, locked_until=None,
                last_error="sent after its lease had run out")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _already_sent(message_id: int) -> bool:
    """True when an earlier try's commit did land (its answer was lost with the connection)."""
    status = db.session.scalar(select(OutboxMessage.status).where(OutboxMessage.id == message_id))
    db.session.rollback()
    return status == OutboxStatus.SENT


def stop_for(seconds: float) -> None:
    """Wait before retrying a database write (a seam so tests need not sleep)."""
    threading.Event().wait(seconds)


def _release(message_id: int, lease_until: datetime, report: Report) -> None:
    """Give an untried message back to the queue (its lease is running out), not counting the attempt."""
    if _finish(message_id, lease_until, status=OutboxStatus.QUEUED, attempts=OutboxMessage.attempts - 1,
               next_attempt_at=utcnow()):
        report.released.append(message_id)
        log.info("outbox %s released untried: the batch's lease is running out", message_id)
    else:
        report.lost.append(message_id)


def _record_failure(message_id: int, failure: Failure, lease_until: datetime, now: datetime,
                    report: Report) -> None:
    attempts = db.session.scalar(select(OutboxMessage.attempts).where(OutboxMessage.id == message_id)) or 0
    max_attempts = int(current_app.config["MAIL_MAX_ATTEMPTS"])
    if failure.retry and attempts < max_attempts:
        done = _finish(message_id, lease_until, status=OutboxStatus.QUEUED, last_error=failure.reason,
                       next_attempt_at=now + retry_delay(attempts))
        bucket, outcome = report.retrying, "will be retried"
    else:
        reason = f"gave up after {attempts} attempts: {failure.reason}" if failure.retry else failure.reason
        done = _finish(message_id, lease_until, status=OutboxStatus.FAILED, last_error=reason)
        bucket, outcome = report.failed, "failed"
    if done:
        bucket.append(message_id)
        log.warning("outbox %s %s (attempt %s, code %s)", message_id, outcome, attempts, failure.code)
    else:
        report.lost.append(message_id)


def run_worker(stop: threading.Event, *, poll_seconds: float | None = None,
               on_pass=None) -> None:
    """Deliver due mail until `stop` is set (`flask mail send --loop`); survives database hiccups."""
    poll = float(poll_seconds if poll_seconds is not None else current_app.config["MAIL_POLL_SECONDS"])
    limit = int(current_app.config["MAIL_BATCH_SIZE"])
    log.info("mail worker started (poll every %ss)", poll)
    while not stop.is_set():
        busy = False
        try:
            report = deliver_batch(limit=limit)
            busy = len(report.claimed) == limit
            if on_pass is not None:
                on_pass(report)
        except Exception:  # a database restart must not kill the worker
            log.exception("mail worker pass failed; trying again in %ss", poll)
            db.session.rollback()
        finally:
            db.session.remove()
        if not busy:
            stop.wait(poll)
    log.info("mail worker stopped")
