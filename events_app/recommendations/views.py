"""The recommendations workspace under /manage: draft, edit, merge, split, order, adopt, endorsements, downloads.

Rapporteurs and organisers of the event write drafts; only organisers adopt, merge, split, order and
open endorsement; rapporteurs may edit drafts only. Another event's pages answer 404 (events.access).
Every form works without JavaScript.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from events_app.choices import EventRole
from events_app.documents.views import pdf_buffer, send_pdf
from events_app.events.access import event_view, may
from events_app.extensions import db
from events_app.recommendations import endorsements, publishing, services
from events_app.recommendations.forms import (
    MergeForm,
    MoveForm,
    RecommendationForm,
    SettingsForm,
    SplitForm,
    StatusForm,
)
from events_app.recommendations.models import OPEN_STATUSES, RecommendationStatus
from events_app.recommendations.services import RecommendationError
from events_app.routing import record_id

bp = Blueprint("recommendations", __name__)
WRITERS = (EventRole.ORGANISER, EventRole.RAPPORTEUR)
ORGANISER = EventRole.ORGANISER


@bp.app_template_global("endorsement_open")
def endorsement_open(event) -> bool:
    """For the delegate's private page (registration's template): may participants endorse now?"""
    return endorsements.endorsement_open(event)


def _is_organiser(event) -> bool:
    return may(current_user, event, ORGANISER)


def _recommendation(event, rec_id: int):
    return services.recommendation_of(event, rec_id) or abort(404)


def _to_list(event, anchor: str | None = None):
    return redirect(url_for(".index", slug=event.slug, _anchor=anchor), code=303)


def _refused(form, error: RecommendationError) -> None:
    """Show a service's refusal beside its field, or at the top of the page."""
    db.session.rollback()
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
    else:
        flash(str(error), "error")


@bp.route("/events/<slug>/recommendations")
@event_view(*WRITERS)
def index(event):
    """Every recommendation still on the table, by theme, with its status and the number it will carry."""
    rows = services.on_the_table(event)
    numbers = {rec.id: number for number, rec in services.numbered(event)}
    merge_form = MergeForm()
    merge_form.ids.choices = [(rec.id, "") for rec in rows]
    return render_template(
        "recommendations/index.html", event=event, rows=rows, numbers=numbers, is_organiser=_is_organiser(event),
        settings=services.settings_for(event), has_themes=bool(services.themes(event)), merge_form=merge_form,
        status_form=StatusForm(), move_form=MoveForm(), languages=publishing.document_languages(event),
        counts={status: sum(r.status == status for r in rows) for status in OPEN_STATUSES},
    )


@bp.route("/events/<slug>/recommendations/new", methods=["GET", "POST"])
@event_view(*WRITERS)
def new(event):
    """Write a draft recommendation (works on a phone, without JavaScript)."""
    if not services.themes(event):
        flash(_("An organiser first sets the event's themes and addressees."), "error")
        return _to_list(event)
    form = RecommendationForm.for_event(event)
    if form.validate_on_submit():
        try:
            rec = services.draft(event, by=current_user, **form.values())
        except RecommendationError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Draft saved. Write the next one, or go back to the list."), "success")
            return redirect(url_for(".new", slug=event.slug, theme=rec.theme_id, source=rec.source), code=303)
    elif not form.is_submitted():
        form.theme_id.data = request.args.get("theme", type=record_id)
        form.source.data = request.args.get("source", "")
    return render_template("recommendations/form.html", event=event, form=form, rec=None)


@bp.route("/events/<slug>/recommendations/<int:rec_id>", methods=["GET", "POST"])
@event_view(*WRITERS)
def edit(event, rec_id: int):
    """Edit a recommendation (rapporteurs: drafts only) and read its history."""
    rec = _recommendation(event, rec_id)
    editable = rec.status in OPEN_STATUSES and (_is_organiser(event) or rec.status == RecommendationStatus.DRAFT)
    form = RecommendationForm.for_event(event, rec)
    if form.is_submitted() and not editable:
        abort(403)
    if form.validate_on_submit():
        try:
            services.edit(rec, by=current_user, **form.values())
        except RecommendationError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("The recommendation was saved as version %(version)s.", version=rec.version), "success")
            return _to_list(event, f"rec-{rec.id}")
    return render_template("recommendations/form.html", event=event, form=form, rec=rec, editable=editable,
                           is_organiser=_is_organiser(event), status_form=StatusForm())


@bp.route("/events/<slug>/recommendations/<int:rec_id>/status", methods=["POST"])
@event_view(ORGANISER)
def set_status(event, rec_id: int):
    """Adopt, reject, or take back to draft."""
    rec = _recommendation(event, rec_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            services.set_status(rec, form.status.data, by=current_user)
        except RecommendationError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Recommendation %(id)s: %(status)s.", id=rec.id, status=rec.status.label), "success")
    return _to_list(event, f"rec-{rec.id}")


@bp.route("/events/<slug>/recommendations/<int:rec_id>/move", methods=["POST"])
@event_view(ORGANISER)
def move(event, rec_id: int):
    """Move a recommendation up or down within its theme."""
    rec = _recommendation(event, rec_id)
    form = MoveForm()
    if form.validate_on_submit():
        services.move(rec, form.direction.data, by=current_user)
        db.session.commit()
    return _to_list(event, f"rec-{rec.id}")


@bp.route("/events/<slug>/recommendations/merge", methods=["POST"])
@event_view(ORGANISER)
def merge(event):
    """Merge the ticked recommendations into a new draft, then edit its wording."""
    form = MergeForm()
    form.ids.choices = [(rec.id, "") for rec in services.on_the_table(event)]
    if not form.validate_on_submit():
        flash(_("Tick two or more recommendations of this list to merge them."), "error")
        return _to_list(event)
    chosen = sorted((services.recommendation_of(event, i) for i in form.ids.data), key=lambda r: (r.theme.position,
                                                                                                   r.position))
    try:
        merged = services.merge(chosen, by=current_user)
    except RecommendationError as error:
        _refused(form, error)
        return _to_list(event)
    db.session.commit()
    flash(_("Merged into a new draft. Edit its wording, then adopt it."), "success")
    return redirect(url_for(".edit", slug=event.slug, rec_id=merged.id), code=303)


@bp.route("/events/<slug>/recommendations/<int:rec_id>/split", methods=["GET", "POST"])
@event_view(ORGANISER)
def split(event, rec_id: int):
    """Split a recommendation into several drafts."""
    rec = _recommendation(event, rec_id)
    form = SplitForm()
    if form.validate_on_submit():
        try:
            parts = services.split(rec, form.texts(), by=current_user)
        except RecommendationError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Split into %(count)s drafts.", count=len(parts)), "success")
            return _to_list(event, f"rec-{parts[0].id}")
    elif not form.is_submitted():
        form.parts.data = rec.text
    return render_template("recommendations/split.html", event=event, form=form, rec=rec)


@bp.route("/events/<slug>/recommendations/settings", methods=["GET", "POST"])
@event_view(ORGANISER)
def settings(event):
    """Themes, addressees, the preamble, and whether participants may endorse now."""
    current = services.settings_for(event)
    form = SettingsForm()
    if form.validate_on_submit():
        try:
            services.save_settings(event, theme_names=form.themes.data.splitlines(),
                                   addressee_names=form.addressees.data.splitlines(), preamble=form.preamble.data,
                                   endorsement_open=form.endorsement_open.data)
        except RecommendationError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("The recommendation settings were saved."), "success")
            return _to_list(event)
    elif not form.is_submitted():
        form.themes.data = "\n".join(t.name for t in services.themes(event)) or "\n".join(SUGGESTED_THEMES)
        form.addressees.data = ("\n".join(a.name for a in services.addressees(event))
                                or "\n".join(SUGGESTED_ADDRESSEES))
        form.preamble.data = current.preamble
        form.endorsement_open.data = current.endorsement_open
    return render_template("recommendations/settings.html", event=event, form=form)


@bp.route("/events/<slug>/recommendations/endorsements")
@event_view(ORGANISER)
def endorsement_counts(event):
    """Endorsements of each adopted recommendation by stakeholder group and by country, with comments."""
    return render_template("recommendations/endorsements.html", event=event, tallies=endorsements.tallies(event),
                           settings=services.settings_for(event))


@bp.route("/events/<slug>/recommendations.<any(pdf, md, docx):kind>")
@event_view(ORGANISER, EventRole.RAPPORTEUR, EventRole.STAFF)
def download(event, kind: str):
    """The recommendations document as PDF, Markdown or DOCX (?lang=km for a translation)."""
    try:
        lang = publishing.check_language(request.args.get("lang"))
    except RecommendationError as error:
        abort(400, description=str(error))
    name = f"recommendations-{event.slug}{'' if lang == 'en' else '-' + lang}.{kind}"
    if kind == "md":
        return publishing.recommendations_markdown(event, lang=lang), 200, {
            "Content-Type": "text/markdown; charset=utf-8", "Content-Disposition": f'attachment; filename="{name}"'}
    out = pdf_buffer()
    if kind == "docx":
        publishing.recommendations_docx(event, out, lang=lang)
        out.seek(0)
        return send_file(out, as_attachment=True, download_name=name, max_age=0, mimetype=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    publishing.recommendations_pdf(event, out, lang=lang)
    return send_pdf(out, name)


SUGGESTED_THEMES = ("Labour migration governance", "Health", "Social protection", "Return and reintegration")
SUGGESTED_ADDRESSEES = ("Governments of countries of origin", "Governments of countries of destination", "ASEAN",
                        "ILO and IOM", "Employers", "Civil society")
