"""Simultaneous creates through the API obey capacity exactly, as the form does (SQLite and PostgreSQL).

Each thread sends its request through its own test client, so each is a request of its own with its
own app context and session, as in another worker; all are released at one barrier.
"""
import threading
from collections import Counter

from events_app.choices import Status
from tests.api.conftest import bearer, delegate_json
from tests.registration.concurrency_helpers import JOIN_TIMEOUT, count, registrations, waiting_list_problems

PLACES = 5
CROWD = 30


def _post_together(app, url: str, bodies: list[dict], headers: list[dict]) -> list:
    """POST every body at once from its own thread; the answers (status, JSON) in order."""
    answers: list = [None] * len(bodies)
    start = threading.Barrier(len(bodies))

    def send(index: int) -> None:
        client = app.test_client()
        start.wait(timeout=JOIN_TIMEOUT)
        response = client.post(url, json=bodies[index], headers=headers[index])
        answers[index] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=send, args=(i,), daemon=True) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a request never finished (deadlock?)"
    return answers


def test_a_rush_through_the_api_fills_exactly_the_places(app, db, team, make_event, make_token):
    event = make_event(capacity=PLACES)
    event_id, url = event.id, f"/api/v1/events/{event.slug}/registrations"
    secret = make_token(team["organiser"])
    db.session.close()
    answers = _post_together(app, url, [delegate_json(n) for n in range(CROWD)], [bearer(secret)] * CROWD)
    assert Counter(status for status, _ in answers) == {201: CROWD}, [a for a in answers if a[0] != 201][:3]
    told = Counter(body["status"] for _, body in answers)
    assert told == {"approved": PLACES, "waitlisted": CROWD - PLACES}
    assert count(event_id, Status.APPROVED) == PLACES
    assert len(registrations(event_id)) == CROWD
    assert waiting_list_problems(event_id) == []


def test_the_same_email_at_once_makes_one_registration(app, db, team, make_event, make_token):
    event = make_event(capacity=PLACES)
    event_id, url = event.id, f"/api/v1/events/{event.slug}/registrations"
    secret = make_token(team["organiser"])
    db.session.close()
    answers = _post_together(app, url, [delegate_json(1)] * 8, [bearer(secret)] * 8)
    assert sorted(status for status, _ in answers) == [201] + [409] * 7
    assert len(registrations(event_id)) == 1


def test_one_idempotency_key_sent_at_once_makes_one_registration(app, db, team, make_event, make_token):
    event = make_event(capacity=PLACES)
    event_id, url = event.id, f"/api/v1/events/{event.slug}/registrations"
    headers = {**bearer(make_token(team["organiser"])), "Idempotency-Key": "retry-storm"}
    db.session.close()
    answers = _post_together(app, url, [delegate_json(1)] * 8, [headers] * 8)
    assert sorted(status for status, _ in answers) == [200] * 7 + [201]
    assert len({body["id"] for _, body in answers}) == 1
    assert len(registrations(event_id)) == 1
