"""The delegate's own documents from their private link: the ticket and, once released, the visa letter.

Routes on the registration blueprint (so URLs /r/TOKEN/... and endpoint names such as
`registration.ticket` stay where delegates' links point), kept here because registration does not
import documents.
"""
from flask import abort, current_app, render_template

from events_app.choices import Status
from events_app.documents.badges.services import ticket_pdf
from events_app.documents.lists import services as list_services
from events_app.documents.views import pdf_buffer, send_pdf
from events_app.registration import services
from events_app.registration.views import bp


@bp.route("/r/<token>/ticket.pdf")
def ticket(token: str):
    """The approved delegate's ticket with the check-in QR code, to print or show on a phone.

    Before approval (or after a cancellation) a page says why there is no ticket yet, or none.
    """
    registration = services.by_token(token) or abort(404)
    if registration.status != Status.APPROVED:
        return render_template("registration/no_ticket.html", registration=registration, event=registration.event)
    out = pdf_buffer()
    out.write(ticket_pdf(registration, font_dirs=current_app.config["FONT_DIRS"]))
    return send_pdf(out, f"ticket-{registration.event.slug}.pdf", as_attachment=False)


@bp.route("/r/<token>/visa-letter.pdf")
def visa_letter(token: str):
    """The registrant's released visa letter; 404 for an unknown link or a letter not released."""
    registration = services.by_token(token) or abort(404)
    if not list_services.letter_available(registration):
        abort(404)
    out = pdf_buffer()
    list_services.delegate_visa_letter(registration, out)
    return send_pdf(out, f"visa-letter-{registration.event.slug}.pdf")
