"""The desk shows days and times the same way for everyone: 'Mon 30 Nov 2026', '… 14:05 (Asia/Bangkok)'."""
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from events_app.attendance.models import CheckIn
from tests.attendance.pages import visible_text
from tests.conftest import submit


def test_the_desk_names_days_with_weekday_and_year(client, auth, make_event):
    event = make_event(starts_on=date(2026, 11, 30), ends_on=date(2026, 12, 1), timezone="Asia/Bangkok")
    auth.login("staff")
    html = visible_text(client.get(f"/checkin/{event.slug}?day=2026-12-01").get_data(as_text=True))
    assert "Mon 30 Nov 2026" in html and "Tue 1 Dec 2026" in html
    assert "checked in on Tue 1 Dec 2026" in html
    assert "11/30/26" not in html


def test_a_second_scan_says_when_in_the_events_zone(client, db, auth, make_event, make_registration):
    event = make_event(timezone="Asia/Bangkok")
    registration = make_registration(event)
    auth.login("staff")
    for _ in range(2):
        html = submit(client, f"/checkin/{event.slug}/scan", {"code": registration.checkin_code},
                      page=f"/checkin/{event.slug}", follow_redirects=True).get_data(as_text=True)
    at = db.session.scalar(select(CheckIn.checked_in_at)).astimezone(ZoneInfo("Asia/Bangkok"))
    expected = f"{at.day} {at:%b %Y, %H:%M} (Asia/Bangkok)"
    assert f"Already checked in {registration.full_name} — at {expected} by " in visible_text(html)
