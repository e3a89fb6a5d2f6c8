"""Scans queued by an offline desk: recorded once each, earliest time wins, a resent batch changes nothing."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from events_app.attendance import offline
from events_app.attendance.models import CheckIn
from events_app.attendance.services import scan
from tests.attendance.test_desk_json import _token


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def test_a_batch_is_recorded_once_and_the_earliest_time_wins(client, db, auth, make_event, make_registration):
    event = make_event()
    a, b, c = (make_registration(event) for _ in range(3))
    staff = auth.login("staff")
    now = datetime.now(UTC).replace(microsecond=0)
    # Another desk, online, checked in b after this desk (offline) had already scanned them.
    scan(event.id, b.checkin_code, day=event.starts_on, by_user=None)
    db.session.commit()
    scans = [{"code": a.checkin_code, "at": _iso(now - timedelta(minutes=9))},
             {"code": b.checkin_code, "at": _iso(now - timedelta(minutes=8))},
             {"code": c.checkin_code, "at": _iso(now - timedelta(minutes=7))},
             {"code": a.checkin_code, "at": _iso(now - timedelta(minutes=6))}]  # scanned twice by mistake
    body = {"day": event.starts_on.isoformat(), "scans": scans}
    headers = {"X-CSRFToken": _token(client, event)}
    response = client.post(f"/checkin/{event.slug}/batch", json=body, headers=headers)
    assert response.status_code == 200
    assert [r["result"] for r in response.get_json()["results"]] == ["checked_in", "already", "checked_in", "already"]
    rows = {row.registration_id: row for row in db.session.scalars(select(CheckIn))}
    assert len(rows) == 3
    assert rows[a.id].checked_in_at == now - timedelta(minutes=9) and rows[a.id].method == "offline"
    assert rows[b.id].checked_in_at == now - timedelta(minutes=8)  # earlier than the other desk's scan
    assert rows[b.id].by_user_id == staff.id

    resent = client.post(f"/checkin/{event.slug}/batch", json=body, headers=headers)  # the answer was lost
    assert [r["result"] for r in resent.get_json()["results"]] == ["already"] * 4
    db.session.expire_all()
    assert len(db.session.scalars(select(CheckIn)).all()) == 3
    assert db.session.get(CheckIn, rows[a.id].id).checked_in_at == now - timedelta(minutes=9)


def test_a_time_in_the_future_is_taken_as_now(db, make_event, make_registration):
    event = make_event()
    person = make_registration(event)
    before = datetime.now(UTC)
    scans = offline.parse_batch([{"code": person.checkin_code, "at": _iso(before + timedelta(days=3))}])
    offline.record_batch(event.id, scans, day=event.starts_on)
    assert db.session.scalar(select(CheckIn.checked_in_at)) <= datetime.now(UTC)


@pytest.mark.parametrize("scans", [None, "codes", [{"code": "x"}], [{"code": "x", "at": "yesterday"}],
                                   [{"code": "x", "at": "2026-11-30T08:00:00Z"}] * 501])
def test_a_malformed_batch_is_refused_with_a_reason(client, db, auth, make_event, scans):
    event = make_event()
    auth.login("staff")
    response = client.post(f"/checkin/{event.slug}/batch", json={"scans": scans},
                           headers={"X-CSRFToken": _token(client, event)})
    assert response.status_code == 400 and response.get_json()["error"]
    assert db.session.scalars(select(CheckIn)).all() == []


def test_a_batch_without_the_csrf_header_is_refused(client, db, auth, make_event, make_registration):
    event = make_event()
    person = make_registration(event)
    auth.login("staff")
    response = client.post(f"/checkin/{event.slug}/batch",
                           json={"scans": [{"code": person.checkin_code, "at": "2026-11-30T08:00:00Z"}]})
    assert response.status_code == 400
    assert db.session.scalars(select(CheckIn)).all() == []
