"""The delegate's own visa invitation letter, downloaded from their private link once it is released."""
import io

from flask import abort, send_file

from events_app.documents import list_services
from events_app.registration import services
from events_app.registration.views import bp


@bp.route("/r/<token>/visa-letter.pdf")
def visa_letter(token: str):
    """The registrant's released visa letter; 404 for an unknown link or a letter not released."""
    registration = services.by_token(token) or abort(404)
    if not list_services.letter_available(registration):
        abort(404)
    out = io.BytesIO()
    list_services.delegate_visa_letter(registration, out)
    out.seek(0)
    return send_file(out, mimetype="application/pdf", as_attachment=True,
                     download_name=f"visa-letter-{registration.event.slug}.pdf", max_age=0)
