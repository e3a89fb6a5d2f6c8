"""The desk's JSON side: a scan posted by desk.js, live counts, the day's list, and access to all of it."""
from sqlalchemy import select

from events_app.attendance.models import CheckIn
from events_app.auth.services import create_user
from events_app.choices import EventRole, Status
from events_app.events import access
from events_app.registration import lifecycle
from tests.attendance.pages import visible_text
from tests.conftest import PASSWORD, csrf_token, submit


def _token(client, event) -> str:
    return csrf_token(client.get(f"/checkin/{event.slug}").get_data(as_text=True))


def scan_json(client, event, code, *, token=None, day=None):
    """Post a code as desk.js does: JSON body, CSRF token in the X-CSRFToken header."""
    headers = {"X-CSRFToken": token if token is not None else _token(client, event)}
    body = {"code": code, **({"day": day.isoformat()} if day else {})}
    return client.post(f"/checkin/{event.slug}/scan", json=body, headers=headers)


def test_a_json_scan_checks_in_and_answers_the_shown_result(client, db, auth, make_event, make_registration):
    event = make_event()
    registration = make_registration(event, full_name="Lwin Lwin Oo", organisation="Foundation for Education")
    auth.login("staff")
    response = scan_json(client, event, f"  {registration.checkin_code} ")
    data = response.get_json()
    assert response.status_code == 200 and data["result"] == "checked_in"
    assert "Checked in Lwin Lwin Oo — Foundation for Education" in visible_text(data["html"])
    checkin = db.session.scalar(select(CheckIn))
    assert checkin.registration_id == registration.id and checkin.by_user_id == auth.user("staff").id

    again = scan_json(client, event, registration.checkin_code).get_json()
    assert again["result"] == "already"
    assert "Already checked in Lwin Lwin Oo — at " in visible_text(again["html"])
    assert "(Asia/Bangkok) by staff@test.example" in visible_text(again["html"])
    assert len(db.session.scalars(select(CheckIn)).all()) == 1


def test_a_json_scan_without_the_csrf_header_records_nothing(client, db, auth, make_event, make_registration):
    event = make_event()
    registration = make_registration(event)
    auth.login("staff")
    response = client.post(f"/checkin/{event.slug}/scan", json={"code": registration.checkin_code})
    assert response.status_code == 400
    assert db.session.scalars(select(CheckIn)).all() == []


def test_an_empty_json_scan_is_a_clear_400(client, db, auth, make_event):
    event = make_event()
    auth.login("staff")
    response = scan_json(client, event, "")
    assert response.status_code == 400 and response.get_json()["result"] == "invalid"


def test_live_counts_by_group_and_country(client, db, auth, make_event, make_registration):
    event = make_event(approval_required=True)

    people = [make_registration(event, stakeholder_group=g, country=c)
              for g, c in (("ngo", "TH"), ("ngo", "KH"), ("government", "TH"), ("academic", "MM"))]
    for person in people[:3]:
        lifecycle.change_status(person, Status.APPROVED, notify=False)
    db.session.commit()
    auth.login("staff")
    scan_json(client, event, people[0].checkin_code)
    scan_json(client, event, people[2].checkin_code)
    scan_json(client, event, people[3].checkin_code)  # pending: not checked in, not expected
    counts = client.get(f"/checkin/{event.slug}/counts.json").get_json()
    assert (counts["expected"], counts["checked_in"]) == (3, 2)
    groups = {label: (expected, came) for label, expected, came in counts["groups"]}
    assert groups["NGO"] == (2, 1) and groups["Government"] == (1, 1)
    countries = {name: (expected, came) for name, expected, came in counts["countries"]}
    assert countries["Thailand"] == (2, 2) and countries["Cambodia"] == (1, 0) and "Myanmar" not in countries
    page = visible_text(client.get(f"/checkin/{event.slug}").get_data(as_text=True))  # and without JavaScript
    assert "2 of 3 approved delegates checked in" in page and "Thailand 2 2" in page


def test_the_days_list_holds_only_what_the_desk_needs(client, db, auth, make_event, make_registration):
    event = make_event()
    registration = make_registration(event, full_name="Nguyễn Thị Lan", phone="+66 81 234 5678")
    auth.login("staff")
    scan_json(client, event, registration.checkin_code)
    listing = client.get(f"/checkin/{event.slug}/codes.json").get_json()
    assert listing["delegates"][registration.checkin_code] == ["Nguyễn Thị Lan", "", registration.organisation,
                                                               "approved", True]
    raw = client.get(f"/checkin/{event.slug}/codes.json").get_data(as_text=True)
    assert registration.email not in raw and "81 234" not in raw and registration.token not in raw


def test_staff_of_one_event_cannot_use_another_events_desk(client, db, make_event, make_registration):
    mine, theirs = make_event(), make_event()
    registration = make_registration(theirs)
    sok = create_user("sok@test.example", password=PASSWORD, role="staff")
    access.grant(sok, mine, EventRole.STAFF)
    db.session.commit()
    assert submit(client, "/auth/login", {"email": sok.email, "password": PASSWORD}).status_code == 302
    token = _token(client, mine)
    assert client.get(f"/checkin/{theirs.slug}").status_code == 404
    assert scan_json(client, theirs, registration.checkin_code, token=token).status_code == 404
    assert client.get(f"/checkin/{theirs.slug}/counts.json").status_code == 404
    assert client.get(f"/checkin/{theirs.slug}/codes.json").status_code == 404
    batch = client.post(f"/checkin/{theirs.slug}/batch", headers={"X-CSRFToken": token},
                        json={"scans": [{"code": registration.checkin_code, "at": "2026-11-30T08:00:00Z"}]})
    assert batch.status_code == 404
    assert client.get(f"/checkin/{theirs.slug}/walk-in").status_code == 404
    assert client.post(f"/manage/events/{theirs.slug}/badges/desk/{registration.id}.pdf",
                       data={"csrf_token": token}).status_code == 404
    # and their own event's desk does not reach the other's delegate either
    assert scan_json(client, mine, registration.checkin_code, token=token).get_json()["result"] == "other_event"
    assert db.session.scalars(select(CheckIn)).all() == []
