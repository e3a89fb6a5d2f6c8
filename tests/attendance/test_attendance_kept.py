"""Each registration's stored attendance (days as bits, count of check-ins; migration 0017's triggers) stays what
its check-ins say, whichever way they are written, removed or their event's dates moved; the CSV export reads it."""
import csv
import io
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update

from events_app.attendance import offline, reports, sessions, walkins
from events_app.attendance.models import CheckIn
from events_app.attendance.services import check_in, scan, undo_check_in
from events_app.delegate_files.exporting import export_csv, export_rows
from events_app.events.services import update_event
from tests.attendance_kept import attendance_drift, stored_attendance
from tests.conftest import delegate_data


def _stored(db, *people) -> list[tuple[int, int]]:
    """(days as bits, check-ins) of each person, as the database holds them now."""
    db.session.commit()
    with db.engine.connect() as connection:
        assert attendance_drift(connection) == {}
        stored = stored_attendance(connection)
    return [stored[person.id] for person in people]


def test_every_way_of_checking_in_and_out_keeps_the_attendance(db, make_event, make_registration):
    event = make_event(approval_required=False)
    first, second, third = event.days
    ana, bo, chan, dara = (make_registration(event) for _ in range(4))
    assert _stored(db, ana) == [(0, 0)]

    scan(event.id, ana.checkin_code, day=first)  # the desk's first scan: one statement, no ORM
    check_in(ana, day=third)  # the ORM's check-in (search, the API)
    scan(event.id, ana.checkin_code, day=first)  # in already: nothing changes
    assert _stored(db, ana) == [(0b101, 2)]

    plenary = sessions.add_session(event, day=second, title="Plenary")
    check_in(bo, day=second, session=plenary)  # a session's arrival is its day's
    check_in(bo, day=second, session=sessions.add_session(event, day=second, title="Group"))
    now = datetime.now(UTC)
    for day in (first, second):  # an offline desk's queue
        offline.record_batch(event.id, offline.parse_batch([{"code": chan.checkin_code, "at": now.isoformat()}]),
                             day=day)
    reports.mark_attended(event, [dara.id], day=third)  # a paper sign-in sheet
    assert _stored(db, bo, chan, dara) == [(0b010, 1), (0b011, 2), (0b100, 1)]

    assert undo_check_in(ana, day=first)  # a wrong scan undone
    assert undo_check_in(bo, day=second, session=plenary)  # only the session's: the day stays
    assert _stored(db, ana, bo) == [(0b100, 1), (0b010, 1)]
    assert undo_check_in(bo, day=second)
    db.session.execute(update(CheckIn).where(CheckIn.registration_id == chan.id, CheckIn.day == first)
                       .values(day=third))  # a check-in moved to another day
    assert _stored(db, bo, chan) == [(0, 0), (0b110, 2)]

    walkin = walkins.register_walkin(event, delegate_data(99), day=second, by_user=None).outcome
    assert walkin.result == "checked_in" and _stored(db, walkin.registration) == [(0b010, 1)]


def test_moving_the_events_dates_moves_the_days(db, make_event, make_registration):
    event = make_event()
    first, second, third = event.days
    person = make_registration(event, status="approved")
    check_in(person, day=first)
    check_in(person, day=third)
    assert _stored(db, person) == [(0b101, 2)]

    update_event(event, starts_on=first - timedelta(days=1), ends_on=third)  # a day earlier: bits 1 and 3
    assert _stored(db, person) == [(0b1010, 2)]
    update_event(event, starts_on=second, ends_on=third)  # the first check-in now before the event: counted only
    assert _stored(db, person) == [(0b10, 2)]
    update_event(event, starts_on=first, ends_on=third)  # back: the check-in's day is the event's again
    assert _stored(db, person) == [(0b101, 2)]
    update_event(event, title="Renamed")  # nothing to move
    assert _stored(db, person) == [(0b101, 2)]


def test_removing_delegates_and_events_with_check_ins(db, make_event, make_registration):
    event, other = make_event(), make_event()
    staying, leaving = make_registration(event, status="approved"), make_registration(event, status="approved")
    elsewhere = make_registration(other, status="approved")
    for person in (staying, leaving, elsewhere):
        check_in(person, day=person.event.starts_on)
    db.session.commit()
    db.session.delete(leaving)  # its check-ins go with it
    db.session.execute(delete(CheckIn).where(CheckIn.registration_id == staying.id))  # a bulk delete
    assert _stored(db, staying, elsewhere) == [(0, 0), (0b1, 1)]
    db.session.delete(other)
    db.session.commit()
    with db.engine.connect() as connection:
        assert attendance_drift(connection) == {}


def test_the_csv_shows_the_kept_attendance_after_the_dates_move(db, make_event, make_registration):
    event = make_event()
    first, second, third = event.days
    people = [make_registration(event, status="approved") for _ in range(3)]
    check_in(people[0], day=first)
    check_in(people[1], day=second)
    check_in(people[1], day=third)
    db.session.commit()
    update_event(event, starts_on=second, ends_on=third + timedelta(days=1))
    db.session.commit()
    text = "".join(export_csv(event))
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    attended = {row[header.index("email")]: [row[header.index("days_attended")]]
                + [row[header.index(f"attended_{day.isoformat()}")] for day in event.days] for row in rows[1:]}
    assert attended == {people[0].email: ["1", "", "", ""], people[1].email: ["2", "y", "y", ""],
                        people[2].email: ["0", "", "", ""]}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(export_rows(event))  # the check-ins themselves, cell by cell
    assert text == buffer.getvalue()
