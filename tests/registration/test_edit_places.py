"""A delegate's edit is decided like any other move: quotas hold, freed places pass on, bound emails stay."""
from sqlalchemy import func, select

from events_app.choices import StakeholderGroup, Status
from events_app.events.models import Quota
from events_app.mail.models import OutboxMessage
from events_app.registration import invitations, services
from events_app.registration.models import Registration
from tests.conftest import delegate_data, submit
from tests.registration.test_edit_and_links import _edit
from tests.registration.test_form import VALID, _field_error


def _government_quota_of_one(db, make_event):
    event = make_event()
    db.session.add(Quota(event_id=event.id, kind="stakeholder_group", value="government", places=1))
    db.session.commit()
    return event


def _approved_government(db, event) -> int:
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == event.id, Registration.status == Status.APPROVED,
        Registration.stakeholder_group == StakeholderGroup.GOVERNMENT))


def _kinds_sent_to(db, registration) -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.kind).where(
        OutboxMessage.registration_id == registration.id).order_by(OutboxMessage.id)))


def test_editing_into_a_full_quota_waitlists_and_tells_the_delegate(client, db, make_event, make_registration):
    event = _government_quota_of_one(db, make_event)
    make_registration(event, stakeholder_group="government")
    moving = make_registration(event, stakeholder_group="ngo")
    assert moving.status == Status.APPROVED

    html = _edit(client, moving, stakeholder_group="government")

    assert "The quota for the stakeholder group government is full." in html
    assert "You are now on the waiting list." in html
    db.session.refresh(moving)
    assert moving.status == Status.WAITLISTED
    assert moving.history[-1].reason == "The quota for the stakeholder group government is full."
    assert _approved_government(db, event) == 1, "a government quota of 1 ended with 2 approved"
    assert _kinds_sent_to(db, moving) == ["waitlisted", "details_changed"]


def test_leaving_a_full_quota_promotes_the_first_waitlisted_delegate_who_fits(
        client, db, make_event, make_registration):
    event = _government_quota_of_one(db, make_event)
    leaving = make_registration(event, stakeholder_group="government")
    first, second = (make_registration(event, stakeholder_group="government") for _ in range(2))
    assert (first.status, second.status) == (Status.WAITLISTED, Status.WAITLISTED)

    _edit(client, leaving, stakeholder_group="ngo")

    for registration in (leaving, first, second):
        db.session.refresh(registration)
    assert (leaving.status, first.status, second.status) == (Status.APPROVED, Status.APPROVED, Status.WAITLISTED)
    assert _kinds_sent_to(db, first) == ["promoted"]
    assert _approved_government(db, event) == 1


def _invited_registration(client, db, event):
    [invitation], _skipped = invitations.invite(event, [invitations.InviteeRow("kham@example.org")], send=False)
    db.session.commit()
    url = f"/events/{event.slug}/register?code={invitation.code}"
    submit(client, url, {**VALID, "email": "kham@example.org", "code": invitation.code}, page=url)
    return db.session.scalar(select(Registration).where(Registration.email == "kham@example.org"))


def test_a_delegate_cannot_change_the_email_their_invitation_was_sent_to(client, db, make_event):
    event = make_event(invitation_only=True)
    registration = _invited_registration(client, db, event)

    response = submit(client, f"/r/{registration.token}/edit", {**VALID, "email": "someone.else@example.org"})

    assert "Your invitation was sent to this address" in _field_error(response.get_data(as_text=True), "email")
    db.session.refresh(registration)
    assert registration.email == "kham@example.org"
    assert "details_changed" not in _kinds_sent_to(db, registration)


def test_an_organiser_may_change_an_invited_delegates_email(client, db, make_event):
    event = make_event(invitation_only=True)
    registration = _invited_registration(client, db, event)

    changed = services.update_details(registration, delegate_data(email="kham.new@example.org"), actor="organiser")
    db.session.commit()

    assert "email" in changed
    assert db.session.get(Registration, registration.id).email == "kham.new@example.org"
