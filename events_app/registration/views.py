"""The registration form, its confirmation, and the registrant's private page."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from events_app.choices import Status
from events_app.events.services import find_event
from events_app.extensions import db, limiter
from events_app.registration import services
from events_app.registration.forms import RegistrationForm
from events_app.registration.lifecycle import TransitionError

bp = Blueprint("registration", __name__)


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def register(slug: str):
    """Show and accept the registration form (Post/Redirect/Get to the private page)."""
    event = find_event(slug) or abort(404)
    state = event.registration_state()
    locale = str(get_locale() or "en")
    form = RegistrationForm(locale=locale)
    if not form.is_submitted():
        form.locale.data = locale
    if state != "open":
        return render_template("registration/closed.html", event=event, state=state), 200
    if form.validate_on_submit():
        outcome = services.register(event, form.delegate_data(), submission_key=form.submission_key.data)
        db.session.commit()
        if outcome.created or outcome.why_existing == "resubmitted":
            return redirect(url_for(".confirmation", token=outcome.registration.token))
        # Already registered with this email: the link went to that address, not to this screen.
        return redirect(url_for(".link_sent", slug=event.slug))
    return render_template("registration/form.html", event=event, form=form)


@bp.route("/events/<slug>/registered")
def link_sent(slug: str):
    """After a repeated email: say the link was emailed, without showing the registration."""
    event = find_event(slug) or abort(404)
    return render_template("registration/link_sent.html", event=event)


@bp.route("/r/<token>/confirmation")
def confirmation(token: str):
    """Thank-you page right after registering, pointing at the private link."""
    registration = services.by_token(token) or abort(404)
    return render_template("registration/confirmation.html", registration=registration, event=registration.event)


@bp.route("/r/<token>")
def private_page(token: str):
    """The registrant's own page: status, details, cancel."""
    registration = services.by_token(token) or abort(404)
    return render_template(
        "registration/private.html",
        registration=registration,
        event=registration.event,
        cancel_form=FlaskForm(),
        can_cancel=registration.status not in (Status.CANCELLED, Status.DECLINED),
    )


@bp.route("/r/<token>/cancel", methods=["POST"])
def cancel(token: str):
    """The registrant cancels their own registration."""
    registration = services.by_token(token) or abort(404)
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            services.cancel_by_registrant(registration)
            db.session.commit()
            flash(_("Your registration is cancelled."), "info")
        except TransitionError as error:
            db.session.rollback()
            flash(str(error), "error")
    return redirect(url_for(".private_page", token=token))


@bp.after_request
def _no_referrer(response):
    # Private links must not leak to other sites through the Referer header.
    if request.path.startswith("/r/"):
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response
