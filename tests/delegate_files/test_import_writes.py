"""An import writes with SQLAlchemy Core (registration.bulk), yet stores exactly what the registration service stores.

Also: an email someone registers between the import's check and its write is skipped, not an error,
and a place guessed before the lock and taken meanwhile is decided again, its email replaced.
"""
from datetime import date, timedelta

from sqlalchemy import select

from events_app.choices import Status
from events_app.delegate_files.importing import import_delegates, validate_row
from events_app.events.models import Question
from events_app.mail.models import OutboxMessage
from events_app.mail.render import render_message
from events_app.registration import bulk, services
from events_app.registration.models import Registration, StatusChange

# Every column a delegate fills, in the scripts and forms the import meets; the other row leaves most empty.
FULL = {"full_name": "សុខ ចាន់ធី", "name_latin": "Sok Chanthy", "badge_name": "Chanthy", "honorific": "Ms.",
        "email": "Sok.Chanthy@Example.org", "phone": "012 345 678", "organisation": "CMWA", "position": "Director",
        "stakeholder_group": "migrant_group", "country": "kh", "region": "Phnom Penh", "gender": "woman",
        "languages": "km, en", "dietary": "vegetarian", "dietary_notes": "No fish", "accessibility_needs": "Ramp",
        "needs_visa_letter": "yes", "nationality": "Cambodian", "passport_number": "N1234567",
        "date_of_birth": "1985-07-01", "passport_expiry": (date.today() + timedelta(days=900)).isoformat(),
        "travel_support_requested": "y", "accommodation_needed": "y",
        "arrival_date": (date.today() + timedelta(days=29)).isoformat(),
        "departure_date": (date.today() + timedelta(days=33)).isoformat(), "list_publicly": "y",
        "photo_consent": "y", "locale": "km", "participant_role": "speaker", "q_track": "Health", "q_why": " To learn "}
SHORT = {"full_name": "Kenji Watanabe", "email": "k.watanabe@example.org", "organisation": "ILO",
         "stakeholder_group": "international_org", "country": "TH"}
NOT_COMPARED = {"id", "token", "checkin_code", "email", "registered_at", "created_at", "updated_at", "data_consent_at"}


def _columns(registration: Registration) -> dict:
    return {name: getattr(registration, name) for name in Registration.__table__.c.keys() if name not in NOT_COMPARED}


def test_an_imported_row_is_stored_as_the_registration_service_stores_it(db, make_event):
    event = make_event()
    db.session.add_all([Question(event_id=event.id, key="track", label="Track", kind="choice",
                                 options=["Labour", "Health"]),
                        Question(event_id=event.id, key="why", label="Why", kind="text")])
    db.session.commit()
    for n, row in enumerate((FULL, SHORT)):
        data, errors = validate_row(row, 2, consent_column=False, questions=event.questions)
        assert errors == []
        role = data.pop("participant_role", None)
        through_service = services.register(event, {**data, "email": f"service-{n}@example.org"}).registration
        if role:  # what the import's own column sets, besides the service's data
            through_service.participant_role = role
        outcome = bulk.register_many(
            event, [dict(data)], extra=lambda values, _index, role=role: role and values.update(participant_role=role))
        db.session.commit()
        db.session.expire_all()
        imported = db.session.get(Registration, outcome.created[0])
        service = db.session.get(Registration, through_service.id)
        assert _columns(imported) == _columns(service)
        assert imported.data_consent_at is not None and imported.email == row["email"].lower()
        history = db.session.scalars(select(StatusChange).where(StatusChange.registration_id == imported.id)).all()
        assert [(c.from_status, c.to_status, c.actor) for c in history] == [(None, Status.APPROVED, "import")]
    khmer = db.session.scalar(select(Registration).where(Registration.email == "sok.chanthy@example.org"))
    assert (khmer.passport_number, khmer.answers, khmer.phone) == ("N1234567", {"track": "Health", "why": "To learn"},
                                                                    "+85512345678")


def test_an_email_registered_after_the_check_is_skipped_and_the_rest_written(db, make_event):
    event = make_event()
    rows = [validate_row({**SHORT, "email": f"row-{n}@example.org"}, n + 2, consent_column=False)[0] for n in range(3)]
    services.register(event, {**rows[1]})  # through the form, while the import was checking its rows
    db.session.commit()

    outcome = bulk.register_many(event, rows)
    db.session.commit()

    assert outcome.skipped == [1]
    emails = [db.session.get(Registration, id_).email for id_ in outcome.created]
    assert emails == ["row-0@example.org", "row-2@example.org"]
    assert len(db.session.scalars(select(StatusChange)).all()) == 3  # the form's one, and one per imported row


def test_a_place_taken_during_the_write_is_decided_again_and_its_email_replaced(db, make_event, monkeypatch):
    event = make_event(capacity=2)
    real_write = bulk._write_batch

    def form_takes_a_place_meanwhile(*args, **kwargs):
        # After the import counted the free places (2), before its rows are written.
        if not db.session.scalar(select(Registration).where(Registration.email == "web@example.org")):
            services.register(event, validate_row({**SHORT, "email": "web@example.org"}, 2, consent_column=False)[0],
                              notify=False)
        return real_write(*args, **kwargs)

    monkeypatch.setattr(bulk, "_write_batch", form_takes_a_place_meanwhile)
    report = import_delegates(event, [{**SHORT, "email": f"late-{n}@example.org"} for n in range(2)], notify=True)
    db.session.commit()

    statuses = {r.email: r.status for r in db.session.scalars(select(Registration))}
    assert statuses == {"web@example.org": Status.APPROVED, "late-0@example.org": Status.APPROVED,
                        "late-1@example.org": Status.WAITLISTED}
    late = db.session.scalar(select(Registration).where(Registration.email == "late-1@example.org"))
    assert late.waitlist_position == 1 and [c.to_status for c in late.history] == [Status.WAITLISTED]
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.registration_id == late.id)).all()
    # the "approved" email first queued is gone
    assert len(mails) == 1 and "waiting list" in render_message(mails[0]).text
    assert len(report.created) == 2
