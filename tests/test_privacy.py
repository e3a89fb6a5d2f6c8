"""flask privacy purge erases passport details after the event and blanks old email, and nothing else."""
from datetime import date, timedelta

from sqlalchemy import select, text

from events_app.registration.models import Registration

PASSPORT = {"needs_visa_letter": True, "nationality": "Myanmar", "passport_number": "MA123456",
            "date_of_birth": "1985-04-02", "passport_expiry": "2030-01-01"}


def test_purge_erases_passports_of_past_events_only(app, db, make_event, make_registration):
    past = make_event(starts_on=date.today() - timedelta(days=60), ends_on=date.today() - timedelta(days=58))
    coming = make_event()
    old = make_registration(past, full_name="Khin Mar Oo", **PASSPORT)
    upcoming = make_registration(coming, **PASSPORT)
    result = app.test_cli_runner().invoke(args=["privacy", "purge", "--visa-days", "30"])
    assert result.exit_code == 0, result.output
    assert "Erased passport details of 1 registrations" in result.output
    db.session.expire_all()
    old, upcoming = db.session.get(Registration, old.id), db.session.get(Registration, upcoming.id)
    assert old.passport_number is None and old.nationality is None and old.full_name == "Khin Mar Oo"
    assert upcoming.passport_number == "MA123456"
    raw = db.session.execute(text("SELECT passport_number FROM registrations WHERE id = :id"), {"id": old.id})
    assert raw.scalar_one() is None


def test_purge_blanks_old_sent_email(app, db, make_event, make_registration):
    from events_app.mail.models import OutboxMessage
    from events_app.models import utcnow

    event = make_event()
    make_registration(event)
    message = OutboxMessage(kind="lost_link", recipient="a@example.org", subject="s", body_text="secret link",
                            status="sent", sent_at=utcnow() - timedelta(days=100))
    db.session.add(message)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["privacy", "purge", "--mail-days", "90"])
    assert "blanked 1 sent emails" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(OutboxMessage.body_text).where(OutboxMessage.id == message.id)) == ""
