"""The check-in desk: scans, name search, people who are not approved, unknown codes, days."""
from datetime import timedelta

from sqlalchemy import select

from events_app.attendance.models import CheckIn
from tests.attendance.pages import visible_text
from tests.conftest import submit


def _scan(client, event, code, day=None):
    data = {"code": code}
    if day:
        data["day"] = day.isoformat()
    return visible_text(submit(client, f"/checkin/{event.slug}/scan", data, page=f"/checkin/{event.slug}",
                               follow_redirects=True).get_data(as_text=True))


def test_unknown_code_is_said_and_nothing_is_recorded(client, db, auth, make_event):
    event = make_event()
    auth.login("staff")
    assert "Unknown code" in _scan(client, event, "not-a-real-code")
    assert db.session.scalars(select(CheckIn)).all() == []


def test_a_pending_delegate_is_not_checked_in(client, db, auth, make_event, make_registration):
    event = make_event(approval_required=True)
    registration = make_registration(event, full_name="Pending Person")
    auth.login("staff")
    html = _scan(client, event, registration.checkin_code)
    assert "Not checked in" in html and "Pending" in html
    assert db.session.scalars(select(CheckIn)).all() == []


def test_a_badge_of_another_event_says_so_and_names_no_one(client, db, auth, make_event, make_registration):
    event, other = make_event(), make_event()
    registration = make_registration(other, full_name="Other Event Person")
    auth.login("staff")
    text = _scan(client, event, registration.checkin_code)
    assert "Another event's badge" in text and "Other Event Person" not in text
    assert db.session.scalars(select(CheckIn)).all() == []


def test_each_day_is_a_separate_check_in(client, db, auth, make_event, make_registration):
    event = make_event()
    registration = make_registration(event)
    auth.login("staff")
    assert "Checked in" in _scan(client, event, registration.checkin_code, event.starts_on)
    day_two = event.starts_on + timedelta(days=1)
    html = _scan(client, event, registration.checkin_code, day_two)
    assert "Checked in" in html and "Already" not in html
    assert sorted(c.day for c in db.session.scalars(select(CheckIn))) == [event.starts_on, day_two]


def test_find_by_latin_name_and_check_in(client, db, auth, make_event, make_registration):
    event = make_event()
    registration = make_registration(event, full_name="อรุณี ศรีสวัสดิ์", name_latin="Arunee Srisawat")
    auth.login("staff")
    page = client.get(f"/checkin/{event.slug}?q=arunee").get_data(as_text=True)
    assert "อรุณี ศรีสวัสดิ์" in page
    response = submit(client, f"/checkin/{event.slug}/checkin", {"registration_id": str(registration.id)},
                      page=f"/checkin/{event.slug}?q=arunee", follow_redirects=True)
    assert "Checked in" in response.get_data(as_text=True)
    checkin = db.session.scalar(select(CheckIn))
    assert checkin.method == "search" and checkin.registration_id == registration.id
    page = visible_text(client.get(f"/checkin/{event.slug}?q=arunee").get_data(as_text=True))
    assert "1 of 1 approved delegates checked in" in page


def test_a_search_with_a_nul_character_is_harmless(client, db, auth, make_event, make_registration):
    event = make_event()
    make_registration(event, full_name="Arunee Srisawat")
    auth.login("staff")
    response = client.get(f"/checkin/{event.slug}?q=Aru%00nee")
    assert response.status_code == 200


def test_a_wrong_scan_can_be_undone(client, db, auth, make_event, make_registration):
    event = make_event()
    registration = make_registration(event, full_name="Piyanuch Kaewmanee")
    auth.login("staff")
    html = _scan(client, event, registration.checkin_code, event.starts_on)
    assert "Undo" in html
    response = submit(client, f"/checkin/{event.slug}/undo",
                      {"registration_id": str(registration.id), "day": event.starts_on.isoformat()},
                      page=f"/checkin/{event.slug}", follow_redirects=True)
    assert "Check-in undone" in response.get_data(as_text=True)
    assert db.session.scalars(select(CheckIn)).all() == []
    assert "Checked in" in _scan(client, event, registration.checkin_code, event.starts_on)  # and again later


def test_a_day_that_is_not_a_date_is_refused(client, db, auth, make_event):
    event = make_event()
    auth.login("staff")
    assert client.get(f"/checkin/{event.slug}?day=tomorrow").status_code == 400
    assert client.get(f"/checkin/{event.slug}?day=2026-13-45").status_code == 400
    page = client.get(f"/checkin/{event.slug}?day={event.starts_on.isoformat()}")
    assert page.status_code == 200


def test_a_long_search_is_cut_not_refused(client, db, auth, make_event, make_registration):
    event = make_event()
    make_registration(event, full_name="Arunee Srisawat")
    auth.login("staff")
    response = client.get(f"/checkin/{event.slug}?q=Arunee{'x' * 300}")
    assert response.status_code == 200 and "x" * 201 not in response.get_data(as_text=True)


def test_a_malformed_delegate_id_checks_no_one_in(client, db, auth, make_event, make_registration):
    event = make_event()
    make_registration(event, full_name="Arunee Srisawat")
    auth.login("staff")
    response = submit(client, f"/checkin/{event.slug}/checkin", {"registration_id": "1 OR 1=1"},
                      page=f"/checkin/{event.slug}?q=arunee", follow_redirects=True)
    assert response.status_code == 200
    assert db.session.scalars(select(CheckIn)).all() == []
