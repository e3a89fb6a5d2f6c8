"""Per-event roles: admins act everywhere; others only at the events where they hold a role."""
import pytest
from werkzeug.exceptions import Forbidden, NotFound

from events_app.auth.services import create_user
from events_app.choices import EventRole, UserRole
from events_app.events import access


@pytest.fixture()
def people(db):
    made = {name: create_user(f"{name}@test.example", password="a long password 1", role=role)
            for name, role in [("admin", UserRole.ADMIN), ("ana", UserRole.ORGANISER), ("sok", UserRole.STAFF)]}
    db.session.commit()
    return made


def test_a_grant_lets_a_user_act_at_that_event_only(people, make_event, db):
    one, two = make_event(), make_event()
    access.grant(people["ana"], one, EventRole.ORGANISER)
    db.session.commit()
    assert access.may(people["ana"], one)
    assert access.may(people["ana"], one, EventRole.ORGANISER)
    assert not access.may(people["ana"], one, EventRole.STAFF)
    assert not access.may(people["ana"], two)
    assert access.may(people["admin"], two, EventRole.STAFF)


def test_a_second_grant_replaces_the_role_and_revoke_removes_it(people, make_event, db):
    event = make_event()
    access.grant(people["sok"], event, EventRole.STAFF)
    access.grant(people["sok"], event, "rapporteur")
    db.session.commit()
    assert access.role_at(people["sok"], event.id) == EventRole.RAPPORTEUR
    access.revoke(people["sok"], event)
    assert access.role_at(people["sok"], event.id) is None
    with pytest.raises(access.AccessError, match="has no role"):
        access.revoke(people["sok"], event)


def test_visible_events_are_the_granted_ones_and_every_one_for_admins(people, make_event, db):
    one, two = make_event(), make_event()
    access.grant(people["sok"], two, EventRole.STAFF)
    db.session.commit()
    assert db.session.scalars(access.visible_events(people["sok"])).all() == [two]
    assert set(db.session.scalars(access.visible_events(people["admin"])).all()) == {one, two}


def test_another_events_page_is_not_found_and_a_wrong_role_is_forbidden(app, people, make_event, db):
    from flask_login import login_user

    mine, theirs = make_event(), make_event()
    access.grant(people["sok"], mine, EventRole.STAFF)
    db.session.commit()
    with app.test_request_context():
        login_user(people["sok"])
        assert access.event_for(mine.slug, EventRole.STAFF) == mine
        with pytest.raises(Forbidden):
            access.event_for(mine.slug, EventRole.ORGANISER)
        with pytest.raises(NotFound):
            access.event_for(theirs.slug)
        with pytest.raises(NotFound):
            access.event_for("no-such-event")
