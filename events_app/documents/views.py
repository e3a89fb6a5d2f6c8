"""Document downloads in the organisers' workspace."""
import tempfile

from flask import Blueprint, abort, request, send_file
from wtforms import BooleanField, FloatField, Form, SelectField
from wtforms.validators import NumberRange, Optional

from events_app.auth.decorators import role_required
from events_app.choices import ParticipantRole, Status, UserRole
from events_app.documents.layouts import DEFAULT_LAYOUT, LAYOUTS
from events_app.documents.services import badge_run
from events_app.events.services import find_event
from events_app.extensions import db

bp = Blueprint("documents", __name__)


class BadgeRunForm(Form):
    """Query arguments of a badge download (a GET form: no CSRF, nothing secret changes)."""

    layout = SelectField(choices=[(k, v.description) for k, v in LAYOUTS.items()], default=DEFAULT_LAYOUT)
    status = SelectField(choices=Status.choices(), default=Status.APPROVED.value)
    role = SelectField(choices=[("", "All roles"), *ParticipantRole.choices()], default="")
    cut_marks = BooleanField(false_values=("", "0", "false", "no", "n", "off"))
    offset_x = FloatField(validators=[Optional(), NumberRange(-20, 20)], default=0.0)
    offset_y = FloatField(validators=[Optional(), NumberRange(-20, 20)], default=0.0)


@bp.route("/events/<slug>/badges.pdf")
@role_required(UserRole.ORGANISER, UserRole.STAFF)
def badges_pdf(slug: str):
    """Download the event's badges as one PDF and record them as printed."""
    event = find_event(slug) or abort(404)
    form = BadgeRunForm(request.args)
    if not form.validate():
        abort(400, description="; ".join(f"{k}: {', '.join(v)}" for k, v in form.errors.items()))
    # Spooled: small runs stay in memory, a 10,000-badge run goes to a temporary file.
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    badge_run(event, out, status=form.status.data, role=form.role.data or None, layout=form.layout.data,
              cut_marks=form.cut_marks.data, offset_mm=(form.offset_x.data or 0.0, form.offset_y.data or 0.0))
    db.session.commit()
    out.seek(0)
    return send_file(out, mimetype="application/pdf", as_attachment=True,
                     download_name=f"badges-{event.slug}-{form.layout.data}.pdf", max_age=0)
