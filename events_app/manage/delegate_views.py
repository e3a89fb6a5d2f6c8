"""One delegate's page in the workspace: the whole record, status, role, edits, and the passport reveal."""
from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from events_app.audit import services as audit
from events_app.choices import FIELD_LABELS, LANGUAGE_LABELS, EventRole
from events_app.events.access import TEAM_ROLES, event_view, may
from events_app.events.models import Event
from events_app.extensions import db
from events_app.manage.delegate_record import passport_details, record_of
from events_app.manage.forms import ACTIONS, StatusActionForm
from events_app.manage.record_forms import RoleForm
from events_app.manage.views import bp
from events_app.registration import lifecycle
from events_app.registration import services as registration_services
from events_app.registration.forms import organiser_form_for
from events_app.registration.models import Registration
from events_app.registration.questions import question_fields
from events_app.registration.roles import set_participant_role


@bp.route("/events/<slug>/delegates/<int:registration_id>")
@event_view(*TEAM_ROLES)
def delegate(event: Event, registration_id: int):
    """One delegate's record: all they gave for organisers; what the desk and printing need for staff."""
    registration = _load(event, registration_id)
    return _record_page(event, registration, revealed=False)


@bp.route("/events/<slug>/delegates/<int:registration_id>/passport", methods=["POST"])
@event_view(EventRole.ORGANISER)
def reveal_passport(event: Event, registration_id: int):
    """Show the passport details on this one response, and log who saw them."""
    registration = _load(event, registration_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    audit.record("passport.reveal", user=current_user, registration=registration)
    db.session.commit()
    response = make_response(_record_page(event, registration, revealed=True))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/events/<slug>/delegates/<int:registration_id>/edit", methods=["GET", "POST"])
@event_view(EventRole.ORGANISER)
def edit_delegate(event: Event, registration_id: int):
    """Organisers change any detail through the delegate's own edit (same checks, re-approval, history)."""
    registration = _load(event, registration_id)
    form = organiser_form_for(event, registration)
    if form.validate_on_submit():
        try:
            changed = registration_services.update_details(registration, form.delegate_data(), actor="organiser",
                                                           by_user=current_user)
        except registration_services.EmailTaken:
            db.session.rollback()
            form.email.errors.append(_("Another registration for this event uses this email address."))
        else:
            db.session.commit()
            if changed:
                flash(_("Saved: %(fields)s.", fields=", ".join(str(FIELD_LABELS.get(f, f)) for f in changed)),
                      "success")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(url_for(".delegate", slug=event.slug, registration_id=registration_id))
    return render_template("manage/delegate_edit.html", event=event, registration=registration, form=form,
                           questions=question_fields(form))


@bp.route("/events/<slug>/delegates/<int:registration_id>/role", methods=["POST"])
@event_view(EventRole.ORGANISER)
def set_role(event: Event, registration_id: int):
    """Set the delegate's participant role (badge colour and label follow)."""
    registration = _load(event, registration_id)
    form = RoleForm()
    if form.validate_on_submit():
        if set_participant_role([registration], form.participant_role.data, by_user=current_user):
            db.session.commit()
            flash(_("%(name)s is now %(role)s.", name=registration.full_name,
                    role=registration.participant_role.label), "success")
    else:
        flash(_("That role could not be set. Please try again."), "error")
    return redirect(url_for(".delegate", slug=event.slug, registration_id=registration_id))


@bp.route("/events/<slug>/delegates/<int:registration_id>/status", methods=["POST"])
@event_view(EventRole.ORGANISER)
def change_status(event: Event, registration_id: int):
    """Approve, decline, waitlist, cancel or reopen one delegate."""
    registration = _load(event, registration_id)
    form = StatusActionForm()
    if form.validate_on_submit():
        wanted = ACTIONS[form.action.data]
        try:
            ended = lifecycle.change_status(registration, wanted, by_user=current_user, reason=form.reason.data or "")
            db.session.commit()
        except lifecycle.TransitionError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            if ended != wanted:
                flash(_("%(name)s was put on the waiting list: no place is free.", name=registration.full_name),
                      "warning")
            else:
                flash(_("%(name)s is now %(status)s.", name=registration.full_name, status=ended.label), "success")
    else:
        flash(_("That action could not be done. Please try again."), "error")
    return redirect(form.back_or(url_for(".delegates", slug=event.slug)))


@bp.route("/events/<slug>/delegates/<int:registration_id>/token", methods=["POST"])
@event_view(EventRole.ORGANISER)
def regenerate_token(event: Event, registration_id: int):
    """A new private link for the delegate (the old one stops working); the new one is emailed."""
    registration = _load(event, registration_id)
    if FlaskForm().validate_on_submit():
        registration_services.regenerate_token(registration)
        audit.record("delegate.private_link", user=current_user, registration=registration,
                     summary="New private link emailed")
        db.session.commit()
        flash(_("A new private link was emailed to %(email)s. The old link no longer works.",
                email=registration.email), "success")
    return redirect(url_for(".delegate", slug=event.slug, registration_id=registration_id))


def _record_page(event, registration, *, revealed: bool):
    full = may(current_user, event, EventRole.ORGANISER)  # staff see what the desk and printing need only
    return render_template(
        "manage/delegate.html", event=event, registration=registration, full=full,
        record=record_of(registration, full=full),
        passport=passport_details(registration, revealed=revealed) if full else [], revealed=revealed,
        action_form=StatusActionForm(), token_form=FlaskForm(),
        role_form=RoleForm(formdata=None, participant_role=registration.participant_role.value),
        field_labels=FIELD_LABELS, language_labels=LANGUAGE_LABELS,
    )


def _load(event: Event, registration_id: int) -> Registration:
    """The event's delegate with this id, or 404 (another event's id is as unknown as a made-up one)."""
    registration = db.session.scalar(
        select(Registration).where(Registration.id == registration_id, Registration.event_id == event.id)
    )
    if registration is None:
        abort(404)
    return registration
