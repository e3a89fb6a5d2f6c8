"""Attachments built at send time: the ticket PDF opens, a renderer failure keeps the email for later."""
import logging
import shutil
import subprocess
from datetime import timedelta

from sqlalchemy import select

from events_app.choices import Status
from events_app.mail import attachments
from events_app.mail.models import OutboxMessage, OutboxStatus
from events_app.mail.sender import deliver_due
from events_app.models import utcnow
from events_app.registration import lifecycle


def approve(db, event, register, **fields):
    registration = register(event, **fields)
    lifecycle.change_status(registration, Status.APPROVED, actor="organiser")
    db.session.commit()
    return registration


def test_the_outbox_row_keeps_only_a_small_attachment_spec(db, make_event, register):
    event = make_event(approval_required=True)
    registration = approve(db, event, register, email="spec@example.org")
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "approved"))
    assert row.attachments == [{"kind": "ics", "event_id": event.id, "registration_id": registration.id},
                               {"kind": "ticket", "registration_id": registration.id}]


def test_the_ticket_pdf_is_attached_and_opens(db, smtp_server, make_event, register, tmp_path):
    event = make_event(approval_required=True, title="Mekong Consultation")
    registration = approve(db, event, register, full_name="សុខ ចាន់ណា", name_latin="Sok Channa",
                           email="ticket@example.org")

    deliver_due()

    [approved] = [r for r in smtp_server.to("ticket@example.org") if "confirmed" in r.message["Subject"]]
    part = approved.attachment("application/pdf")
    assert part is not None, "the approval has no ticket"
    pdf = tmp_path / part.get_filename()
    pdf.write_bytes(part.get_content())
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("qpdf"):
        check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Mekong Consultation" in text
    assert registration.checkin_code  # the QR code on the ticket encodes it (checked by the documents tests)


def test_an_attachment_that_cannot_be_built_keeps_the_email_for_a_retry(db, smtp_server, make_event, register,
                                                                       monkeypatch):
    event = make_event(approval_required=True)
    approve(db, event, register, email="later@example.org")

    def broken(spec):
        raise attachments.AttachmentError("ticket could not be rendered (OSError)")

    monkeypatch.setitem(attachments._BUILDERS, "ticket", broken)
    deliver_due()
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "approved"))
    assert row.status == OutboxStatus.QUEUED and row.last_error == "attachment: ticket could not be rendered (OSError)"
    assert [r.message["Subject"] for r in smtp_server.received] == [
        f"Your registration for {event.title}"], "other mail is not held up"
    db.session.rollback()

    monkeypatch.undo()
    deliver_due(now=utcnow() + timedelta(hours=1))
    db.session.rollback()
    assert db.session.scalar(select(OutboxMessage.status).where(OutboxMessage.kind == "approved")) == OutboxStatus.SENT


def test_the_sender_logs_ids_and_kinds_but_no_addresses_tokens_or_bodies(db, smtp_server, symposium, register,
                                                                        caplog):
    smtp_server.handler.replies = ["550 5.1.1 <private.person@example.org>: Recipient address rejected"]
    registration = register(symposium, email="private.person@example.org", full_name="Private Person")
    register(symposium, email="other.person@example.org")
    with caplog.at_level(logging.DEBUG, logger="events_app"):
        deliver_due()
    logged = caplog.text
    assert "failed" in logged and "sent" in logged
    for secret in ("private.person@example.org", registration.token, "Private Person"):
        assert secret not in logged
