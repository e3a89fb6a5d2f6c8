"""The event dashboard: counts, balance, time, attendance and needs as the organiser reads them, CSVs, speed."""
import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, time, timedelta

from events_app.attendance.services import check_in
from events_app.choices import Gender, Status
from events_app.manage import charts
from events_app.registration import lifecycle
from events_app.registration.models import Registration
from tests.manage.test_delegate_list import statements_run

SVG = "{http://www.w3.org/2000/svg}"


def _csv(client, event, figure: str) -> list[list[str]]:
    response = client.get(f"/manage/events/{event.slug}/dashboard/{figure}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f'filename="{event.slug}-{figure}.csv"' in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))


def test_the_dashboard_is_the_first_tab_and_counts_places_and_quotas(client, db, auth, make_event, make_registration):
    event = make_event(capacity=3)
    from events_app.events import settings
    settings.add_quota(event, kind="country", value="KH", places=1)
    db.session.commit()
    make_registration(event, country="KH"), make_registration(event, country="KH"), make_registration(event)
    make_registration(event, stakeholder_group="government", country="LA")
    auth.login("organiser")

    settings_page = client.get(f"/manage/events/{event.slug}/settings").get_data(as_text=True)
    tabs = settings_page.split('class="event-nav"')[1].split("</nav>")[0]
    assert tabs.index(">Dashboard<") < tabs.index(">Delegates<")

    page = client.get(f"/manage/events/{event.slug}/dashboard").get_data(as_text=True)
    assert "3 approved of 3 places: 0 places left." in page
    assert page.count('role="img"') >= 8 and 'aria-current="page">Dashboard<' in page
    assert _csv(client, event, "status")[1:3] == [["Pending", "0"], ["Approved", "3"]]
    assert _csv(client, event, "status")[3] == ["Waiting list", "1"]
    assert _csv(client, event, "quotas") == [["Quota", "Kind", "Approved", "Places", "Places left"],
                                             ["Cambodia", "Country", "1", "1", "0"]]


def test_balance_gender_and_needs_count_approved_and_all_active(client, db, auth, make_event, make_registration):
    event = make_event(approval_required=True)
    make_registration(event, stakeholder_group="government", country="KH", gender="woman", dietary="halal",
                      languages=["km", "en"], needs_visa_letter=True, accessibility_needs="Wheelchair access")
    make_registration(event, stakeholder_group="government", country="KH", gender="man", dietary="halal",
                      languages=["km"])
    make_registration(event, country="MM", languages=["my"])
    cancelled = make_registration(event, country="VN", gender="woman")
    for registration in db.session.query(Registration).filter(Registration.gender == Gender.WOMAN):
        lifecycle.change_status(registration, Status.APPROVED)
    lifecycle.change_status(cancelled, Status.CANCELLED)
    db.session.commit()
    auth.login("organiser")

    assert _csv(client, event, "balance") == [
        ["Stakeholder group", "Country", "Approved", "All active"],
        ["Government", "Cambodia", "1", "2"],
        ["NGO", "Myanmar", "0", "1"],
    ]
    assert _csv(client, event, "gender") == [["Gender", "Approved", "All active"], ["Woman", "1", "1"],
                                             ["Man", "0", "1"], ["Not given", "0", "1"]]
    diets = dict((row[0], row[1:]) for row in _csv(client, event, "diets")[1:])
    assert diets == {"Halal": ["1", "2"], "Not given": ["0", "1"]}
    languages = dict((row[0], row[1:]) for row in _csv(client, event, "languages")[1:])
    assert languages["Khmer (ខ្មែរ)"] == ["1", "2"] and languages["English"] == ["1", "1"]
    assert languages["Burmese (မြန်မာ)"] == ["0", "1"] and languages["Chinese (中文)"] == ["0", "0"]
    needs = dict((row[0], row[1:]) for row in _csv(client, event, "needs")[1:])
    assert needs["Accessibility needs"] == ["1", "1"] and needs["Visa letter requested"] == ["1", "1"]
    assert needs["Visa letter still to release"] == ["1", "1"] and needs["Visa letter released"] == ["0", "0"]
    page = client.get(f"/manage/events/{event.slug}/dashboard").get_data(as_text=True)
    assert "Halal: 1 approved, 2 active." in page


def test_registrations_per_day_in_the_event_time_zone_with_a_running_total(client, db, auth, make_event,
                                                                          make_registration):
    event = make_event()  # Asia/Bangkok, UTC+7
    today = datetime.now(UTC).date()
    at = [datetime.combine(today - timedelta(days=3), time(10), UTC),
          datetime.combine(today - timedelta(days=3), time(18), UTC),  # 01:00 the next day in Bangkok
          datetime.combine(today - timedelta(days=1), time(2), UTC)]
    for moment in at:
        make_registration(event).registered_at = moment
    db.session.commit()
    auth.login("organiser")
    rows = _csv(client, event, "registrations")
    local = [(moment + timedelta(hours=7)).date() for moment in at]
    first, last = local[0], max(local[-1], datetime.now(event.tz).date())
    assert rows[0] == ["Day", "Received", "Running total"]
    assert rows[1] == [first.isoformat(), "1", "1"] and rows[2] == [local[1].isoformat(), "1", "2"]
    assert len(rows) - 1 == (last - first).days + 1 and rows[-1][2] == "3"
    assert [row[1] for row in rows[1:]].count("0") == len(rows) - 4  # the quiet days are there, as 0


def test_registrations_per_day_follow_the_event_zone_across_a_summer_time_change(client, db, auth, make_event,
                                                                                make_registration):
    # Berlin leaves summer time on Sunday 25 October 2026 at 03:00 (01:00 UTC): that day has 25 hours.
    event = make_event(timezone="Europe/Berlin")
    at = [datetime(2026, 10, 24, 21, 59, 59, tzinfo=UTC),  # 23:59:59 on the 24th (UTC+2)
          datetime(2026, 10, 24, 22, 0, tzinfo=UTC),  # midnight: the first moment of the 25th
          datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 02:30 for the second time that night (UTC+1)
          datetime(2026, 10, 25, 22, 59, 59, tzinfo=UTC),  # 23:59:59 on the 25th, already UTC+1
          datetime(2026, 10, 25, 23, 0, tzinfo=UTC)]  # midnight: the 26th
    for moment in at:
        make_registration(event).registered_at = moment
    db.session.commit()
    auth.login("organiser")
    received = {row[0]: row[1] for row in _csv(client, event, "registrations")[1:]}
    assert [received["2026-10-24"], received["2026-10-25"], received["2026-10-26"]] == ["1", "3", "1"]
    assert received["2026-10-27"] == "0" and sum(int(count) for count in received.values()) == 5


def test_attendance_per_day_against_approved(client, db, auth, make_event, make_registration):
    event = make_event()
    present = make_registration(event)
    make_registration(event)
    check_in(present, day=event.starts_on)
    db.session.commit()
    auth.login("organiser")
    rows = _csv(client, event, "attendance")
    assert rows[0] == ["Day", "Approved", "Checked in", "Share"]
    assert rows[1] == [event.starts_on.isoformat(), "2", "1", "50%"]
    assert [row[2] for row in rows[2:]] == ["0", "0"]
    page = client.get(f"/manage/events/{event.slug}/dashboard").get_data(as_text=True)
    assert "1 checked in of 2 approved." in page


def test_only_organisers_see_the_dashboard(client, db, auth, make_event):
    event = make_event()
    assert client.get(f"/manage/events/{event.slug}/dashboard").status_code == 302  # to the login page
    auth.login("staff")
    assert client.get(f"/manage/events/{event.slug}/dashboard").status_code == 403
    assert client.get(f"/manage/events/{event.slug}/dashboard/status.csv").status_code == 403
    auth.logout()
    auth.login("organiser")
    assert client.get(f"/manage/events/{event.slug}/dashboard/everyone.csv").status_code == 404
    assert client.get("/manage/events/no-such-event/dashboard").status_code == 404


def test_the_dashboard_takes_the_same_few_statements_for_5_or_200_delegates(client, db, auth, make_event):
    auth.login("organiser")
    from tests.manage.test_delegate_list import _register_many

    def statements(size: int) -> int:
        event = make_event(capacity=500)
        _register_many(db, event, size, start=size * 10)
        db.session.rollback()
        with statements_run(db) as seen:
            assert client.get(f"/manage/events/{event.slug}/dashboard").status_code == 200
        return len(seen)

    small, large = statements(5), statements(200)
    assert small == large and small <= 8  # the signed-in user, the event, its quotas, then the grouped counts


def test_charts_are_named_images_with_every_text_escaped():
    svg = charts.stacked_bar_chart("mix", "Title <b>", 'Desc & "more"', ["<script>alert(1)</script>", "B"],
                                   [charts.Series("=cmd|' /C calc'!A0", [3, 0]), charts.Series("Two", [1, 2])])
    root = ET.fromstring(str(svg))  # noqa: S314 (our own output) — well-formed: nothing unescaped broke it
    assert root.get("role") == "img" and root.get("aria-labelledby") == "mix-title mix-desc"
    assert root.find(f"{SVG}title").text == "Title <b>" and root.find(f"{SVG}desc").text == 'Desc & "more"'
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert "=cmd|' /C calc'!A0" in texts and "3" in texts and "4" in texts  # the legend, a segment, a total
    patterns = root.findall(f"{SVG}defs/{SVG}pattern")
    assert len(patterns) == 2 and patterns[0].get("id") != patterns[1].get("id")
