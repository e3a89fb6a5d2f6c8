"""The audit log: organisers' and staff actions with before/after, per event and per delegate, admins see all."""
from datetime import date, timedelta

from sqlalchemy import select, text

from events_app.audit import services as audit
from events_app.audit.models import AuditEntry
from events_app.registration import services as registration_services
from tests.conftest import submit
from tests.manage.test_event_settings import edit_data, settings_url


def _actions(db) -> list[str]:
    return db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()


def test_passport_fields_are_logged_as_changed_without_their_values(db, auth, make_event, make_registration):
    event = make_event()
    registration = make_registration(event, needs_visa_letter=True, nationality="Cambodian",
                                     passport_number="N01234567", date_of_birth="1990-05-01",
                                     passport_expiry=(date.today() + timedelta(days=800)).isoformat())
    registration_services.update_details(registration, {"passport_number": "N07654321", "organisation": "LSCW"},
                                         actor="organiser", by_user=auth.user("organiser"))
    db.session.commit()
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.changes == {"passport_number": ["(changed)", "(changed)"],
                             "organisation": ["Mekong Migration Network", "LSCW"]}
    stored = db.session.execute(text("SELECT changes, summary FROM audit_log")).one()
    assert "N01234567" not in str(stored) and "N07654321" not in str(stored)


def test_the_delegates_own_edit_is_not_an_organisers_action(db, make_event, make_registration):
    registration = make_registration(make_event())
    registration_services.update_details(registration, {"organisation": "LSCW"})
    db.session.commit()
    assert _actions(db) == []


def test_status_changes_and_new_private_links_are_logged_with_who_and_what(client, db, auth, make_event,
                                                                          make_registration):
    event = make_event(approval_required=True)
    registration = make_registration(event)
    user = auth.login("organiser")
    page = f"/manage/events/{event.slug}/delegates/{registration.id}"
    submit(client, page + "/status", {"action": "approve", "reason": "Speaker on panel 2"}, page=page)
    submit(client, page + "/token", {}, page=page)
    status, link = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert (status.action, status.user_id, status.actor, status.registration_id, status.event_id) == (
        "delegate.status", user.id, "organiser@test.example", registration.id, event.id)
    assert status.changes == {"status": ["pending", "approved"]} and status.summary == "Speaker on panel 2"
    assert link.action == "delegate.private_link"


def test_settings_quota_and_question_changes_are_logged_before_and_after(client, db, auth, make_event):
    event = make_event(capacity=50)
    auth.login("organiser")
    submit(client, settings_url(event), edit_data(event, title="Renamed", capacity="80"))
    submit(client, f"/manage/events/{event.slug}/quotas", {"target": "country:KH", "places": "5"})
    submit(client, f"/manage/events/{event.slug}/questions", {"key": "panel", "label": "Which panel?",
                                                                "kind": "text"})
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["event.settings", "event.quota", "event.question"]
    assert entries[0].changes["capacity"] == [50, 80] and entries[0].changes["title"][1] == "Renamed"
    assert entries[1].changes == {"quota country KH": [None, 5]}
    assert entries[2].changes == {"question panel": [None, "1. Which panel? (text)"]}


def test_downloads_with_personal_data_are_logged(client, db, auth, make_event, make_registration):
    event = make_event()
    make_registration(event, list_publicly=True)  # approved and listed: every document has someone in it
    auth.login("organiser")
    assert client.get(f"/manage/events/{event.slug}/attendees.pdf?version=internal&group_by=country").status_code \
        == 200
    assert client.get(f"/manage/events/{event.slug}/attendees.pdf?version=public&group_by=country").status_code \
        == 200
    assert submit(client, f"/manage/events/{event.slug}/badges/print", {"layout": "a4-8up", "action": "print"},
                  page=f"/manage/events/{event.slug}/badges").status_code == 200
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["document.download", "document.download"]  # the public list is not
    assert entries[0].summary == f"attendees-internal-{event.slug}.pdf"
    assert entries[1].summary.startswith(f"badges-{event.slug}-a4-8up.pdf (1 badges")


def test_the_event_log_is_newest_first_filtered_and_only_the_events_own(client, db, auth, make_event,
                                                                      make_registration):
    event, other = make_event(), make_event()
    user = auth.user("organiser")
    registration = make_registration(event)
    audit.record("passport.reveal", user=user, registration=registration)
    audit.record("delegate.role", user=user, registration=registration, summary="Participant → Speaker")
    audit.record("event.settings", user=user, event=other, summary="Elsewhere")
    db.session.commit()
    auth.login("organiser")
    html = client.get(f"/manage/events/{event.slug}/audit").get_data(as_text=True)
    assert html.index("delegate.role") < html.index("passport.reveal") and "Elsewhere" not in html
    filtered = client.get(f"/manage/events/{event.slug}/audit?action=passport.reveal").get_data(as_text=True)
    assert "passport.reveal" in filtered and "Participant → Speaker" not in filtered
    assert client.get(f"/manage/events/{event.slug}/audit?page=x").status_code == 400
    delegate_page = client.get(f"/manage/events/{event.slug}/delegates/{registration.id}").get_data(as_text=True)
    assert "Participant → Speaker" in delegate_page


def test_the_log_is_paged(client, db, auth, make_event):
    event = make_event()
    user = auth.user("organiser")
    for n in range(audit.PAGE_SIZE + 3):
        audit.record("event.settings", user=user, event=event, summary=f"change number {n}")
    db.session.commit()
    auth.login("organiser")
    first = client.get(f"/manage/events/{event.slug}/audit").get_data(as_text=True)
    assert f"change number {audit.PAGE_SIZE + 2}<" in first and "change number 0<" not in first
    assert "Page 1 of 2" in first
    second = client.get(f"/manage/events/{event.slug}/audit?page=2").get_data(as_text=True)
    assert "change number 0<" in second


def test_admins_see_every_events_log_and_organisers_do_not(client, db, auth, make_event):
    first, second = make_event(title="Consultation A"), make_event(title="Consultation B")
    user = auth.user("organiser")
    audit.record("event.settings", user=user, event=first, summary="First change")
    audit.record("event.settings", user=user, event=second, summary="Second change")
    audit.record("user.grant", user=user, summary="No event at all")
    db.session.commit()
    auth.login("organiser")
    assert client.get("/manage/audit").status_code == 403
    auth.logout()
    auth.login("admin")
    html = client.get("/manage/audit").get_data(as_text=True)
    assert "First change" in html and "Second change" in html and "No event at all" in html
