"""Twenty desks scanning one badge at the same moment record one check-in (both databases, both scan paths)."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from events_app.attendance.models import CheckIn
from events_app.attendance.services import scan
from tests.registration.concurrency_helpers import run_together


def test_twenty_simultaneous_scans_of_one_badge_record_one_check_in(app, db, make_event, make_registration):
    event = make_event()
    person = make_registration(event)
    code, day = person.checkin_code, event.starts_on
    results = run_together(app, [lambda: scan(event.id, code, day=day).result for _ in range(20)])
    assert [r.error for r in results] == [None] * 20
    assert sorted(r.value for r in results) == ["already"] * 19 + ["checked_in"]
    assert len(db.session.scalars(select(CheckIn)).all()) == 1


def test_simultaneous_offline_batches_keep_the_earliest_time(app, db, make_event, make_registration):
    event = make_event()
    person = make_registration(event)
    code, day = person.checkin_code, event.starts_on
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    times = [base + timedelta(minutes=i) for i in range(8)]
    results = run_together(app, [lambda at=at: scan(event.id, code, day=day, at=at, method="offline").result
                                 for at in reversed(times)])
    assert [r.error for r in results] == [None] * 8
    db.session.expire_all()
    rows = db.session.scalars(select(CheckIn)).all()
    assert len(rows) == 1 and rows[0].checked_in_at == base
