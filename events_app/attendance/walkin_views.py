"""The desk's walk-in form and the organisers' desk settings."""
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from events_app.attendance import walkins
from events_app.attendance.forms import DeskSettingsForm, WalkInForm
from events_app.attendance.views import bp, desk_place, requested_place
from events_app.choices import EventRole
from events_app.events.access import TEAM_ROLES, event_view, may
from events_app.events.models import Event
from events_app.extensions import db
from events_app.registration.services import RegistrationClosed


@bp.route("/<slug>/walk-in", methods=["GET", "POST"])
@event_view(*TEAM_ROLES)
def walkin(event: Event):
    """Register someone at the door, check them in, and offer their badge for the card printer."""
    form = WalkInForm(locale=str(get_locale() or "en"))
    day, _session = desk_place(event, form) if request.method == "POST" else requested_place(event)
    if form.validate_on_submit():
        try:
            done = walkins.register_walkin(event, form.registration_data(), day=day, by_user=current_user)
        except RegistrationClosed:
            db.session.rollback()
            flash("This event takes no more registrations.", "error")
        else:
            db.session.commit()
            outcome = done.outcome
            session["last_checkin"] = {"result": outcome.result, "registration_id": outcome.registration.id,
                                       "checkin_id": outcome.checkin.id if outcome.checkin else None,
                                       "walkin": True, "existing": not done.created}
            return redirect(url_for(".desk", slug=event.slug, day=day.isoformat()))
    form.day.data = day
    settings = walkins.settings_of(event.id)
    return render_template("attendance/walkin.html", event=event, day=day, form=form, settings=settings,
                           settings_form=DeskSettingsForm(formdata=None, obj=settings),
                           may_configure=_may_configure(event))


@bp.route("/<slug>/settings", methods=["POST"])
@event_view(EventRole.ORGANISER)
def desk_settings(event: Event):
    """Organisers choose whether walk-ins are approved at once."""
    form = DeskSettingsForm()
    if form.validate_on_submit():
        walkins.save_settings(event.id, walkins_approved=form.walkins_approved.data)
        db.session.commit()
        flash("Desk settings saved.", "success")
    return redirect(url_for(".walkin", slug=event.slug))


def _may_configure(event) -> bool:
    return may(current_user, event, EventRole.ORGANISER)
