"""Queue email in the outbox in the caller's transaction; requeue failed mail (sender.py delivers)."""
import logging
import threading
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy import func, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, selectinload

from events_app.extensions import db
from events_app.inserts import insert_now
from events_app.mail.headers import safe_header, safe_recipient
from events_app.mail.models import OutboxMessage, OutboxStatus
from events_app.models import utcnow

log = logging.getLogger(__name__)

_PENDING_KEY = "events_app.mail.queued_ids"
_hook_installed = False


def queue(
    kind: str,
    *,
    recipient: str,
    subject: str | None = None,
    body_text: str | None = None,
    body_html: str | None = None,
    locale: str = "en",
    event_id: int | None = None,
    registration_id: int | None = None,
    attachments: list | None = None,
    dedupe_key: str | None = None,
    context: dict | None = None,
    write_now: bool = False,
) -> OutboxMessage:
    """Add one message to the outbox; it is sent only if the caller's transaction commits.

    Either written already (subject and body_text given) or to be written by the mail worker just before
    it is sent (`context` given, subject and body left NULL: render.render_message). Refuses
    (UnsafeHeaderError) a subject or recipient that could inject a header. The row gets its Message-ID
    when it is written (OutboxMessage.message_id), so every attempt carries the same one. `write_now`:
    the row is INSERTed at once without the ORM's flush (events_app/inserts.py), for a caller that would
    flush right away; else it is added to the session and goes in with the next flush (many at once).
    """
    if (body_text is None) == (context is None):
        raise ValueError("a message is either written (subject and body_text) or has a context to be written from")
    rendered = body_text is not None
    message = OutboxMessage(
        kind=safe_header(kind, name="kind"),
        recipient=safe_recipient(recipient),
        subject=safe_header(subject or "", name="subject") if rendered else None,
        body_text=body_text,
        body_html=(body_html or "") if rendered else None,
        context=context,
        locale=locale,
        event_id=event_id,
        registration_id=registration_id,
        attachments=list(attachments or []),
        dedupe_key=dedupe_key,
        status=OutboxStatus.QUEUED,
        attempts=0,
        next_attempt_at=utcnow(),
        last_error="",
    )
    if write_now:
        insert_now(message)
    else:
        db.session.add(message)
    if current_app.config.get("MAIL_SEND_AFTER_COMMIT"):
        _remember_for_after_commit(message)
    return message


def requeue(message: OutboxMessage, *, now: datetime | None = None) -> bool:
    """Put one failed message back in the queue with a fresh set of attempts; False if not failed."""
    if message.status != OutboxStatus.FAILED:
        return False
    message.status = OutboxStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = now or utcnow()
    message.locked_until = None
    db.session.flush()
    return True


def requeue_failed(*, event_id: int | None = None, within=None, now: datetime | None = None) -> int:
    """Put every failed message (of one event, or of the events `within` selects, or all) back in the queue.

    Returns how many.
    """
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.FAILED)
        .values(status=OutboxStatus.QUEUED, attempts=0, next_attempt_at=now or utcnow(), locked_until=None)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(_of_events(statement, event_id, within)).rowcount


def outbox_query(*, status: str | None = None, kind: str | None = None, event_id: int | None = None, within=None):
    """The outbox, newest first, optionally filtered (for the organisers' list; see _of_events for `within`)."""
    # Each row's times are shown in its event's zone: load the events in one more statement.
    # A subject not yet written is written for the list (render.mail_subject): an organisers' message needs
    # its registration for that, so those are loaded in one more statement too.
    query = (select(OutboxMessage).options(selectinload(OutboxMessage.event), selectinload(OutboxMessage.registration))
             .order_by(OutboxMessage.id.desc()))
    if status in tuple(OutboxStatus):
        query = query.where(OutboxMessage.status == status)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return _of_events(query, event_id, within)


def outbox_counts(*, event_id: int | None = None, within=None) -> dict[OutboxStatus, int]:
    """How many messages are in each status (of one event, or of the events `within` selects, or all)."""
    query = _of_events(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status), event_id, within)
    counts = dict.fromkeys(OutboxStatus, 0)
    counts.update({status: count for status, count in db.session.execute(query)})
    return counts


def _of_events(statement, event_id: int | None, within):
    """Only messages of one event and/or of the events a SELECT of event ids (`within`) gives; None: no limit."""
    if event_id is not None:
        statement = statement.where(OutboxMessage.event_id == event_id)
    if within is not None:
        statement = statement.where(OutboxMessage.event_id.in_(within))
    return statement


def purge_sent(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Blank the bodies of mail sent long ago (they hold names and private links); returns how many.

    For the privacy purge: the row stays as a record that the email went out.
    """
    cutoff = (now or utcnow()) - older_than
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at < cutoff, OutboxMessage.body_text != "")
        .values(body_text="", body_html="", attachments=[], context=None, recipient="erased@invalid")
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(statement).rowcount


# --- development convenience: try to send right after the commit -------------------------
# The outbox stays the source of truth: if this attempt fails or the process exits,
# `flask mail send` delivers the message later.


def _remember_for_after_commit(message: OutboxMessage) -> None:
    _install_hook()
    session = db.session()
    session.info.setdefault(_PENDING_KEY, []).append(message)


def _install_hook() -> None:
    global _hook_installed
    if _hook_installed:
        return
    sa_event.listen(Session, "after_commit", _after_commit)
    sa_event.listen(Session, "after_rollback", _after_rollback)
    _hook_installed = True


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


def _after_commit(session: Session) -> None:
    messages = session.info.pop(_PENDING_KEY, None)
    if not messages:
        return
    # Attributes are expired by now (no SQL allowed here); the identity key still holds the id.
    ids = [state.identity[0] for state in map(sa_inspect, messages) if state.identity]
    if not ids:
        return
    app = current_app._get_current_object()
    threading.Thread(target=_send_now, args=(app, ids), name="mail-after-commit", daemon=True).start()


def _send_now(app, ids: list[int]) -> None:
    from events_app.mail.sender import deliver_due

    with app.app_context():
        try:
            deliver_due(only_ids=ids)
        except Exception:  # the worker will retry; never break the request that queued it
            log.exception("sending right after commit failed for outbox ids %s", ids)
