"""A scan runs on the driver's connection, yet belongs to the session's transaction and sees its changes."""
from sqlalchemy import select

from events_app.attendance.models import CheckIn
from events_app.attendance.services import scan
from events_app.choices import Status


def test_a_scan_is_undone_by_the_sessions_rollback_and_kept_by_its_commit(db, make_event, make_registration):
    event = make_event()
    person = make_registration(event, full_name="Mya Mya Win", organisation="Labour Rights Group")
    outcome = scan(event.id, person.checkin_code, day=event.starts_on)
    assert outcome.result == "checked_in"
    assert (outcome.registration.full_name, outcome.registration.organisation) == ("Mya Mya Win",
                                                                                 "Labour Rights Group")
    db.session.rollback()
    assert db.session.scalars(select(CheckIn)).all() == []

    again = scan(event.id, person.checkin_code, day=event.starts_on)
    db.session.commit()
    assert again.result == "checked_in"
    [row] = db.session.scalars(select(CheckIn)).all()
    assert (row.id, row.registration_id, row.day, row.checked_in_at) == (
        again.checkin.id, person.id, event.starts_on, again.checkin.checked_in_at)


def test_a_scan_sees_a_change_not_yet_flushed_in_the_same_transaction(db, make_event, make_registration):
    event = make_event()
    person = make_registration(event)
    code, day = person.checkin_code, event.starts_on  # loaded now: reading them later would flush
    person.status = Status.CANCELLED  # pending in the session, not yet sent to the database
    assert scan(event.id, code, day=day).result == "not_approved"
    assert db.session.scalars(select(CheckIn)).all() == []
