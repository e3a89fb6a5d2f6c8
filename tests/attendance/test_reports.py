"""Attendance reports: who came on which day, the no-shows, CSV/XLSX, and a paper sign-in sheet entered later."""
import csv
import io
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from events_app.attendance.models import CheckIn
from tests.attendance.pages import visible_text
from tests.attendance.test_desk_json import scan_json
from tests.conftest import submit


def _event_with_a_morning(make_event, make_registration, client, auth):
    event = make_event(timezone="Asia/Bangkok")
    came = make_registration(event, full_name="Mya Thandar", organisation="=HYPERLINK(\"http://x\")")
    away = make_registration(event, full_name="Vanna Keo")
    auth.login("staff")
    scan_json(client, event, came.checkin_code, day=event.starts_on)
    return event, came, away


def test_the_report_shows_each_day_and_its_no_shows(client, db, auth, make_event, make_registration):
    event, came, away = _event_with_a_morning(make_event, make_registration, client, auth)
    text = visible_text(client.get(f"/checkin/{event.slug}/report?day={event.starts_on.isoformat()}")
                        .get_data(as_text=True))
    assert "No-shows on" in text and "(1) Vanna Keo" in text and "Mya Thandar" not in text.split("No-shows on")[1]
    day_two = event.starts_on + timedelta(days=1)
    text = visible_text(client.get(f"/checkin/{event.slug}/report?day={day_two.isoformat()}").get_data(as_text=True))
    assert "(2)" in text.split("No-shows on")[1]


def test_csv_and_xlsx_give_each_days_arrival_in_the_events_zone(client, db, auth, make_event, make_registration):
    event, came, away = _event_with_a_morning(make_event, make_registration, client, auth)
    arrived = db.session.scalar(select(CheckIn.checked_in_at)).astimezone(event.tz).strftime("%H:%M")
    data = client.get(f"/checkin/{event.slug}/attendance.csv")
    assert data.status_code == 200 and "attachment" in data.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(data.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:6] == ["Name", "Name (Latin)", "Organisation", "Stakeholder group", "Country", "Status"]
    assert rows[0][6] == event.starts_on.isoformat() and rows[0][-1] == "Days attended"
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Mya Thandar"][6:] == [arrived, "", "", "1"]
    assert by_name["Mya Thandar"][2].startswith("'=")  # a spreadsheet shows it, never runs it
    assert by_name["Vanna Keo"][6:] == ["", "", "", "0"]

    book = load_workbook(io.BytesIO(client.get(f"/checkin/{event.slug}/attendance.xlsx").data))
    sheet = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert sheet[0] == rows[0]
    assert {row[0]: row[6] for row in sheet[1:]} == {"Mya Thandar": arrived, "Vanna Keo": None}


def test_a_paper_sheet_marks_the_ticked_names_attended(client, db, auth, make_event, make_registration):
    event, came, away = _event_with_a_morning(make_event, make_registration, client, auth)
    day = event.starts_on.isoformat()
    page = visible_text(client.get(f"/checkin/{event.slug}/sheet?day={day}").get_data(as_text=True))
    assert "Vanna Keo" in page and "Mya Thandar" not in page  # only who is not yet in
    response = submit(client, f"/checkin/{event.slug}/sheet", {"attended": [str(away.id)], "day": day},
                      page=f"/checkin/{event.slug}/sheet?day={day}", follow_redirects=True)
    assert "1 marked attended" in visible_text(response.get_data(as_text=True))
    methods = {row.registration_id: row.method for row in db.session.scalars(select(CheckIn))}
    assert methods == {came.id: "scan", away.id: "sheet"}
    assert "Every approved delegate is checked in for this day." in visible_text(
        client.get(f"/checkin/{event.slug}/sheet?day={day}").get_data(as_text=True))


def test_a_sheet_cannot_tick_someone_it_did_not_offer(client, db, auth, make_event, make_registration):
    event, came, away = _event_with_a_morning(make_event, make_registration, client, auth)
    stranger = make_registration(make_event(), full_name="Elsewhere")
    day = event.starts_on.isoformat()
    response = submit(client, f"/checkin/{event.slug}/sheet", {"attended": [str(stranger.id)], "day": day},
                      page=f"/checkin/{event.slug}/sheet?day={day}")
    assert response.status_code == 200
    assert f"'{stranger.id}' is not a valid choice" in visible_text(response.get_data(as_text=True))
    response = submit(client, f"/checkin/{event.slug}/sheet", {"day": day}, page=f"/checkin/{event.slug}/sheet")
    assert "Tick at least one name." in response.get_data(as_text=True)
    assert len(db.session.scalars(select(CheckIn)).all()) == 1


def test_certificates_count_sheet_and_offline_arrivals(db, make_event, make_registration):
    from events_app.attendance import offline, reports
    from events_app.documents.lists.queries import certificate_rows

    event = make_event(attendance_threshold_days=2)
    person = make_registration(event, name_latin="Nang Seng")
    reports.mark_attended(event, [person.id], day=event.starts_on)  # a paper sheet on day one
    at = datetime.now(UTC) - timedelta(minutes=3)
    offline.record_batch(event.id, [offline.QueuedScan(person.checkin_code, at)],  # an offline desk on day two
                         day=event.starts_on + timedelta(days=1))
    db.session.commit()
    rows = certificate_rows(event)
    assert [r.name_latin for r in rows] == ["Nang Seng"]
    assert rows[0].days == (event.starts_on, event.starts_on + timedelta(days=1))
