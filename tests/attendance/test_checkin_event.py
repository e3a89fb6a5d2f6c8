"""A check-in carries its registration's event (the dashboard counts by it): every way in sets it, no other fits."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from events_app.attendance.models import CheckIn
from events_app.attendance.offline import QueuedScan, record_batch
from events_app.attendance.services import check_in, scan
from events_app.attendance.sessions import add_session
from events_app.attendance.walkins import register_walkin
from events_app.manage.dashboard import event_numbers
from events_app.registration.models import Registration
from tests.conftest import delegate_data


def test_every_way_of_checking_in_records_the_registrations_event(db, make_event, make_registration):
    events = make_event(), make_event()
    for event in events:  # both events' delegates, so a wrong id would show in the other's counts
        day, later = event.days[0], event.days[1]
        scanned, searched, offline, in_session = (make_registration(event) for _ in range(4))
        assert scan(event.id, scanned.checkin_code, day=day).result == "checked_in"  # the desk's one statement
        assert check_in(searched, day=day, method="search").result == "checked_in"
        record_batch(event.id, [QueuedScan(offline.checkin_code, datetime.now(UTC))], day=later)
        session = add_session(event, day=later, title="Plenary")
        assert scan(event.id, in_session.checkin_code, day=later, session=session).result == "checked_in"
        walkin = register_walkin(event, delegate_data(90 + event.id), day=later, by_user=None)
        assert walkin.outcome.result == "checked_in"
    db.session.commit()
    rows = db.session.execute(select(CheckIn.event_id, Registration.event_id)
                              .join(Registration, Registration.id == CheckIn.registration_id)).all()
    assert len(rows) == 10 and all(mine == theirs for mine, theirs in rows)
    for event in events:
        assert event_numbers(event).checked_in_per_day == {event.days[0]: 2, event.days[1]: 3}


def test_the_database_refuses_a_check_in_naming_another_event(db, make_event, make_registration):
    event, other = make_event(), make_event()
    person = make_registration(event)
    db.session.commit()
    db.session.add(CheckIn(registration_id=person.id, event_id=other.id, day=event.starts_on))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_registrations_check_ins_go_with_it(db, make_event, make_registration):
    event = make_event()
    person = make_registration(event)
    check_in(person, day=event.starts_on)
    db.session.commit()
    db.session.delete(person)
    db.session.commit()
    assert db.session.scalars(select(CheckIn)).all() == []
