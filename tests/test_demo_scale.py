"""`flask demo --scale N` fills events with N realistic multilingual registrations, once."""
from sqlalchemy import func, select

from events_app.events.models import Event
from events_app.registration.models import Registration


def _scale_registrations(db):
    rows = db.session.execute(select(Registration.full_name, Registration.email, Registration.status)
                              .join(Event).where(Event.slug.like("scale-%"))).all()
    db.session.rollback()
    return rows


def test_demo_scale_adds_n_registrations_in_every_script_over_several_events(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "--scale", "300"])

    assert result.exit_code == 0, result.output
    assert "300 registrations added, 300 in all" in result.output
    rows = _scale_registrations(db)
    assert len(rows) == 300 and len({email for _, email, _ in rows}) == 300
    names = " ".join(name for name, _, _ in rows)
    for script, sample in {"Khmer": "\u1780", "Burmese": "\u1000", "Lao": "\u0e81", "Thai": "\u0e01"}.items():
        low, high = ord(sample), ord(sample) + 0x7F
        assert any(low <= ord(ch) <= high for ch in names), f"{script} names among the delegates"
    assert len({status for _, _, status in rows}) >= 3, "a spread of statuses, not all approved"
    per_event = db.session.scalars(select(func.count()).select_from(Registration).join(Event)
                                   .where(Event.slug.like("scale-%")).group_by(Event.id)).all()
    assert len(per_event) >= 3 and max(per_event) == 100


def test_demo_scale_run_again_adds_nothing(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "--scale", "120"]).exit_code == 0

    again = runner.invoke(args=["demo", "--scale", "120"])

    assert "0 registrations added, 120 in all" in again.output
    assert len(_scale_registrations(db)) == 120


def test_a_scale_event_opens_in_the_workspace(app, db, client, auth):
    app.test_cli_runner().invoke(args=["demo", "--scale", "90"])
    auth.login("admin")

    page = client.get("/manage/events/scale-01/")

    assert page.status_code == 200 and "Delegates 1–30 of 30" in page.get_data(as_text=True)
