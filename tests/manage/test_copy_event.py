"""Copy an event as the start of the next one: settings, questions, quotas, looks; no delegates."""
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from events_app.audit.models import AuditEntry
from events_app.auth.models import EventRoleGrant
from events_app.events import settings
from events_app.events.services import copy_event, find_event
from events_app.registration import invitations
from events_app.registration.models import Invitation, Registration
from tests.conftest import submit
from tests.manage.test_event_settings import error_beside, image_bytes

PNG = image_bytes("PNG")


def _source(make_event, make_registration, db):
    event = make_event(
        slug="mekong-2026", title="Mekong Symposium 2026", starts_on=date(2026, 3, 10), ends_on=date(2026, 3, 12),
        capacity=120, approval_required=True, letterhead_text="Mekong Migration Network", city="Bangkok",
        badge_colour_by="stakeholder_group", badge_colours={"ngo": "#123456"}, privacy_notice="Our notice.",
        registration_opens_at=datetime(2026, 1, 5, 2, 0, tzinfo=UTC), attendance_threshold_days=2,
        logo=PNG)
    settings.add_quota(event, kind="country", value="KH", places=20)
    settings.add_question(event, key="panel", label="Which panel?", kind="choice", options=["A", "B"],
                          required=True)
    db.session.commit()
    make_registration(event)
    invitations.invite(event, invitations.parse_invitees("someone@example.org")[0], send=False)
    db.session.commit()
    return event


def test_the_copy_takes_settings_questions_quotas_and_looks_but_no_delegates(db, auth, make_event,
                                                                           make_registration):
    source = _source(make_event, make_registration, db)
    organiser = auth.user("organiser")
    copy = copy_event(source, slug="mekong-2027", title="Mekong Symposium 2027", starts_on=date(2027, 3, 9),
                      ends_on=date(2027, 3, 11), by_user=organiser)
    db.session.commit()
    copy = find_event("mekong-2027")
    assert (copy.capacity, copy.approval_required, copy.letterhead_text, copy.city, copy.badge_colour_by,
            copy.badge_colours, copy.privacy_notice, copy.attendance_threshold_days, copy.logo) == (
        120, True, "Mekong Migration Network", "Bangkok", "stakeholder_group", {"ngo": "#123456"}, "Our notice.",
        2, source.logo)
    assert copy.registration_opens_at == datetime(2027, 1, 4, 2, 0, tzinfo=UTC)  # as many days later as the start
    assert [(q.kind, q.value, q.places) for q in copy.quotas] == [("country", "KH", 20)]
    assert [(q.key, q.label, q.options, q.required) for q in copy.questions] == [
        ("panel", "Which panel?", ["A", "B"], True)]
    for model in (Registration, Invitation):
        assert db.session.scalar(select(func.count()).select_from(model).where(model.event_id == copy.id)) == 0
    assert db.session.scalar(select(EventRoleGrant.role).where(EventRoleGrant.event_id == copy.id)) == "organiser"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "event.copy")).one()
    assert entry.event_id == copy.id and entry.summary == "Copied from mekong-2026"


def test_an_organiser_copies_from_the_settings_page_and_lands_in_the_copys_settings(client, db, auth, make_event,
                                                                                   make_registration):
    source = _source(make_event, make_registration, db)
    auth.login("organiser")
    settings_page = client.get(f"/manage/events/{source.slug}/settings").get_data(as_text=True)
    assert "Copy as a new event" in settings_page
    copy_page = f"/manage/events/{source.slug}/copy"
    assert 'value="Mekong Symposium 2026"' in client.get(copy_page).get_data(as_text=True)
    response = submit(client, copy_page, {"slug": "mekong-2027", "title": "Mekong Symposium 2027",
                                          "starts_on": "2027-03-09", "ends_on": "2027-03-11"})
    assert response.headers["Location"] == "/manage/events/mekong-2027/settings"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "was created as a copy of" in html and "Mekong Symposium 2027" in html


def test_the_copy_meets_create_events_rules_with_messages_beside_the_fields(client, db, auth, make_event,
                                                                          make_registration):
    source = _source(make_event, make_registration, db)
    auth.login("organiser")
    copy_page = f"/manage/events/{source.slug}/copy"
    taken = submit(client, copy_page, {"slug": "mekong-2026", "title": "Again", "starts_on": "2027-03-09",
                                       "ends_on": "2027-03-11"}).get_data(as_text=True)
    assert error_beside(taken, "slug") == "An event with this short name exists already."
    backwards = submit(client, copy_page, {"slug": "mekong-2027", "title": "Again", "starts_on": "2027-03-09",
                                           "ends_on": "2027-03-01"}).get_data(as_text=True)
    assert error_beside(backwards, "ends_on") == "The last day cannot be before the first day."
    assert find_event("mekong-2027") is None


def test_staff_cannot_copy_an_event(client, db, auth, make_event, make_registration):
    source = _source(make_event, make_registration, db)
    auth.login("staff")
    assert client.get(f"/manage/events/{source.slug}/copy").status_code == 403
