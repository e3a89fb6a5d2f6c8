"""Each endpoint does what the workspace does, through the same services: events, registrations, check-ins, badges."""
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import select

from events_app.attendance.models import CheckIn
from events_app.audit.models import AuditEntry
from events_app.registration.models import Registration
from tests.api.conftest import bearer, delegate_json
from tests.conftest import events_today

API = "/api/v1"


def test_events_list_detail_and_statistics(client, team, make_event, make_registration, make_token):
    event = make_event(capacity=10)
    make_registration(event)
    headers = bearer(make_token(team["organiser"], "read"))
    listed = client.get(f"{API}/events", headers=headers)
    assert listed.status_code == 200
    assert [item["slug"] for item in listed.json["items"]] == [event.slug]
    detail = client.get(f"{API}/events/{event.slug}", headers=headers).json
    assert detail["capacity"] == 10 and detail["starts_on"] == event.starts_on.isoformat()
    assert detail["registration_state"] == "open"
    stats = client.get(f"{API}/events/{event.slug}/statistics", headers=headers)
    assert stats.status_code == 200
    assert stats.json["counts"]["approved"] == 1 and stats.json["places_left"] == 9
    assert "status" in [figure["key"] for figure in stats.json["figures"]]


def test_create_registration_by_the_forms_rules(client, team, make_event, make_token):
    event = make_event(capacity=1)
    headers = bearer(make_token(team["organiser"]))
    first = client.post(f"{API}/events/{event.slug}/registrations", json=delegate_json(1), headers=headers)
    assert first.status_code == 201, first.json
    assert first.json["status"] == "approved" and first.json["email"] == "delegate1@example.org"
    second = client.post(f"{API}/events/{event.slug}/registrations", json=delegate_json(2), headers=headers)
    assert second.status_code == 201 and second.json["status"] == "waitlisted"
    duplicate = client.post(f"{API}/events/{event.slug}/registrations", json=delegate_json(1), headers=headers)
    assert duplicate.status_code == 409 and duplicate.json["error"]["code"] == "duplicate"


def test_invalid_registration_gets_the_forms_messages_per_field(client, team, make_event, make_token):
    event = make_event()
    headers = bearer(make_token(team["organiser"]))
    body = delegate_json(1, email="not an email", phone="12", data_consent=False, country="XX")
    answer = client.post(f"{API}/events/{event.slug}/registrations", json=body, headers=headers)
    assert answer.status_code == 422
    fields = answer.json["error"]["fields"]
    assert set(fields) >= {"email", "data_consent", "country"}
    assert "valid email address" in fields["email"][0]
    typo = client.post(f"{API}/events/{event.slug}/registrations", json={**delegate_json(1), "emial": "x"},
                       headers=headers)
    assert typo.status_code == 422 and "emial" in typo.json["error"]["fields"]
    assert client.get(f"{API}/events/{event.slug}/registrations", headers=headers).json["total"] == 0


def test_idempotency_key_returns_the_same_registration(client, team, make_event, make_token):
    event = make_event()
    headers = {**bearer(make_token(team["organiser"])), "Idempotency-Key": "partner-form-123"}
    first = client.post(f"{API}/events/{event.slug}/registrations", json=delegate_json(1), headers=headers)
    again = client.post(f"{API}/events/{event.slug}/registrations", json=delegate_json(1), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["id"] == again.json["id"]


def test_invitation_only_event_needs_a_valid_code(client, team, make_event, make_token, db):
    from events_app.registration import invitations

    event = make_event(invitation_only=True)
    code = invitations.open_code(event).code
    db.session.commit()
    headers = bearer(make_token(team["organiser"]))
    refused = client.post(f"{API}/events/{event.slug}/registrations", json=delegate_json(1), headers=headers)
    assert refused.status_code == 422 and "invitation_code" in refused.json["error"]["fields"]
    admitted = client.post(f"{API}/events/{event.slug}/registrations",
                           json={**delegate_json(1), "invitation_code": code}, headers=headers)
    assert admitted.status_code == 201
    reused = client.post(f"{API}/events/{event.slug}/registrations",
                         json={**delegate_json(2), "invitation_code": code}, headers=headers)
    assert reused.status_code == 422


def test_list_filters_search_cursor_and_updated_since(client, team, make_event, make_registration, make_token):
    event = make_event()
    people = [make_registration(event, full_name=f"Person {n}", organisation=org)
              for n, org in enumerate(["Alpha Union", "Beta Network", "Alpha Union", "Gamma"])]
    headers = bearer(make_token(team["organiser"], "read"))
    url = f"{API}/events/{event.slug}/registrations"
    searched = client.get(url, query_string={"q": "alpha"}, headers=headers).json
    assert searched["total"] == 2 and {r["id"] for r in searched["items"]} == {people[0].id, people[2].id}
    seen, cursor = [], ""
    while True:
        page = client.get(url, query_string={"limit": 3, "cursor": cursor}, headers=headers).json
        assert page["total"] == 4
        seen += [r["id"] for r in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = page["next_cursor"]
    assert seen == sorted(p.id for p in people)
    later = client.get(url, query_string={"updated_since": "2999-01-01T00:00:00Z"}, headers=headers).json
    assert later["total"] == 0
    since = max(p.updated_at for p in people) + timedelta(microseconds=1)
    edited = client.patch(f"{url}/{people[1].id}", json={"position": "Coordinator"},
                          headers=bearer(make_token(team["organiser"], "write")))
    assert edited.status_code == 200
    synced = client.get(url, query_string={"updated_since": since.isoformat()}, headers=headers).json
    assert [r["id"] for r in synced["items"]] == [people[1].id] and synced["total"] == 1
    bad = client.get(url, query_string={"cursor": "nonsense!"}, headers=headers)
    assert bad.status_code == 400 and bad.json["error"]["code"] == "bad_cursor"


def test_etag_answers_304_when_nothing_changed(client, team, make_event, make_registration, make_token):
    event = make_event()
    make_registration(event)
    headers = bearer(make_token(team["organiser"], "read"))
    url = f"{API}/events/{event.slug}/registrations"
    first = client.get(url, headers=headers)
    etag = first.headers["ETag"]
    assert client.get(url, headers={**headers, "If-None-Match": etag}).status_code == 304
    make_registration(event)
    assert client.get(url, headers={**headers, "If-None-Match": etag}).status_code == 200


def test_edit_and_status_change_with_reason(client, team, make_event, make_registration, make_token, db):
    event = make_event(capacity=1, waitlist_when_full=False)
    taken = make_registration(event)
    waiting = make_registration(event, email="waiting@example.org")
    headers = bearer(make_token(team["organiser"]))
    url = f"{API}/events/{event.slug}/registrations"
    edited = client.patch(f"{url}/{taken.id}", json={"organisation": "New Org", "phone": "+66 81 234 5678"},
                          headers=headers)
    assert edited.status_code == 200, edited.json
    assert edited.json["organisation"] == "New Org" and edited.json["phone"] == "+66812345678"
    bad_phone = client.patch(f"{url}/{taken.id}", json={"phone": "123"}, headers=headers)
    assert bad_phone.status_code == 422 and "phone" in bad_phone.json["error"]["fields"]
    pending = client.post(f"{url}/{waiting.id}/status", json={"status": "pending"}, headers=headers)
    assert pending.status_code in (200, 409)
    full = client.post(f"{url}/{waiting.id}/status", json={"status": "approved", "reason": "Speaker"}, headers=headers)
    assert full.status_code == 409 and full.json["error"]["code"] == "full"
    cancelled = client.post(f"{url}/{taken.id}/status", json={"status": "cancelled", "reason": "Ill"}, headers=headers)
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert db.session.get(Registration, taken.id).history[-1].reason == "Ill"


def test_check_in_by_code_and_id_list_undo(client, team, make_event, make_registration, make_token, db):
    event = make_event(starts_on=events_today(), ends_on=events_today() + timedelta(days=1))
    person = make_registration(event)
    other = make_registration(event)
    headers = bearer(make_token(team["staff"], "checkin"))
    url = f"{API}/events/{event.slug}/checkins"
    scanned = client.post(url, json={"badge_code": person.checkin_code}, headers=headers)
    assert scanned.status_code == 201 and scanned.json["result"] == "checked_in"
    again = client.post(url, json={"badge_code": person.checkin_code}, headers=headers)
    assert again.status_code == 200 and again.json["result"] == "already"
    assert again.json["checked_in_at"] == scanned.json["checked_in_at"]
    by_id = client.post(url, json={"registration_id": other.id}, headers=headers)
    assert by_id.status_code == 201
    assert client.post(url, json={"badge_code": "no-such-code"}, headers=headers).status_code == 404
    listed = client.get(url, headers=headers).json
    assert listed["total"] == 2 and listed["day"] == events_today().isoformat()
    assert client.delete(f"{url}/{other.id}", headers=headers).status_code == 204
    assert client.delete(f"{url}/{other.id}", headers=headers).status_code == 404
    assert client.get(url, headers=headers).json["total"] == 1
    outside = client.post(url, json={"badge_code": person.checkin_code, "day": "2000-01-01"}, headers=headers)
    assert outside.status_code == 422


def test_batch_is_idempotent_and_the_earliest_time_wins(client, team, make_event, make_registration, make_token, db):
    today = events_today()  # once: the event's day and the two moments below are the same day
    event = make_event(starts_on=today, ends_on=today)
    person = make_registration(event)
    headers = bearer(make_token(team["staff"], "checkin"))
    url = f"{API}/events/{event.slug}/checkins/batch"
    # Two moments of the event's day that have passed already (later ones would be taken as now), to the
    # microsecond: in the first seconds after its midnight (17:00 UTC) whole seconds would make them one moment.
    midnight = datetime.combine(today, time(), tzinfo=event.tz).astimezone(timezone.utc)
    elapsed = datetime.now(timezone.utc) - midnight
    earlier, later = (f"{(midnight + elapsed * part):%Y-%m-%dT%H:%M:%S.%fZ}" for part in (1 / 3, 2 / 3))
    scans = [{"code": person.checkin_code, "at": later},
             {"code": person.checkin_code, "at": earlier},
             {"code": "unknown-code", "at": earlier}]
    first = client.post(url, json={"scans": scans}, headers=headers)
    assert first.status_code == 200, first.json
    assert [r["result"] for r in first.json["results"]] == ["already", "checked_in", "unknown"]
    again = client.post(url, json={"scans": scans}, headers=headers)
    assert [r["result"] for r in again.json["results"]] == ["already", "already", "unknown"]
    rows = db.session.scalars(select(CheckIn).where(CheckIn.registration_id == person.id)).all()
    assert len(rows) == 1 and f"{rows[0].checked_in_at:%Y-%m-%dT%H:%M:%S.%fZ}" == earlier


def test_badges_preview_records_nothing_and_print_records(client, team, make_event, make_registration, make_token, db):
    event = make_event()
    person = make_registration(event)
    headers = bearer(make_token(team["organiser"]))
    preview = client.get(f"{API}/events/{event.slug}/badges.pdf", headers=headers)
    assert preview.status_code == 200 and preview.data.startswith(b"%PDF")
    db.session.expire_all()
    assert db.session.get(Registration, person.id).badge_printed_at is None
    printed = client.post(f"{API}/events/{event.slug}/badges", json={"registration_id": person.id}, headers=headers)
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    db.session.expire_all()
    assert db.session.get(Registration, person.id).badge_printed_at is not None
    assert client.post(f"{API}/events/{event.slug}/badges", json={"layout": "nope"}, headers=headers).status_code == 422


def test_every_use_is_in_the_audit_log(client, team, make_event, make_token, db):
    event = make_event()
    headers = bearer(make_token(team["organiser"], "read"))
    client.get(f"{API}/events/{event.slug}", headers=headers)
    client.get(f"{API}/events/no-such-event", headers=headers)
    lines = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "api.request")
                               .order_by(AuditEntry.id)).all()
    assert [line.summary.split(" (")[0] for line in lines] == [
        f"GET /api/v1/events/{event.slug} -> 200", "GET /api/v1/events/no-such-event -> 404"]
    assert all(line.actor == team["organiser"].email for line in lines)


def test_sessions_check_in_list_and_a_revoked_badge(client, team, make_event, make_registration, make_token, db):
    from events_app.attendance import services as attendance
    from events_app.attendance.sessions import add_session

    event = make_event(starts_on=events_today(), ends_on=events_today() + timedelta(days=1))
    group = add_session(event, day=events_today(), title="Working group 2", kind="working_group")
    person, lost = make_registration(event), make_registration(event)
    old_code = lost.checkin_code
    attendance.revoke_code(lost)
    db.session.commit()
    headers = bearer(make_token(team["staff"], "checkin"))
    base = f"{API}/events/{event.slug}"
    sessions = client.get(f"{base}/sessions", headers=headers).json["items"]
    assert sessions == [{"id": group.id, "day": events_today().isoformat(), "title": "Working group 2",
                         "kind": "working_group"}]
    checked = client.post(f"{base}/checkins", json={"badge_code": person.checkin_code, "session_id": group.id},
                          headers=headers)
    assert checked.status_code == 201, checked.json
    in_session = client.get(f"{base}/checkins", query_string={"session_id": group.id}, headers=headers).json
    assert in_session["session_id"] == group.id and [r["registration_id"] for r in in_session["items"]] == [person.id]
    assert client.get(f"{base}/checkins", headers=headers).json["total"] == 1  # a session's arrival is the day's too
    revoked = client.post(f"{base}/checkins", json={"badge_code": old_code}, headers=headers)
    assert revoked.status_code == 409 and revoked.json["error"]["code"] == "revoked"
    batch = client.post(f"{base}/checkins/batch", headers=headers, json={"scans": [
        {"code": old_code, "at": f"{events_today().isoformat()}T01:00:00Z"}]})
    assert batch.json["results"][0]["result"] == "revoked"
    unknown = client.get(f"{base}/checkins", query_string={"session_id": 999999}, headers=headers)
    assert unknown.status_code == 422 and "session_id" in unknown.json["error"]["fields"]
