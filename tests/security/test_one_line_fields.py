"""One-line event text: a line break is refused by the event service; mail subjects never break a registration."""
import pytest
from sqlalchemy import select, update

from events_app.events.models import Event
from events_app.events.services import EventError, update_event
from events_app.mail.models import OutboxMessage
from events_app.mail.render import render_message
from events_app.registration.models import Registration
from tests.conftest import submit
from tests.manage.test_event_settings import error_beside, event_data
from tests.registration.test_form import VALID


@pytest.mark.parametrize("title", ["Mekong\r\nBcc: everyone@example.org", "Mekong\nSymposium", "Mekong\x07",
                                   "Mekong\u2028Symposium"])
def test_a_title_with_a_line_break_is_refused_beside_the_field(client, db, auth, title):
    auth.login("organiser")
    response = submit(client, "/manage/events/new", event_data(title=title))
    assert response.status_code == 200
    assert error_beside(response.get_data(as_text=True), "title") == \
        "Use one line, without line breaks or control characters."
    assert db.session.scalars(select(Event)).all() == []


def test_the_event_service_refuses_a_venue_with_a_line_break(db, make_event):
    event = make_event()
    with pytest.raises(EventError) as refused:
        update_event(event, venue="Hall 1\r\nBcc: x@example.org")
    assert refused.value.field == "venue"


def test_a_title_stored_with_a_line_break_does_not_stop_registrations(client, db, make_event):
    """Defence in depth: a title written before the rule (or straight into the database) is mailed on one line."""
    event = make_event()
    db.session.execute(update(Event).values(title="Mekong\r\nBcc: everyone@example.org"))
    db.session.commit()
    response = submit(client, f"/events/{event.slug}/register", VALID)
    assert response.status_code == 302
    assert db.session.scalar(select(Registration)) is not None
    subject = render_message(db.session.scalar(select(OutboxMessage))).subject
    assert "\n" not in subject and "\r" not in subject and "Mekong Bcc: everyone@example.org" in subject
