"""Registration closes when the event ends at the latest, in the event's time zone, whatever the window says."""
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from events_app.demo import PAST_SLUG, load_demo
from events_app.registration import services
from events_app.registration.models import Registration
from tests.conftest import delegate_data, submit
from tests.registration.test_form import VALID


def test_registration_ends_with_the_last_day_in_the_events_time_zone(db, make_event):
    event = make_event(starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 3), timezone="Asia/Yangon")
    last_minute = datetime(2027, 3, 3, 17, 29, tzinfo=UTC)  # 23:59 in Yangon (UTC+6:30)
    assert event.registration_state(last_minute) == "open"
    assert event.registration_state(last_minute + timedelta(minutes=1)) == "ended"


def test_a_window_left_open_does_not_outlast_the_event(db, make_event):
    event = make_event(starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 1),
                       registration_closes_at=datetime(2027, 6, 1, tzinfo=UTC))
    assert event.registration_state(datetime(2027, 3, 2, tzinfo=UTC)) == "ended"


def test_registering_for_a_finished_event_is_refused_and_nobody_is_approved(db, make_event):
    past = make_event(starts_on=date.today() - timedelta(days=5), ends_on=date.today() - timedelta(days=4))
    with pytest.raises(services.RegistrationClosed) as refused:
        services.register_online(past, delegate_data(1), submission_key="k1")
    assert refused.value.state == "ended"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_the_page_of_a_finished_event_says_it_is_over_and_takes_no_form(client, db, make_event):
    past = make_event(starts_on=date.today() - timedelta(days=5), ends_on=date.today() - timedelta(days=4))
    page = client.get(f"/events/{past.slug}").get_data(as_text=True)
    assert "This event is over, so registration has closed." in page
    assert f'href="/events/{past.slug}/register"' not in page
    response = submit(client, f"/events/{past.slug}/register", VALID, page="/auth/login")  # a form left open
    assert "This event is over" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_an_open_event_says_when_registration_closes(client, db, make_event):
    event = make_event(timezone="Asia/Phnom_Penh")
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Registration closes when the event ends" in page and "(Asia/Phnom_Penh)" in page
    closes = datetime.now(UTC) + timedelta(days=3)
    event = make_event(registration_closes_at=closes, timezone="Asia/Phnom_Penh")
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Registration closes on" in page and "(Asia/Phnom_Penh)" in page


def test_the_demos_past_consultation_shows_no_register_button(client, db):
    load_demo()
    db.session.commit()
    page = client.get(f"/events/{PAST_SLUG}").get_data(as_text=True)
    assert "This event is over" in page and ">Register<" not in page
