"""The event's documents page, and downloads of attendee lists, sign-in sheets, certificates and visa letters.

Routes on the documents blueprint (under /manage). Downloads are GET forms (nothing changes, so no
CSRF); releasing visa letters is a POST with CSRF. Staff may print public lists, sign-in sheets and
certificates; internal lists (contact details) and visa letters (passport details) are for
organisers. Every download calls the same service function as the CLI.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Form, IntegerField, RadioField, SelectField
from wtforms.validators import DataRequired, NumberRange, Optional

from events_app.choices import EventRole
from events_app.documents.lists import queries
from events_app.documents.lists import services as list_services
from events_app.documents.lists.attendees import COLUMNS, DEFAULT_COLUMNS
from events_app.documents.lists.services import DocumentError
from events_app.documents.lists.signin import day_label
from events_app.documents.views import bp, log_download, pdf_buffer, refuse_arguments, send_pdf
from events_app.events.access import TEAM_ROLES, event_view, may
from events_app.events.models import Event
from events_app.extensions import db
from events_app.forms import IdField, MultiCheckboxField
from events_app.registration.models import Registration

COLUMN_LABELS = {
    "name": _l("Name (as written and in Latin letters)"),
    "honorific": _l("Title"),
    "organisation": _l("Organisation"),
    "position": _l("Position"),
    "country": _l("Country"),
    "stakeholder_group": _l("Stakeholder group"),
    "participant_role": _l("Role"),
    "email": _l("Email"),
    "phone": _l("Phone"),
}


class AttendeeListForm(Form):
    """Query arguments of an attendee list download."""

    version = RadioField(_l("Version"), choices=[("public", _l("Public: only delegates who agreed to be listed; "
                                                               "name, organisation and country")),
                                                 ("internal", _l("Internal: the columns ticked below"))],
                         default="public", validators=[DataRequired()])
    group_by = SelectField(_l("Group by"), choices=[("country", _l("Country")),
                                                    ("stakeholder_group", _l("Stakeholder group"))],
                           default="country", validators=[DataRequired()])
    columns = MultiCheckboxField(_l("Columns of the internal list"), choices=[(k, COLUMN_LABELS[k]) for k in COLUMNS],
                                 default=list(DEFAULT_COLUMNS))


class SigninForm(Form):
    """Query arguments of a sign-in sheet download; the day's choices are the event's days."""

    day = SelectField(_l("Day"), validators=[DataRequired()])
    blank_rows = IntegerField(_l("Empty rows for walk-ins"), validators=[Optional(), NumberRange(0, 200)],
                              default=5)

    @classmethod
    def for_event(cls, event, formdata=None):
        """The form with the event's days to choose from."""
        form = cls(formdata)
        form.day.choices = [(d.isoformat(), day_label(d)) for d in event.days]
        if formdata is None and event.today() in event.days:
            form.day.data = event.today().isoformat()  # during the event, today's sheet is the likely one
        return form


class LetterDownloadForm(Form):
    """Query arguments of the visa letters download: none for every letter, or one delegate's."""

    registration_id = IdField(validators=[Optional()])


class ReleaseForm(FlaskForm):
    """Release one delegate's visa letter (registration_id) or every unreleased one (no id)."""

    registration_id = IdField(validators=[Optional()])


def _is_organiser(event) -> bool:
    return may(current_user, event, EventRole.ORGANISER)


def _back(event, message: str, category: str = "error"):
    flash(message, category)
    return redirect(url_for("documents.documents_page", slug=event.slug), code=303)


def _pdf(event, render, filename: str, *, nobody: str, personal: bool = True):
    """Render into a buffer and send it as a download; with nobody in it, go back and say so (`nobody`).
    A download with personal data (`personal`) is written in the audit log."""
    out = pdf_buffer()
    if not render(out).items:
        return _back(event, nobody, "warning")
    if personal:
        log_download(event, filename)
    return send_pdf(out, filename)


@bp.route("/events/<slug>/documents")
@event_view(*TEAM_ROLES)
def documents_page(event: Event):
    """Every document of the event with its options."""
    return render_template(
        "documents/index.html", event=event, overview=queries.overview(event),
        list_form=AttendeeListForm(), signin_form=SigninForm.for_event(event),
        release_form=ReleaseForm(), is_organiser=_is_organiser(event),
        threshold=max(event.attendance_threshold_days, 1),
    )


@bp.route("/events/<slug>/attendees.pdf")
@event_view(*TEAM_ROLES)
def attendees_pdf(event: Event):
    """Download the attendee list (the internal version only for organisers)."""
    form = AttendeeListForm(request.args)
    if not form.validate():
        return _back(event, _("Choose a version and a grouping for the attendee list."))
    public = form.version.data != "internal"
    if not public and not _is_organiser(event):
        abort(403)
    columns = [] if public else form.columns.data
    try:
        return _pdf(event, lambda out: list_services.attendee_list(event, out, public=public,
                                                                   group_by=form.group_by.data, columns=columns),
                    f"{'participants' if public else 'attendees-internal'}-{event.slug}.pdf",
                    nobody=_("Nobody is on the public list yet: no approved delegate agreed to be listed.") if public
                    else _("Nobody is on the attendee list yet: no delegate has been approved."),
                    personal=not public)
    except DocumentError as error:
        return _back(event, str(error))


@bp.route("/events/<slug>/signin.pdf")
@event_view(*TEAM_ROLES)
def signin_pdf(event: Event):
    """Download the sign-in sheet of one event day."""
    form = SigninForm.for_event(event, request.args)
    if not form.validate():
        return _back(event, _("Choose one of the event's days for the sign-in sheet."))
    blank = form.blank_rows.data if form.blank_rows.data is not None else 5
    return _pdf(event, lambda out: list_services.signin_sheet(event, form.day.data, out, blank_rows=blank),
                f"signin-{event.slug}-{form.day.data}.pdf",
                nobody=_("Nobody is on the sign-in sheet yet: no delegate has been approved."))


@bp.route("/events/<slug>/certificates.pdf")
@event_view(*TEAM_ROLES)
def certificates_pdf(event: Event):
    """Download the certificates of attendance."""
    nobody = ngettext("Nobody has a certificate yet: no delegate has been checked in on at least %(num)s day.",
                      "Nobody has a certificate yet: no delegate has been checked in on at least %(num)s days.",
                      max(event.attendance_threshold_days, 1))
    return _pdf(event, lambda out: list_services.certificates(event, out), f"certificates-{event.slug}.pdf",
                nobody=nobody)


@bp.route("/events/<slug>/visa-letters.pdf")
@event_view(EventRole.ORGANISER)
def visa_letters_pdf(event: Event):
    """Download every visa letter, or one delegate's (?registration_id=N)."""
    form = LetterDownloadForm(request.args)
    if not form.validate():
        refuse_arguments(form)
    one = form.registration_id.data
    ids = [one] if one is not None else None
    name = f"visa-letter-{event.slug}-{one}.pdf" if one is not None else f"visa-letters-{event.slug}.pdf"
    return _pdf(event, lambda out: list_services.visa_letters(event, out, registration_ids=ids), name,
                nobody=_("There is no letter to download: no approved delegate asked for one."))


@bp.route("/events/<slug>/visa-letters/release", methods=["POST"])
@event_view(EventRole.ORGANISER)
def release_visa_letters(event: Event):
    """Release one delegate's visa letter, or all unreleased ones; each delegate is emailed."""
    form = ReleaseForm()
    if not form.validate_on_submit():
        return _back(event, _("This form has expired. Please try again."))
    try:
        if form.registration_id.data is not None:
            registration = db.session.get(Registration, form.registration_id.data)
            if registration is None or registration.event_id != event.id:
                abort(404)
            count = int(list_services.release_visa_letter(registration, by_user=current_user))
        else:
            count = list_services.release_visa_letters(event, by_user=current_user)
    except DocumentError as error:
        db.session.rollback()
        return _back(event, str(error))
    db.session.commit()
    if count:
        flash(_("%(count)s visa letter(s) released; the delegates were emailed a link to download them.",
                count=count), "success")
    else:
        flash(_("No letter was waiting to be released."), "info")
    return redirect(url_for("documents.documents_page", slug=event.slug, _anchor="letters"), code=303)
