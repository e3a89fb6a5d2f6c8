"""The delegate page: everything the delegate gave for organisers, masked passports, edits, roles."""
import subprocess
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from events_app.attendance.models import CheckIn
from events_app.audit.models import AuditEntry
from events_app.choices import ParticipantRole, Status
from events_app.events import settings
from events_app.registration.roles import set_participant_role
from tests.conftest import csrf_token, submit

PASSPORT = dict(needs_visa_letter=True, nationality="Myanmar", passport_number="MD0474021",
                date_of_birth="1988-04-02", passport_expiry=(date.today() + timedelta(days=900)).isoformat())


@pytest.fixture()
def delegate(db, make_event, make_registration):
    event = make_event(slug="mekong-2027", title="Mekong Symposium")
    settings.add_question(event, key="session", label="Which working group?", kind="text")
    db.session.commit()
    registration = make_registration(
        event, full_name="Zaw Min", position="Programme officer", phone="+66812345678", languages=["my", "th"],
        dietary="halal", accessibility_needs="Step-free access", arrival_date=event.starts_on - timedelta(days=1),
        accommodation_needed=True, answers={"session": "Labour migration"}, list_publicly=True, **PASSPORT)
    return event, registration


def _page(client, event, registration):
    return f"/manage/events/{event.slug}/delegates/{registration.id}"


def test_organisers_see_every_group_of_details_with_the_passport_masked(client, auth, delegate):
    event, registration = delegate
    auth.login("organiser")
    html = client.get(_page(client, event, registration)).get_data(as_text=True)
    for heading in ("Identity", "Contact", "Organisation and role", "Languages and interpretation",
                    "Diet and accessibility", "Visa letter", "Travel and accommodation", "Consents", "Answers",
                    "Attendance", "Emails sent", "History"):
        assert f">{heading}</h2>" in html
    for shown in ("Programme officer", "+66812345678", "Halal", "Step-free access", "Labour migration",
                  "Which working group?", "version 1 of the privacy notice", "Burmese (မြန်မာ)"):
        assert shown in html
    assert "••••4021" in html
    assert "MD0474021" not in html and "1988-04-02" not in html and "Myanmar" not in html


def test_reveal_shows_the_passport_once_and_logs_who_saw_it(client, auth, db, delegate):
    event, registration = delegate
    user = auth.login("organiser")
    page = _page(client, event, registration)
    response = submit(client, page + "/passport", {})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "MD0474021" in html and "1988-04-02" in html and "Myanmar" in html
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "passport.reveal")).one()
    assert (entry.user_id, entry.actor, entry.registration_id, entry.event_id) == (
        user.id, user.email, registration.id, event.id)
    assert "MD0474021" not in client.get(page).get_data(as_text=True)  # masked again on the next load


def test_staff_see_only_what_the_desk_and_printing_need(client, auth, db, delegate):
    event, registration = delegate
    db.session.add(CheckIn(registration_id=registration.id, event_id=event.id, day=event.starts_on))
    db.session.commit()
    auth.login("staff")
    html = client.get(_page(client, event, registration)).get_data(as_text=True)
    assert "Zaw Min" in html and "Mekong Migration Network" in html and "Thailand" in html
    assert "Checked in" in html and "Not checked in" in html
    for hidden in (registration.email, "+66812345678", "Labour migration", "4021", "Step-free access",
                   "Reveal passport details"):
        assert hidden not in html
    response = client.post(_page(client, event, registration) + "/passport",
                           data={"csrf_token": csrf_token(html)})
    assert response.status_code == 403
    assert db.session.scalar(select(AuditEntry.id)) is None


def test_the_page_lists_the_emails_sent_to_the_delegate(client, auth, make_event, make_registration):
    event = make_event()
    registration = make_registration(event, notify=True)
    auth.login("organiser")
    html = client.get(_page(client, event, registration)).get_data(as_text=True)
    assert "registration_received" in html or "approved" in html
    assert "queued" in html


def _edit(client, event, registration, **changes):
    page = _page(client, event, registration) + "/edit"
    form = client.get(page).get_data(as_text=True)
    assert "MD0474021" not in form  # the edit page does not print the passport either
    data = {"full_name": registration.full_name, "name_latin": registration.name_latin,
            "email": registration.email, "organisation": registration.organisation,
            "stakeholder_group": registration.stakeholder_group.value, "country": registration.country,
            "phone": registration.phone, "needs_visa_letter": "y" if registration.needs_visa_letter else "",
            "q_session": (registration.answers or {}).get("session", ""), "locale": "en", **changes}
    return client.post(page, data={"csrf_token": csrf_token(form), **{k: v for k, v in data.items() if v != ""}})


def test_organisers_edit_through_the_delegates_own_service_with_history_and_audit(client, auth, db, delegate):
    event, registration = delegate
    user = auth.login("organiser")
    response = _edit(client, event, registration, organisation="ILO Bangkok", q_session="Recruitment fees")
    assert response.status_code == 302
    db.session.refresh(registration)
    assert registration.organisation == "ILO Bangkok"
    assert registration.answers == {"session": "Recruitment fees"}
    assert registration.passport_number == "MD0474021"  # left empty on the form: kept
    assert registration.data_consent  # not on the organisers' form, so untouched
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "delegate.edit")).one()
    assert entry.user_id == user.id
    assert entry.changes["organisation"] == ["Mekong Migration Network", "ILO Bangkok"]
    assert entry.changes["answers"] == [{"session": "Labour migration"}, {"session": "Recruitment fees"}]
    html = client.get(_page(client, event, registration)).get_data(as_text=True)
    assert "Saved: Organisation" in html and "delegate.edit" in html and "ILO Bangkok" in html


def test_an_organisers_edit_meets_the_same_checks_as_the_delegates(client, auth, db, delegate):
    event, registration = delegate
    auth.login("organiser")
    response = _edit(client, event, registration, full_name="ဇော်မင်း")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Latin letters" in html and 'aria-invalid="true"' in html
    db.session.refresh(registration)
    assert registration.full_name == "Zaw Min"


def test_an_organisers_edit_of_a_reapproval_field_sends_the_delegate_back_to_pending(
        client, auth, db, make_event, make_registration):
    event = make_event(approval_required=True, reapproval_fields=["stakeholder_group"])
    registration = make_registration(event)
    user = auth.login("organiser")
    submit(client, _page(client, event, registration) + "/status", {"action": "approve"},
           page=_page(client, event, registration))
    _edit(client, event, registration, stakeholder_group="academic")
    db.session.refresh(registration)
    assert registration.status == Status.PENDING
    last = registration.history[-1]
    assert (last.actor, last.by_user_id, last.reason) == ("organiser", user.id, "Changed: stakeholder_group")


def test_the_participant_role_is_set_on_the_page_and_printed_on_the_badge(client, auth, db, tmp_path, delegate):
    event, registration = delegate
    auth.login("organiser")
    page = _page(client, event, registration)
    submit(client, page + "/role", {"participant_role": "speaker"}, page=page)
    db.session.refresh(registration)
    assert registration.participant_role == ParticipantRole.SPEAKER
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "delegate.role")).one()
    assert entry.changes == {"participant_role": ["participant", "speaker"]}
    assert "Zaw Min is now Speaker." in client.get(page).get_data(as_text=True)
    pdf = tmp_path / "badge.pdf"
    pdf.write_bytes(submit(client, f"/manage/events/{event.slug}/badges/print",
                           {"registration": registration.id, "layout": "a6", "action": "print"}, page=page).data)
    assert "SPEAKER" in subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.upper()


def test_roles_in_bulk_change_only_those_that_differ(db, auth, make_event, make_registration):
    event = make_event()
    first, second = make_registration(event), make_registration(event)
    organiser = auth.user("organiser")
    set_participant_role([second], "press", by_user=organiser)
    changed = set_participant_role([first, second], "press", by_user=organiser)
    db.session.commit()
    assert changed == [first]
    assert first.participant_role == second.participant_role == ParticipantRole.PRESS
    assert db.session.scalars(select(AuditEntry.registration_id).order_by(AuditEntry.id)).all() == [second.id,
                                                                                                     first.id]
