"""Bulk status changes from the list, and likely duplicates across spellings."""
from sqlalchemy import select

from events_app.choices import Status
from events_app.registration.models import Registration
from tests.conftest import submit
from tests.manage.grants import organiser_at


def test_bulk_approve_respects_capacity(client, db, auth, make_event, make_registration):
    event = make_event(approval_required=True, capacity=2)
    ids = [make_registration(event).id for _ in range(3)]
    auth.login("organiser")
    html = submit(client, f"/manage/events/{event.slug}/bulk", {"ids": ids, "action": "approve"},
                  page=f"/manage/events/{event.slug}/", follow_redirects=True).get_data(as_text=True)
    assert "2 delegates changed." in html and "1 put on the waiting list" in html
    statuses = sorted(s.value for s in db.session.scalars(select(Registration.status)))
    assert statuses == ["approved", "approved", "waitlisted"]


def test_bulk_decline_with_a_reason_records_it_for_each(client, db, auth, make_event, make_registration):
    event = make_event(approval_required=True)
    regs = [make_registration(event) for _ in range(2)]
    auth.login("organiser")
    submit(client, f"/manage/events/{event.slug}/bulk",
           {"ids": [r.id for r in regs], "action": "decline", "reason": "Seats are for member organisations."},
           page=f"/manage/events/{event.slug}/")
    for registration in regs:
        db.session.refresh(registration)
        assert registration.status == Status.DECLINED
        assert registration.history[-1].reason == "Seats are for member organisations."


def test_bulk_ignores_ids_of_other_events(client, db, auth, make_event, make_registration):
    event, other = make_event(approval_required=True), make_event(approval_required=True)
    foreign = make_registration(other)
    auth.login("organiser")
    submit(client, f"/manage/events/{event.slug}/bulk", {"ids": [foreign.id], "action": "approve"},
           page=f"/manage/events/{event.slug}/")
    db.session.refresh(foreign)
    assert foreign.status == Status.PENDING


def test_likely_duplicates_across_spellings_and_scripts(client, db, auth, make_event, make_registration):
    event = make_event()
    make_registration(event, full_name="Nguyễn Thị Hương", email="huong@example.org")
    make_registration(event, full_name="Huong Nguyen Thi", email="huong.nguyen@example.org")
    make_registration(event, full_name="李明华", name_latin="Li Minghua", email="li@example.org")
    make_registration(event, full_name="Li Minghua", email="minghua@example.org")
    make_registration(event, full_name="Maria Santos", email="maria@example.org")
    auth.login("organiser")
    html = client.get(f"/manage/events/{event.slug}/duplicates").get_data(as_text=True)
    assert html.count('class="list group"') == 2
    assert "huong.nguyen@example.org" in html and "minghua@example.org" in html
    assert "Maria Santos" not in html



def test_bulk_on_everyone_matching_asks_first_with_the_count_then_keeps_the_filter(client, db, auth, make_event,
                                                                                    make_registration):
    event = make_event(approval_required=True)
    khmer = [make_registration(event, country="KH") for _ in range(3)]
    thai = make_registration(event, country="TH")
    organiser_at(auth, db, event)
    listing = f"/manage/events/{event.slug}/?country=KH&status=pending"
    html = client.get(listing).get_data(as_text=True)
    assert "Apply to all 3 matching…" in html
    asked = submit(client, f"/manage/events/{event.slug}/bulk",
                   {"scope": "matching", "action": "approve", "filter": "country=KH&status=pending",
                    "back": listing}, page=listing)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Approve all 3 matching" in page
    assert {r.status for r in db.session.scalars(select(Registration))} == {Status.PENDING}  # nothing yet
    done = submit(client, f"/manage/events/{event.slug}/bulk",
                  {"scope": "matching", "action": "approve", "filter": "country=KH&status=pending", "back": listing,
                   "expected": 3, "confirmed": "y"}, page=listing)
    assert done.status_code == 302 and done.headers["Location"].endswith(listing.split("/manage", 1)[1]
                                                                         .split("?", 1)[1])
    for registration in khmer + [thai]:
        db.session.refresh(registration)
    assert [r.status for r in khmer] == [Status.APPROVED] * 3 and thai.status == Status.PENDING


def test_bulk_on_everyone_matching_is_refused_when_the_list_changed_since_the_confirmation(
        client, db, auth, make_event, make_registration):
    event = make_event(approval_required=True)
    make_registration(event, country="KH")
    organiser_at(auth, db, event)
    make_registration(event, country="KH")  # registered while the organiser read the confirmation
    html = submit(client, f"/manage/events/{event.slug}/bulk",
                  {"scope": "matching", "action": "decline", "filter": "country=KH", "expected": 1, "confirmed": "y"},
                  page=f"/manage/events/{event.slug}/").get_data(as_text=True)
    assert "The list has changed: 2 delegates match now." in html and "Decline all 2 matching" in html
    assert {r.status for r in db.session.scalars(select(Registration))} == {Status.PENDING}


def test_bulk_sets_the_participant_role_and_logs_each_change(client, db, auth, make_event, make_registration):
    from events_app.audit.models import AuditEntry
    from events_app.choices import ParticipantRole

    event = make_event()
    speakers, others = [make_registration(event) for _ in range(2)], make_registration(event)
    auth.login("organiser")
    html = submit(client, f"/manage/events/{event.slug}/bulk",
                  {"ids": [r.id for r in speakers], "action": "role", "participant_role": "speaker"},
                  page=f"/manage/events/{event.slug}/", follow_redirects=True).get_data(as_text=True)
    assert "2 delegates are now Speaker." in html
    for registration in speakers + [others]:
        db.session.refresh(registration)
    assert [r.participant_role for r in speakers] == [ParticipantRole.SPEAKER] * 2
    assert others.participant_role == ParticipantRole.PARTICIPANT
    logged = db.session.scalars(select(AuditEntry.registration_id).where(AuditEntry.action == "delegate.role")).all()
    assert sorted(logged) == sorted(r.id for r in speakers)


def test_bulk_status_changes_are_in_the_audit_log_with_what_each_became(client, db, auth, make_event,
                                                                        make_registration):
    from events_app.audit.models import AuditEntry

    event = make_event(approval_required=True, capacity=1)
    regs = [make_registration(event) for _ in range(2)]
    auth.login("organiser")
    submit(client, f"/manage/events/{event.slug}/bulk", {"ids": [r.id for r in regs], "action": "approve"},
           page=f"/manage/events/{event.slug}/")
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "delegate.status")
                                 .order_by(AuditEntry.id)).all()
    assert sorted(entry.changes["status"][1] for entry in entries) == ["approved", "waitlisted"]
    assert {entry.actor for entry in entries} == {"organiser@test.example"}
