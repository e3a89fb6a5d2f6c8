"""The public pages keep each event in a per-process cache: an edit is seen by the very next request.

A test's requests share its database session (one app context), which holds the event already, so
each request here starts from an empty session as it does in production, or the cache would never be
read; the test's own edits load the event again.
"""
from datetime import timedelta

from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select

from events_app.choices import Status
from events_app.events import cache, settings
from events_app.events.models import Event
from events_app.events.services import update_event
from events_app.models import utcnow
from events_app.registration.models import Registration
from tests.conftest import csrf_token, submit

VALID = {"full_name": "Delegate One", "email": "one@example.org", "organisation": "MMN",
         "stakeholder_group": "ngo", "country": "TH", "data_consent": "y"}


class Page:
    """One event's registration page, requested each time with an empty session."""

    def __init__(self, client, db, event):
        self.client, self.db, self.id, self.slug = client, db, event.id, event.slug
        self.url = f"/events/{event.slug}/register"

    def html(self) -> str:
        self.db.session.close()
        return self.client.get(self.url).get_data(as_text=True)

    def register(self, **changes):
        self.db.session.close()
        return submit(self.client, self.url, {**VALID, **changes})

    def event(self) -> Event:
        self.db.session.close()
        return self.db.session.get(Event, self.id)


def test_a_question_added_changed_or_removed_shows_on_the_next_form(client, db, make_event):
    page = Page(client, db, make_event())
    assert "Which working group" not in page.html()
    settings.add_question(page.event(), key="group", label="Which working group?", kind="text")
    db.session.commit()
    assert "Which working group?" in page.html()
    settings.update_question(page.event().questions[0], label="Which group will you join?", kind="text")
    db.session.commit()
    html = page.html()
    assert "Which group will you join?" in html and "Which working group?" not in html
    settings.delete_question(page.event().questions[0])
    db.session.commit()
    assert "Which group will you join?" not in page.html()


def test_approval_switched_on_between_two_posts_is_applied_to_the_second(client, db, make_event):
    page = Page(client, db, make_event())
    assert page.register().status_code == 302
    update_event(page.event(), approval_required=True)
    db.session.commit()
    assert page.register(email="two@example.org").status_code == 302
    statuses = db.session.scalars(select(Registration.status).order_by(Registration.id)).all()
    assert statuses == [Status.APPROVED, Status.PENDING]


def test_a_quota_added_after_the_event_was_cached_holds(client, db, make_event):
    page = Page(client, db, make_event())
    assert 'name="full_name"' in page.html()  # the event is cached now
    settings.add_quota(page.event(), kind="country", value="TH", places=0)
    db.session.commit()
    assert page.register().status_code == 302
    assert db.session.scalar(select(Registration.status)) == Status.WAITLISTED


def test_a_quota_changed_after_the_event_was_cached_holds(client, db, make_event):
    page = Page(client, db, make_event())
    settings.add_quota(page.event(), kind="country", value="TH", places=5)
    db.session.commit()
    assert 'name="full_name"' in page.html()
    settings.update_quota(page.event().quotas[0], places=0)
    db.session.commit()
    assert page.register().status_code == 302
    assert db.session.scalar(select(Registration.status)) == Status.WAITLISTED


def test_registration_closed_by_an_edit_is_closed_on_the_next_request(client, db, make_event):
    page = Page(client, db, make_event())
    assert 'name="full_name"' in page.html()
    update_event(page.event(), registration_closes_at=utcnow() - timedelta(minutes=1))
    db.session.commit()
    assert 'name="full_name"' not in page.html()


def _form_then_edit_then_post(page, edit, **changes):
    """GET the form (the event is cached), change the event, then POST what the form held: a cache one edit old."""
    token = csrf_token(page.html())
    edit(page.event())
    page.db.session.commit()
    page.db.session.close()
    return page.client.post(page.url, data={**VALID, "csrf_token": token, **changes})


def test_approval_switched_on_after_the_form_was_shown_is_applied(client, db, make_event):
    page = Page(client, db, make_event())
    response = _form_then_edit_then_post(page, lambda event: update_event(event, approval_required=True))
    assert response.status_code == 302
    assert db.session.scalar(select(Registration.status)) == Status.PENDING


def test_registration_closed_after_the_form_was_shown_takes_no_one(client, db, make_event):
    page = Page(client, db, make_event())
    response = _form_then_edit_then_post(
        page, lambda event: update_event(event, registration_closes_at=utcnow() - timedelta(minutes=1)))
    assert response.status_code == 200 and 'name="full_name"' not in response.get_data(as_text=True)
    assert db.session.scalar(select(Registration.id)) is None


def test_a_required_question_added_after_the_form_was_shown_must_be_answered(client, db, make_event):
    page = Page(client, db, make_event())
    response = _form_then_edit_then_post(
        page, lambda event: settings.add_question(event, key="group", label="Which working group?", kind="text",
                                                  required=True))
    assert response.status_code == 200 and "Which working group?" in response.get_data(as_text=True)
    assert db.session.scalar(select(Registration.id)) is None


def test_with_the_event_cached_its_version_is_checked_in_the_registration_s_first_statement(client, db, make_event):
    page = Page(client, db, make_event())
    token = csrf_token(page.html())
    db.session.close()
    statements = []

    def note(conn, cursor, sql, *rest):
        statements.append(sql)

    sa_event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert client.post(page.url, data={**VALID, "csrf_token": token}).status_code == 302
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", note)
    expected = 2 if db.engine.dialect.name == "postgresql" else 4  # SQLite: one INSERT a row
    statements = [sql for sql in statements if not sql.startswith("BEGIN")]  # SQLite: its write lock
    assert len(statements) == expected, statements


def test_a_post_reads_the_cached_event_and_leaves_it_detached_and_unchanged(client, db, make_event):
    # Every request of the process is handed the cache's own instance: a POST that attached it to its session,
    # or changed it, would hand the next request (or another thread) an event that is not the database's.
    page = Page(client, db, make_event(capacity=1))
    assert 'name="full_name"' in page.html()  # the event is cached now
    # By its slug, as the POST finds it: the process's cache outlives a test, and earlier tests' events had this id.
    cached = cache.cached_event(page.slug)
    assert cached is not None and cached.id == page.id
    before = {key: value for key, value in vars(cached).items() if not key.startswith("_")}
    assert page.register().status_code == 302
    assert page.register(email="two@example.org").status_code == 302  # full: the waiting list
    assert inspect(cached).detached
    assert {key: value for key, value in vars(cached).items() if not key.startswith("_")} == before
    rows = db.session.execute(select(Registration.email, Registration.status).order_by(Registration.id)).all()
    assert rows == [("one@example.org", Status.APPROVED), ("two@example.org", Status.WAITLISTED)]
