"""Several senders at once (threads, each with its own app context and session) never send twice."""
import threading
from collections import Counter

import pytest
from sqlalchemy import select

from events_app.mail import messages
from events_app.mail.models import OutboxMessage, OutboxStatus
from events_app.mail.sender import claim, deliver_due, run_worker
from events_app.models import utcnow


def queue_lost_links(db, registrations, times: int) -> None:
    for _ in range(times):
        for registration in registrations:
            messages.lost_link(registration)
    db.session.commit()


@pytest.mark.parametrize("workers", [2, 4])
def test_concurrent_workers_deliver_every_message_exactly_once(app, db, smtp_server, symposium, register,
                                                               workers):
    people = [register(symposium, email=f"w{i}@example.org") for i in range(6)]
    queue_lost_links(db, people, times=4)  # 6 confirmations + 24 lost-link messages
    total = db.session.scalar(select(db.func.count()).select_from(OutboxMessage))
    db.session.commit()
    assert total == 30
    smtp_server.handler.delay = 0.005  # the SMTP conversation takes a moment, as it does for real

    start, reports, errors = threading.Barrier(workers), [], []

    def worker():
        with app.app_context():
            try:
                start.wait()
                reports.append(deliver_due(limit=3))
            except Exception as error:  # noqa: BLE001 - surfaced by the assertion below
                errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not errors
    message_ids = Counter(r.message["Message-ID"] for r in smtp_server.received)
    assert len(message_ids) == 30, "every message was delivered"
    assert max(message_ids.values()) == 1, f"delivered twice: {[m for m, n in message_ids.items() if n > 1]}"
    claimed = [message_id for report in reports for message_id in report.claimed]
    assert len(claimed) == len(set(claimed)) == 30
    assert sum(1 for report in reports if report.claimed) >= 2, "the workers really ran side by side"
    db.session.rollback()
    assert set(db.session.scalars(select(OutboxMessage.status))) == {OutboxStatus.SENT}


def test_a_claimed_message_is_invisible_to_another_worker(app, db, symposium, register, mail_settings):
    register(symposium, email="claimed@example.org")
    now = utcnow()
    with app.app_context():
        first, _lease = claim(limit=10, now=now)
    with app.app_context():
        second, _lease = claim(limit=10, now=now)
    assert len(first) == 1 and second == []


def test_the_worker_loop_delivers_and_stops_cleanly(app, db, smtp_server, symposium, register, wait_until):
    stop, passes = threading.Event(), []
    thread = threading.Thread(target=lambda: _run(app, stop, passes), daemon=True)
    thread.start()
    try:
        register(symposium, email="loop@example.org")
        assert wait_until(lambda: smtp_server.to("loop@example.org"), timeout=5)
    finally:
        stop.set()
        thread.join(3)
    assert not thread.is_alive(), "the worker stops when asked"
    assert len(smtp_server.to("loop@example.org")) == 1


def _run(app, stop, passes):
    with app.app_context():
        run_worker(stop, poll_seconds=0.05, on_pass=passes.append)


def test_sending_right_after_commit_does_not_duplicate_the_workers_delivery(app, db, smtp_server, symposium,
                                                                           register, wait_until):
    app.config["MAIL_SEND_AFTER_COMMIT"] = True
    register(symposium, email="eager@example.org")
    assert wait_until(lambda: smtp_server.to("eager@example.org"), timeout=5), "sent right after the commit"

    deliver_due()  # the worker, at the same moment or later, finds nothing to send again

    def recorded_as_sent():
        db.session.rollback()
        status = db.session.scalar(select(OutboxMessage.status))
        db.session.rollback()
        return status == OutboxStatus.SENT

    assert wait_until(recorded_as_sent, timeout=5)
    assert len(smtp_server.to("eager@example.org")) == 1


def test_a_slow_server_never_outlasts_the_lease_so_nobody_can_send_twice(app, db, smtp_server, symposium,
                                                                         register, mail_settings):
    mail_settings.update(MAIL_LEASE_SECONDS=2, MAIL_TIMEOUT=1)
    for i in range(5):
        register(symposium, email=f"slow{i}@example.org")
    smtp_server.handler.delay = 0.6  # each message takes 0.6 s; the batch would need 3 s

    first = deliver_due(limit=5)

    assert 1 <= len(first.sent) < 5 and first.released, first.summary()
    assert not first.lost
    db.session.rollback()
    released = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(first.released))).all()
    assert all(m.status == "queued" and m.attempts == 0 for m in released), "untried: no attempt counted"
    db.session.rollback()
    while len(smtp_server.received) < 5:
        assert deliver_due(limit=5).claimed, "the rest goes out in later passes"
    delivered = Counter(r.rcpt_tos[0] for r in smtp_server.received)
    assert delivered == {f"slow{i}@example.org": 1 for i in range(5)}
