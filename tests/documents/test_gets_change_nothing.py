"""No document GET changes state: every document route answering GET is walked (from the URL map, so a route
added later must join the table) with someone in each document, and only the audit log may grow.
"""
import hashlib
from datetime import date

from sqlalchemy import select, text

from events_app.attendance.services import check_in
from events_app.audit.models import AuditEntry
from events_app.documents.lists import services as list_services
from events_app.extensions import db as _db

# Every GET of the documents (and the delegate's own documents), with arguments that produce a document.
GETS = {
    "documents.badges_page": "/manage/events/gets/badges?layout=a6&not_printed=y",
    "documents.alignment_pdf": "/manage/events/gets/badges/alignment.pdf?layout=a6&offset_x=1",
    "documents.documents_page": "/manage/events/gets/documents",
    "documents.attendees_pdf": "/manage/events/gets/attendees.pdf?version=internal&group_by=country",
    "documents.signin_pdf": "/manage/events/gets/signin.pdf?day={day}",
    "documents.certificates_pdf": "/manage/events/gets/certificates.pdf",
    "documents.visa_letters_pdf": "/manage/events/gets/visa-letters.pdf",
    "registration.ticket": "/r/{token}/ticket.pdf",
    "registration.visa_letter": "/r/{token}/visa-letter.pdf",
}


def state() -> str:
    """A digest of every table but the audit log (a log of downloads is not state)."""
    digest = hashlib.sha256()
    for table in _db.metadata.sorted_tables:
        if table.name != AuditEntry.__tablename__:
            rows = _db.session.execute(text(f"SELECT * FROM {table.name}")).all()  # noqa: S608 - our table names
            digest.update(repr(sorted(map(repr, rows))).encode())
    _db.session.rollback()
    return digest.hexdigest()


def test_every_document_get_answers_and_changes_nothing_but_the_audit_log(app, client, auth, make_event,
                                                                         make_registration):
    document_gets = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods
                     and (rule.endpoint.startswith("documents.")
                          or rule.endpoint in ("registration.ticket", "registration.visa_letter"))}
    assert document_gets == set(GETS), "a new document GET: add it here, and make sure it changes nothing"
    event = make_event(slug="gets", signatory_name="Dr. Somsak Wongsuwan", signatory_title="Coordinator",
                       signatory_organisation="Mekong Migration Network", letterhead_text="Mekong Migration Network")
    registration = make_registration(event, needs_visa_letter=True, nationality="Cambodian",
                                     passport_number="N0123402", date_of_birth=date(1985, 3, 2),
                                     passport_expiry=date(2031, 1, 2), list_publicly=True)
    check_in(registration, day=event.starts_on)
    list_services.release_visa_letter(registration)
    _db.session.commit()
    auth.login("organiser")
    before = state()
    for endpoint, url in GETS.items():
        response = client.get(url.format(day=event.starts_on.isoformat(), token=registration.token))
        assert response.status_code == 200, (endpoint, response.status_code)
        if endpoint.endswith(("pdf", "ticket", "letter")):
            assert response.mimetype == "application/pdf", endpoint
    assert state() == before
    logged = _db.session.scalars(select(AuditEntry.action)).all()
    assert "document.download" in logged
