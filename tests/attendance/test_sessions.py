"""Sessions: a day's plenary and working groups with their own attendance, chosen at the desk, in reports."""
import csv
import io
from datetime import timedelta

from sqlalchemy import select

from events_app.attendance.models import CheckIn, SessionCheckIn
from tests.attendance.pages import visible_text
from tests.attendance.test_desk_json import _token, scan_json
from tests.conftest import submit


def _add_session(client, event, title, day=None, kind="working_group"):
    return submit(client, f"/checkin/{event.slug}/sessions",
                  {"day": (day or event.starts_on).isoformat(), "title": title, "kind": kind}, follow_redirects=True)


def _session_id(db, title):
    from events_app.attendance.models import EventSession

    return db.session.scalar(select(EventSession.id).where(EventSession.title == title))


def test_organisers_add_sessions_and_the_desk_checks_in_to_one(client, db, auth, make_event, make_registration):
    event = make_event()
    ana, bo = make_registration(event, full_name="Ana Ruiz"), make_registration(event, full_name="Bo Bo")
    auth.login("organiser")
    assert "Session “Plenary: opening” added." in visible_text(
        _add_session(client, event, "Plenary: opening", kind="plenary").get_data(as_text=True))
    _add_session(client, event, "Working group A")
    plenary, group_a = _session_id(db, "Plenary: opening"), _session_id(db, "Working group A")
    desk = visible_text(client.get(f"/checkin/{event.slug}?session={group_a}").get_data(as_text=True))
    assert "Whole day Plenary: opening Working group A" in desk
    assert "Checking in to the session Working group A (and to the day)." in desk

    token = _token(client, event)
    post = client.post(f"/checkin/{event.slug}/scan", headers={"X-CSRFToken": token},
                       json={"code": ana.checkin_code, "session": group_a})
    assert post.get_json()["result"] == "checked_in"
    again = client.post(f"/checkin/{event.slug}/scan", headers={"X-CSRFToken": token},
                        json={"code": ana.checkin_code, "session": group_a}).get_json()
    assert again["result"] == "already"
    # The plenary is another session: Ana checks in there too; her day check-in stays one row.
    assert client.post(f"/checkin/{event.slug}/scan", headers={"X-CSRFToken": token},
                       json={"code": ana.checkin_code, "session": plenary}).get_json()["result"] == "checked_in"
    assert scan_json(client, event, bo.checkin_code).get_json()["result"] == "checked_in"  # the whole day only
    assert len(db.session.scalars(select(CheckIn)).all()) == 2
    assert sorted(r.session_id for r in db.session.scalars(select(SessionCheckIn))) == sorted([plenary, group_a])

    counts = client.get(f"/checkin/{event.slug}/counts.json?session={group_a}").get_json()
    assert (counts["checked_in"], counts["expected"]) == (1, 2)
    assert client.get(f"/checkin/{event.slug}/counts.json").get_json()["checked_in"] == 2
    codes = client.get(f"/checkin/{event.slug}/codes.json?session={group_a}").get_json()
    assert codes["session"] == group_a and codes["delegates"][bo.checkin_code][4] is False

    sessions = visible_text(client.get(f"/checkin/{event.slug}/sessions").get_data(as_text=True))
    assert "Plenary: opening (plenary) 1" in sessions and "Working group A (working group) 1" in sessions
    rows = list(csv.reader(io.StringIO(client.get(f"/checkin/{event.slug}/attendance.csv")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    header = rows[0]
    assert f"{event.starts_on.isoformat()} Working group A" in header
    bo_row = next(r for r in rows if r[0] == "Bo Bo")
    assert bo_row[header.index(f"{event.starts_on.isoformat()} Working group A")] == ""


def test_an_offline_batch_for_a_session_and_a_session_sign_in_sheet(client, db, auth, make_event, make_registration):
    event = make_event()
    people = [make_registration(event) for _ in range(3)]
    auth.login("organiser")
    day_two = event.starts_on + timedelta(days=1)
    _add_session(client, event, "Working group B", day=day_two)
    group_b = _session_id(db, "Working group B")
    batch = client.post(f"/checkin/{event.slug}/batch", headers={"X-CSRFToken": _token(client, event)},
                        json={"session": group_b, "scans": [{"code": people[0].checkin_code,
                                                             "at": "2020-01-01T08:00:00Z"}]})
    assert [r["result"] for r in batch.get_json()["results"]] == ["checked_in"]
    assert batch.get_json()["day"] == day_two.isoformat()  # the session decides the day
    page = f"/checkin/{event.slug}/sheet?session={group_b}"
    assert "Working group B" in visible_text(client.get(page).get_data(as_text=True))
    response = submit(client, f"/checkin/{event.slug}/sheet",
                      {"attended": [str(people[1].id)], "session": str(group_b)}, page=page, follow_redirects=True)
    assert "1 marked attended for Working group B." in visible_text(response.get_data(as_text=True))
    at_b = {r.registration_id for r in db.session.scalars(select(SessionCheckIn))}
    assert at_b == {people[0].id, people[1].id}
    assert {r.day for r in db.session.scalars(select(CheckIn))} == {day_two}


def test_staff_see_sessions_but_only_organisers_change_them(client, db, auth, make_event):
    event = make_event()
    auth.login("staff")
    assert "Add a session" not in client.get(f"/checkin/{event.slug}/sessions").get_data(as_text=True)
    _add_session(client, event, "Sneaky session")
    assert _session_id(db, "Sneaky session") is None


def test_a_session_of_another_event_is_ignored(client, db, auth, make_event, make_registration):
    event, other = make_event(), make_event()
    person = make_registration(event)
    auth.login("organiser")
    _add_session(client, other, "Elsewhere")
    elsewhere = _session_id(db, "Elsewhere")
    token = _token(client, event)
    result = client.post(f"/checkin/{event.slug}/scan", headers={"X-CSRFToken": token},
                         json={"code": person.checkin_code, "session": elsewhere}).get_json()
    assert result["result"] == "checked_in"
    assert db.session.scalars(select(SessionCheckIn)).all() == []  # the whole day, not the other event's session
    response = submit(client, f"/checkin/{event.slug}/sessions/remove", {"session": str(elsewhere)},
                      page=f"/checkin/{event.slug}/sessions")
    assert response.status_code == 302
    assert _session_id(db, "Elsewhere") == elsewhere


def test_a_session_form_with_mistakes_says_so(client, db, auth, make_event):
    event = make_event()
    auth.login("organiser")
    response = submit(client, f"/checkin/{event.slug}/sessions", {"day": "1999-01-01", "title": ""})
    text = visible_text(response.get_data(as_text=True))
    assert "Not a valid choice" in text and "Give the session a title." in text


def test_removing_a_session_keeps_the_days_check_ins(client, db, auth, make_event, make_registration):
    event = make_event()
    person = make_registration(event)
    auth.login("organiser")
    _add_session(client, event, "Mistaken session")
    mistaken = _session_id(db, "Mistaken session")
    client.post(f"/checkin/{event.slug}/scan", headers={"X-CSRFToken": _token(client, event)},
                json={"code": person.checkin_code, "session": mistaken})
    response = submit(client, f"/checkin/{event.slug}/sessions/remove", {"session": str(mistaken)},
                      page=f"/checkin/{event.slug}/sessions", follow_redirects=True)
    assert "Session “Mistaken session” removed." in visible_text(response.get_data(as_text=True))
    assert _session_id(db, "Mistaken session") is None
    assert db.session.scalars(select(SessionCheckIn)).all() == []
    assert len(db.session.scalars(select(CheckIn)).all()) == 1
