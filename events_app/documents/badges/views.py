"""Badges in the organisers' workspace: the badges page, printing a selection or one reprint, the alignment sheet.

Printing records `badge_printed_at`, so it is a POST with CSRF (`badges/print`): a link on another
site cannot mark badges printed. A small run comes back as the PDF; a run of more than
BADGE_RUN_INLINE_LIMIT badges becomes a "badges" job whose page shows its progress, so no request
is held open for minutes. The page and the alignment sheet are GETs that change nothing. The page,
the print and `flask documents badges` share one selection (`BadgeSelection`) and one service (`badge_run`).
"""
from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, SelectField
from wtforms.validators import NumberRange, Optional

from events_app.choices import ParticipantRole, StakeholderGroup, Status
from events_app.documents.badges.layouts import DEFAULT_LAYOUT, LAYOUTS, render_alignment_sheet
from events_app.documents.badges.queries import BadgeSelection, badge_count, badge_overview, font_warnings
from events_app.documents.badges.services import BadgeError, UnknownDelegate, badge_run, check_selection
from events_app.documents.views import bp, log_download, pdf_buffer, refuse_arguments, send_pdf
from events_app.events.access import TEAM_ROLES, event_view
from events_app.events.models import Event
from events_app.extensions import db
from events_app.forms import IdField
from events_app.jobs import services as jobs

_FALSE = ("", "0", "false", "no", "n", "off")
OFFSET_MESSAGE = _l("Enter a number of millimetres from -20 to 20.")


class BadgeRunForm(FlaskForm):
    """The choice of badges: the page's query arguments (read without CSRF), or the print's POST (with it)."""

    layout = SelectField(_l("Layout"), choices=[(k, v.description) for k, v in LAYOUTS.items()],
                         default=DEFAULT_LAYOUT)
    status = SelectField(_l("Registration status"), choices=Status.choices(), default=Status.APPROVED.value)
    role = SelectField(_l("Participant role"), choices=[("", _l("All roles")), *ParticipantRole.choices()],
                       default="")
    group = SelectField(_l("Stakeholder group"), choices=[("", _l("All groups")), *StakeholderGroup.choices()],
                        default="")
    day = SelectField(_l("Day"), choices=[("", _l("Every day"))], default="",
                      description=_l("Delegates whose arrival and departure dates cover the day, and those who "
                                     "gave no dates."))
    not_printed = BooleanField(_l("Not yet printed only"), false_values=_FALSE)
    cut_marks = BooleanField(_l("Cut marks (sheets you cut; label sheets get none)"), false_values=_FALSE)
    offset_x = FloatField(_l("Printer offset to the right (mm)"), default=0.0,
                          validators=[Optional(), NumberRange(-20, 20, OFFSET_MESSAGE)],
                          invalid_value_message=OFFSET_MESSAGE)
    offset_y = FloatField(_l("Printer offset down (mm)"), default=0.0,
                          validators=[Optional(), NumberRange(-20, 20, OFFSET_MESSAGE)],
                          invalid_value_message=OFFSET_MESSAGE)
    registration = IdField(validators=[Optional()])  # one delegate's reprint
    # Which button: update the count, print (recorded), preview (not recorded), the alignment sheet.
    action = SelectField(choices=[(a, a) for a in ("count", "print", "preview", "alignment")], default="print")

    @classmethod
    def for_event(cls, event, formdata=None, *, csrf: bool = True):
        """The form with the event's days to choose from (csrf=False for the page's query arguments)."""
        form = cls(formdata, meta={"csrf": csrf})
        form.day.choices = [("", _("Every day")),
                            *((d.isoformat(), format_date(d, "EEEE d MMMM yyyy")) for d in event.days)]
        return form

    def selection(self) -> BadgeSelection:
        """The validated choice as the service's selection."""
        return BadgeSelection(
            status=self.status.data, role=self.role.data or None, group=self.group.data or None,
            day=date.fromisoformat(self.day.data) if self.day.data else None,
            not_printed=bool(self.not_printed.data), registration_id=self.registration.data,
        )

    def query_args(self, *names: str) -> dict:
        """The chosen values as query arguments for a GET (the page, the alignment sheet); never the token."""
        names = names or ("layout", "status", "role", "group", "day", "not_printed", "cut_marks", "offset_x",
                          "offset_y")
        return {name: self[name].raw_data[0] for name in names if self[name].raw_data and self[name].raw_data[0]}

    def job_params(self) -> dict:
        """What a "badges" job needs to print this selection (plain JSON values)."""
        return {"status": self.status.data, "role": self.role.data or None, "group": self.group.data or None,
                "day": self.day.data or None, "not_printed": bool(self.not_printed.data), "layout": self.layout.data,
                "cut_marks": bool(self.cut_marks.data), "offset_mm": list(self.offset_mm),
                "record": self.action.data != "preview"}

    @property
    def offset_mm(self) -> tuple[float, float]:
        """The printer offset (right, down) in millimetres."""
        return self.offset_x.data or 0.0, self.offset_y.data or 0.0


def layout_rows() -> list[dict]:
    """Each layout with its description and measurements, for the badges page."""
    return [{"name": lay.name, "description": lay.description, "per_page": lay.per_page,
             "badge": f"{lay.badge[0]:g} × {lay.badge[1]:g} mm", "paper": f"{lay.page[0]:g} × {lay.page[1]:g} mm",
             "label_sheet": lay.die_cut} for lay in LAYOUTS.values()]


@bp.app_template_global("badge_layouts")
def badge_layout_choices() -> list[tuple[str, str, bool]]:
    """(name, description, is the default) of every layout, for a reprint form on any workspace page."""
    return [(name, lay.description, name == DEFAULT_LAYOUT) for name, lay in LAYOUTS.items()]


def _page(event: Event, form: BadgeRunForm, status: int = 200):
    count = badge_count(event, form.selection()) if not form.errors else None
    per_page = LAYOUTS[form.layout.data].per_page if form.layout.data in LAYOUTS else 1
    return render_template("manage/badges.html", event=event, form=form, count=count, per_page=per_page,
                           overview=badge_overview(event), layouts=layout_rows(),
                           font_warnings=font_warnings(event, font_dirs=current_app.config["FONT_DIRS"])), status


@bp.route("/events/<slug>/badges")
@event_view(*TEAM_ROLES)
def badges_page(event: Event):
    """Choose what to print: layout, filters, cut marks and offset; shows how many badges that is."""
    form = BadgeRunForm.for_event(event, request.args or None, csrf=False)
    if request.args:
        form.validate()
    return _page(event, form)


@bp.route("/events/<slug>/badges/print", methods=["POST"])
@event_view(*TEAM_ROLES)
def print_badges(event: Event):
    """Print the chosen badges (or one delegate's reprint), recording them, or preview them unrecorded.

    "Update count" and the alignment sheet change nothing: they go on to their GET page with the choices.
    """
    form = BadgeRunForm.for_event(event, request.form)
    if not form.validate():
        return _page(event, form, 400)
    if form.action.data == "count":
        return redirect(url_for(".badges_page", slug=event.slug, **form.query_args()), code=303)
    if form.action.data == "alignment":
        args = form.query_args("layout", "offset_x", "offset_y")
        return redirect(url_for(".alignment_pdf", slug=event.slug, **args), code=303)
    selection = form.selection()
    back = (url_for("manage.delegate", slug=event.slug, registration_id=selection.registration_id) if selection.single
            else url_for(".badges_page", slug=event.slug, **form.query_args()))
    count = badge_count(event, selection)
    if not selection.single and count > current_app.config["BADGE_RUN_INLINE_LIMIT"]:
        return _start_job(event, form, count)
    record = form.action.data != "preview"
    out = pdf_buffer()
    try:
        run = badge_run(event, out, selection=selection, layout=form.layout.data, cut_marks=form.cut_marks.data,
                        offset_mm=form.offset_mm, record=record)
    except UnknownDelegate:
        abort(404)  # a reprint for someone who is not (or no longer) registered for this event
    except BadgeError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back, code=303)
    if not run.report.badges:
        db.session.rollback()
        flash(_("No delegate matches these choices, so there is nothing to print."), "warning")
        return redirect(back, code=303)
    db.session.commit()
    if selection.single:
        name = f"badge-{event.slug}-{selection.registration_id}.pdf"
    else:
        name = f"badges-{event.slug}-{form.layout.data}{'' if record else '-preview'}.pdf"
    log_download(event, f"{name} ({run.report.badges} badges)")
    return send_pdf(out, name)


def _start_job(event: Event, form: BadgeRunForm, count: int):
    """Queue the run as a job (recorded as printed when it finishes) and show its progress page."""
    try:
        check_selection(event, form.selection())
    except BadgeError as error:
        flash(str(error), "error")
        return redirect(url_for(".badges_page", slug=event.slug, **form.query_args()), code=303)
    db.session.rollback()
    job = jobs.queue("badges", event_id=event.id, user_id=current_user.id, params=form.job_params(), total=count,
                     message=f"{count} badges, layout {form.layout.data}"
                             + ("" if form.action.data == "print" else " (preview: not recorded as printed)"))
    db.session.commit()
    return redirect(url_for("manage.job_page", slug=event.slug, job_id=job.id), code=303)


@bp.route("/events/<slug>/badges/alignment.pdf")
@event_view(*TEAM_ROLES)
def alignment_pdf(event: Event):
    """One calibration page for the chosen layout and printer offset (nothing is recorded)."""
    form = BadgeRunForm.for_event(event, request.args, csrf=False)
    if not form.validate():
        refuse_arguments(form)
    out = pdf_buffer(1024 * 1024)
    render_alignment_sheet(form.layout.data, out, form.offset_mm)
    return send_pdf(out, f"alignment-{form.layout.data}.pdf")
