"""An import decides places like the form, in file order, and never makes the registration form wait."""
import threading

import pytest
from sqlalchemy import select

from events_app.choices import Status
from events_app.delegate_files.importing import import_delegates
from events_app.events.models import Event, Quota
from events_app.extensions import db as _db
from events_app.mail.models import OutboxMessage
from events_app.mail.render import render_message
from events_app.registration import services
from events_app.registration.models import Registration, StatusChange
from tests.conftest import delegate_data, submit


def rows(n: int, start: int = 0, **cells) -> list[dict[str, str]]:
    """n valid import rows with unique emails."""
    return [{"full_name": f"Imported Delegate {i}", "email": f"imported-{i}@example.org",
             "organisation": "Network", "stakeholder_group": cells.get("stakeholder_group", "ngo"),
             "country": cells.get("country", "TH")} for i in range(start, start + n)]


def by_status(db, event_id: int, status: Status) -> list[Registration]:
    return list(db.session.scalars(select(Registration).where(Registration.event_id == event_id,
                                                              Registration.status == status)
                                   .order_by(Registration.waitlist_position, Registration.id)))


def test_an_import_past_capacity_waitlists_in_file_order_behind_those_already_waiting(db, make_event):
    event = make_event(capacity=3)
    for n in range(4):  # 3 approved, 1 waiting before the import
        services.register(event, delegate_data(100 + n))
    db.session.commit()

    report = import_delegates(event, rows(5), notify=True)
    db.session.commit()

    assert report.ok and len(report.created) == 5
    assert len(by_status(db, event.id, Status.APPROVED)) == 3
    waiting = by_status(db, event.id, Status.WAITLISTED)
    assert [r.email for r in waiting] == ["delegate103@example.org", *[f"imported-{i}@example.org" for i in range(5)]]
    assert [r.waitlist_position for r in waiting] == [1, 2, 3, 4, 5, 6]
    imported = [r for r in waiting if r.email.startswith("imported-")]
    for registration in imported:  # one arrival, straight onto the waiting list, as the form records it
        history = db.session.scalars(select(StatusChange).where(StatusChange.registration_id == registration.id))
        assert [(c.from_status, c.to_status, c.actor) for c in history] == [(None, Status.WAITLISTED, "import")]
    mails = {m.registration_id: m for m in db.session.scalars(select(OutboxMessage))}
    for registration in imported:  # one confirmation each, saying waitlisted, without a ticket
        mail = mails[registration.id]
        assert mail.kind == "registration_received" and mail.attachments == []
        assert "waiting list" in render_message(mail).text
    assert len(mails) == 4 + 5


def test_an_import_fills_quotas_exactly_like_the_form(db, make_event):
    event = make_event()
    db.session.add_all([Quota(event_id=event.id, kind="stakeholder_group", value="ngo", places=5),
                        Quota(event_id=event.id, kind="country", value="KH", places=4)])
    services.register(event, delegate_data(1, stakeholder_group="ngo", country="TH"))
    db.session.commit()
    event = db.session.get(Event, event.id)

    import_delegates(event, rows(6, stakeholder_group="ngo", country="TH")
                     + rows(6, start=10, stakeholder_group="government", country="KH")
                     + rows(3, start=20, stakeholder_group="academic", country="VN"))
    db.session.commit()

    approved = by_status(db, event.id, Status.APPROVED)
    assert sum(r.stakeholder_group == "ngo" for r in approved) == 5
    assert sum(r.country == "KH" for r in approved) == 4
    assert sum(r.country == "VN" for r in approved) == 3
    assert [r.email for r in by_status(db, event.id, Status.WAITLISTED)] == (
        [f"imported-{i}@example.org" for i in (4, 5, 14, 15)])


def test_the_form_does_not_wait_for_a_large_import(app, db, client, make_event):
    """PostgreSQL: a registration through the form is answered while an import of 3,000 rows is held in the
    middle of writing them (its transaction open, a batch written): had the import locked the event for its
    whole run, the form could not answer until the import let go."""
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: an import's transaction holds the whole database")
    event = make_event(capacity=1000)
    slug, event_id = event.slug, event.id
    writing, answered, done, took = threading.Event(), threading.Event(), threading.Event(), []
    total = 3000

    def hold_while_writing(units):
        if units > total and not writing.is_set():  # a batch is written: stay here until the form has answered
            writing.set()
            answered.wait(120)

    def run_import():
        with app.app_context():
            try:
                imported = _db.session.get(Event, event_id)
                report = import_delegates(imported, rows(total), progress=hold_while_writing)
                _db.session.commit()
                took.append(report)
            finally:
                _db.session.remove()
                writing.set()
                done.set()

    _db.session.close()
    thread = threading.Thread(target=run_import, daemon=True)
    thread.start()
    assert writing.wait(120)
    responses = []
    form = threading.Thread(target=lambda: responses.append(submit(client, f"/events/{slug}/register", {
        "full_name": "Web Delegate", "email": "web@example.org", "organisation": "Org",
        "stakeholder_group": "ngo", "country": "TH", "data_consent": "y", "locale": "en"})), daemon=True)
    form.start()
    form.join(60)  # only a form blocked by the import takes this long
    form_answered_while_held = bool(responses) and not done.is_set()
    answered.set()
    form.join(60)
    assert done.wait(120) and took and took[0].ok
    thread.join(5)

    assert form_answered_while_held, "the form waited for the import (it answered only once the import let go)"
    assert responses[0].status_code == 302
    approved = by_status(db, event_id, Status.APPROVED)
    waiting = by_status(db, event_id, Status.WAITLISTED)
    assert len(approved) == 1000 and len(approved) + len(waiting) == total + 1
    assert "web@example.org" in {r.email for r in approved}  # it came first: the import decided at its end
    assert [r.waitlist_position for r in waiting] == list(range(1, len(waiting) + 1))
