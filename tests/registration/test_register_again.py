"""Cancel and come back: a cancelled delegate registers again through the usual rules, on the same registration."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from events_app.choices import Status
from events_app.events.services import update_event
from events_app.mail.models import OutboxMessage
from events_app.registration import lifecycle, services
from events_app.registration.models import Registration
from tests.conftest import delegate_data, submit
from tests.registration.test_form import VALID


def _cancelled(db, registration):
    lifecycle.change_status(registration, Status.CANCELLED, actor="registrant")
    db.session.commit()
    return registration


def _mail_kinds(db):
    return [m.kind for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


@pytest.mark.parametrize(("settings", "fill", "status"), [
    ({}, 0, Status.APPROVED),
    ({"approval_required": True}, 0, Status.PENDING),
    ({"capacity": 1}, 1, Status.WAITLISTED),  # the freed place went to someone else meanwhile
])
def test_a_cancelled_delegate_comes_back_by_the_usual_rules_with_the_history_kept(db, make_event, make_registration,
                                                                                 settings, fill, status):
    event = make_event(**settings)
    delegate = _cancelled(db, make_registration(event))
    for _ in range(fill):
        make_registration(event)
    token = delegate.token

    assert services.register_again(delegate) == status
    db.session.commit()

    db.session.refresh(delegate)
    assert delegate.status == status and delegate.token == token
    assert [(c.from_status, c.to_status) for c in delegate.history][-2:] == [
        (Status.APPROVED if not settings else delegate.history[-2].from_status, Status.CANCELLED),
        (Status.CANCELLED, status)]
    last = delegate.history[-1]
    assert last.actor == "registrant" and last.reason.startswith("Registered again.")
    assert len(db.session.scalars(select(Registration).where(Registration.email == delegate.email)).all()) == 1
    assert _mail_kinds(db)[-1] == "registration_received"


def test_a_declined_delegate_does_not_come_back(db, make_event, make_registration):
    delegate = make_registration(make_event(approval_required=True))
    lifecycle.change_status(delegate, Status.DECLINED, reason="Places are for government delegates.")
    db.session.commit()
    with pytest.raises(services.CannotRegisterAgain):
        services.register_again(delegate)


def test_registering_again_through_the_form_updates_the_details_and_never_shows_the_link(client, db, make_event):
    event = make_event(capacity=5)
    first = submit(client, f"/events/{event.slug}/register", VALID)
    delegate = db.session.scalar(select(Registration))
    token = first.headers["Location"].split("/r/")[1].split("/")[0]
    _cancelled(db, delegate)

    response = submit(client, f"/events/{event.slug}/register",
                      {**VALID, "organisation": "Legal Support for Children and Women"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "you are now registered again" in html and token not in html
    db.session.expire_all()
    again = db.session.scalar(select(Registration))
    assert (again.id, again.token, again.status) == (delegate.id, token, Status.APPROVED)
    assert again.organisation == "Legal Support for Children and Women"
    assert again.history[-1].reason == "Registered again."


def test_the_private_page_offers_register_again_while_registration_is_open(client, db, make_event,
                                                                          make_registration):
    event = make_event(approval_required=True)
    delegate = _cancelled(db, make_registration(event))
    page = client.get(f"/r/{delegate.token}").get_data(as_text=True)
    assert "Register again" in page
    response = submit(client, f"/r/{delegate.token}/register-again", {}, page=f"/r/{delegate.token}",
                      follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Welcome back" in html and "Pending" in html
    db.session.refresh(delegate)
    assert delegate.status == Status.PENDING


def test_no_way_back_once_registration_has_closed(client, db, make_event, make_registration):
    event = make_event(starts_on=date.today() + timedelta(days=1))
    delegate = _cancelled(db, make_registration(event))
    update_event(event, starts_on=date.today() - timedelta(days=3), ends_on=date.today() - timedelta(days=1))
    db.session.commit()
    page = client.get(f"/r/{delegate.token}").get_data(as_text=True)
    assert "Register again" not in page and "This event is over, so registration has closed." in page
    with pytest.raises(services.RegistrationClosed):
        services.register_again(delegate)
    db.session.rollback()
    db.session.refresh(delegate)
    assert delegate.status == Status.CANCELLED


def test_a_form_sent_twice_after_coming_back_stays_one_registration(db, make_event, make_registration):
    event = make_event()
    delegate = _cancelled(db, make_registration(event))
    data = delegate_data(1, email=delegate.email)
    outcome = services.register_online(event, data, submission_key="form-1")
    again = services.register_online(event, data, submission_key="form-1")
    db.session.commit()
    assert outcome.why_existing == "again" and again.registration.id == delegate.id
    assert delegate.status == Status.APPROVED
