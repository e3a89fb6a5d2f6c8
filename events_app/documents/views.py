"""The documents blueprint (under /manage), how its PDFs are sent, and the modules that add its routes.

Badges (badges/views.py), the lists, sheets, certificates and visa letters (lists/views.py), and the
delegate's own ticket and visa letter on the registration blueprint (private_views.py) are
imported at the end, so importing this module (as create_app does) registers every route.
"""
import tempfile

from flask import Blueprint, abort, send_file
from flask_login import current_user

from events_app.audit import services as audit
from events_app.extensions import db

bp = Blueprint("documents", __name__)


def refuse_arguments(form):
    """Answer 400 naming each query argument that is not valid (a download has no page to show it on)."""
    abort(400, description="; ".join(f"{k}: {', '.join(map(str, v))}" for k, v in form.errors.items()))


def pdf_buffer(max_in_memory: int = 16 * 1024 * 1024):
    """Where a PDF is rendered before sending: memory for small documents, a temporary file for long runs."""
    return tempfile.SpooledTemporaryFile(max_size=max_in_memory)


def send_pdf(out, filename: str, *, as_attachment: bool = True):
    """Send a rendered PDF buffer as a download that is never cached."""
    out.seek(0)
    return send_file(out, mimetype="application/pdf", as_attachment=as_attachment, download_name=filename,
                     max_age=0)


def log_download(event, filename: str) -> None:
    """Write a download of a document with personal data to the audit log, committed at once (a GET)."""
    audit.record("document.download", user=current_user, event=event, summary=filename)
    db.session.commit()


# The route modules use bp and the helpers above, so they come last.
from events_app.documents import private_views  # noqa: E402, F401
from events_app.documents.badges import views as badge_views  # noqa: E402, F401
from events_app.documents.lists import views as list_views  # noqa: E402, F401
