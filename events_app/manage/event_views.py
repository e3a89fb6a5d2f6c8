"""Organisers' pages for an event's settings, quotas and extra questions (on the `manage` blueprint)."""
import io

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from events_app.auth.decorators import role_required
from events_app.choices import EventRole, UserRole
from events_app.events import services, settings
from events_app.events.access import TEAM_ROLES, event_view, grant
from events_app.events.forms import (
    ConfirmForm,
    EventForm,
    MoveForm,
    QuestionForm,
    QuotaForm,
    QuotaPlacesForm,
    quota_target_label,
)
from events_app.events.models import Event, Question, Quota
from events_app.events.services import EventError
from events_app.events.timezones import SUGGESTED_TIMEZONES
from events_app.extensions import db
from events_app.manage import places
from events_app.manage.event_log import logged
from events_app.manage.views import bp
from events_app.registration.capacity import approved_count


@bp.route("/events/new", methods=["GET", "POST"])
@role_required(UserRole.ORGANISER)
def new_event():
    """Create an event with all its settings; its creator becomes its organiser."""
    form = EventForm(creating=True)
    if form.validate_on_submit() and (event := _save(form, _create_organised_by, current_user, form.slug.data,
                                                     **form.event_values())):
        flash(_("The event “%(title)s” was created. Add quotas and questions if it needs them.",
                title=event.title), "success")
        return redirect(url_for(".event_settings", slug=event.slug))
    return render_template("manage/event_form.html", form=form, event=None, suggested_timezones=SUGGESTED_TIMEZONES)


@bp.route("/events/<slug>/settings", methods=["GET", "POST"])
@event_view(EventRole.ORGANISER)
def event_settings(event: Event):
    """Edit an event's settings; capacity below those approved is allowed, with a warning."""
    form = EventForm.for_event(event)
    save = logged("event.settings", places.save_event_settings, event)
    if form.validate_on_submit() and (report := _save(form, save, event, **form.event_values())):
        flash(_("The settings were saved."), "success")
        _flash_places(report)
        return redirect(url_for(".event_settings", slug=event.slug))
    return render_template("manage/event_form.html", form=form, event=event, suggested_timezones=SUGGESTED_TIMEZONES)


@bp.route("/events/<slug>/logo")
@event_view(*TEAM_ROLES)
def event_logo(event: Event):
    """The event's logo image, for the preview in its settings."""
    if not event.logo_content_type or not event.logo:
        abort(404)
    response = send_file(io.BytesIO(event.logo), mimetype=event.logo_content_type, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"  # an image, never read as a page
    return response


@bp.route("/events/<slug>/quotas", methods=["GET", "POST"])
@event_view(EventRole.ORGANISER)
def quotas(event: Event):
    """An event's quotas with their approved counts, and a form to add one."""
    form = QuotaForm(event=event)
    if form.validate_on_submit():
        kind, value = form.kind_and_value()
        add = logged("event.quota", settings.add_quota, event)
        quota = _save(form, add, event, kind=kind, value=value, places=form.places.data)
        if quota:
            name = quota_target_label(kind, value)
            flash(_("Quota added: %(places)s places for %(name)s.", places=quota.places, name=name), "success")
            _flash_places(places.PlacesReport(places.quota_approved(quota), quota.places), quota_name=name)
            return redirect(url_for(".quotas", slug=event.slug))
    return _quotas_page(event, form)


@bp.route("/events/<slug>/quotas/<int:quota_id>", methods=["POST"])
@event_view(EventRole.ORGANISER)
def update_quota(event: Event, quota_id: int):
    """Change the places of one quota."""
    quota = _load(event, Quota, quota_id)
    form = QuotaPlacesForm(prefix=f"quota-{quota.id}")
    change = logged("event.quota", places.change_quota_places, event)
    if form.validate_on_submit() and (report := _save(form, change, quota, places=form.places.data)):
        name = quota_target_label(quota.kind, quota.value)
        flash(_("%(name)s now has %(places)s places.", name=name, places=quota.places), "success")
        _flash_places(report, quota_name=name)
        return redirect(url_for(".quotas", slug=event.slug))
    return _quotas_page(event, QuotaForm(formdata=None, event=event), bound={quota.id: form})


@bp.route("/events/<slug>/quotas/<int:quota_id>/delete", methods=["POST"])
@event_view(EventRole.ORGANISER)
def delete_quota(event: Event, quota_id: int):
    """Remove one quota."""
    quota = _load(event, Quota, quota_id)
    name = quota_target_label(quota.kind, quota.value)
    form = ConfirmForm()
    if _confirmed(form) and (report := _save(form, logged("event.quota", places.remove_quota, event), quota)):
        flash(_("The quota for %(name)s was removed.", name=name), "success")
        _flash_places(report)
    return redirect(url_for(".quotas", slug=event.slug))


@bp.route("/events/<slug>/questions", methods=["GET", "POST"])
@event_view(EventRole.ORGANISER)
def questions(event: Event):
    """An event's extra questions in form order, and a form to add one."""
    form = QuestionForm(event=event, creating=True)
    add = logged("event.question", settings.add_question, event)
    if form.validate_on_submit() and (question := _save(form, add, event, key=form.key.data,
                                                        **form.question_values())):
        flash(_("Question “%(label)s” added.", label=question.label), "success")
        return redirect(url_for(".questions", slug=event.slug))
    return _questions_page(event, form)


@bp.route("/events/<slug>/questions/<int:question_id>", methods=["GET", "POST"])
@event_view(EventRole.ORGANISER)
def edit_question(event: Event, question_id: int):
    """Edit one extra question (its key stays)."""
    question = _load(event, Question, question_id)
    form = QuestionForm.for_question(question)
    update = logged("event.question", settings.update_question, event)
    if form.validate_on_submit() and _save(form, update, question, **form.question_values()):
        flash(_("Question “%(label)s” saved.", label=question.label), "success")
        return redirect(url_for(".questions", slug=event.slug))
    return _questions_page(event, form, editing=question)


@bp.route("/events/<slug>/questions/<int:question_id>/delete", methods=["POST"])
@event_view(EventRole.ORGANISER)
def delete_question(event: Event, question_id: int):
    """Remove one extra question from the form."""
    question = _load(event, Question, question_id)
    label = question.label
    form = ConfirmForm()
    if _confirmed(form) and _save(form, logged("event.question", settings.delete_question, event), question):
        flash(_("Question “%(label)s” removed.", label=label), "success")
    return redirect(url_for(".questions", slug=event.slug))


@bp.route("/events/<slug>/questions/<int:question_id>/move", methods=["POST"])
@event_view(EventRole.ORGANISER)
def move_question(event: Event, question_id: int):
    """Move one extra question up or down."""
    question = _load(event, Question, question_id)
    form = MoveForm()
    if _confirmed(form):
        move = logged("event.question", settings.move_question, event)
        _save(form, move, question, by=-1 if form.direction.data == "up" else 1)
    return redirect(url_for(".questions", slug=event.slug, _anchor=f"question-{question_id}"))


def _create_organised_by(user, slug: str, **values) -> Event:
    """Create an event (events.services.create_event) with `user` as its organiser (flushes)."""
    event = services.create_event(slug, **values)
    grant(user, event, EventRole.ORGANISER)
    return event


def _load(event, model, item_id: int):
    item = db.session.scalar(select(model).where(model.id == item_id, model.event_id == event.id))
    if item is None:
        abort(404)
    return item


def _save(form, service, *args, **kwargs):
    """Call one service for a validated form and commit; on an EventError roll back and show it.

    Returns what the service returned (truthy), or None when the service refused.
    """
    try:
        result = service(*args, **kwargs)
        db.session.commit()
    except EventError as error:
        db.session.rollback()
        _show_error(form, error)
        return None
    return True if result is None else result


def _confirmed(form) -> bool:
    """A button form (CSRF and perhaps a direction) was submitted correctly; otherwise say so."""
    if form.validate_on_submit():
        return True
    flash(_("That could not be done. Please try again."), "error")
    return False


def _show_error(form, error: EventError) -> None:
    """Put a service's refusal beside its field, or at the top when it belongs to none."""
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors = [*form[field].errors, str(error)]
    else:
        flash(str(error), "error")


def _flash_places(report: places.PlacesReport, *, quota_name: str | None = None) -> None:
    """Warn when more are approved than the limit now allows; report promotions from the waiting list."""
    if report.over_by and quota_name:
        flash(_("%(approved)s delegates of %(name)s are approved already, %(over)s more than the quota of "
                "%(limit)s. Nobody was unapproved: cancel or waitlist delegates yourself if you need to.",
                approved=report.approved, name=quota_name, over=report.over_by, limit=report.limit), "warning")
    elif report.over_by:
        flash(_("%(approved)s delegates are approved already, %(over)s more than the capacity of %(limit)s. "
                "Nobody was unapproved: cancel or waitlist delegates yourself if you need to.",
                approved=report.approved, over=report.over_by, limit=report.limit), "warning")
    if report.promoted:
        flash(ngettext("%(num)s delegate was moved from the waiting list to approved and told by email.",
                       "%(num)s delegates were moved from the waiting list to approved and told by email.",
                       report.promoted), "success")


def _quotas_page(event, form, bound=None):
    rows = []
    for quota in event.quotas:
        edit = (bound or {}).get(quota.id) or QuotaPlacesForm(formdata=None, prefix=f"quota-{quota.id}",
                                                              data={"places": quota.places})
        name = quota_target_label(quota.kind, quota.value)
        edit.places.label.text = _("Places for %(name)s", name=name)
        rows.append({"quota": quota, "name": name,
                     "approved": places.quota_approved(quota), "form": edit})
    return render_template("manage/quotas.html", event=event, form=form, rows=rows,
                           approved=approved_count(event.id), confirm_form=ConfirmForm(formdata=None))


def _questions_page(event, form, editing=None):
    return render_template("manage/questions.html", event=event, form=form, editing=editing,
                           questions=list(event.questions), confirm_form=ConfirmForm(formdata=None),
                           move_form=MoveForm(formdata=None))
