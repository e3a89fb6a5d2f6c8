"""The registration form, its confirmation, and the registrant's private page."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

import events_app.registration.event_pages  # noqa: F401 - adds / and /events/<slug> to the events blueprint
from events_app.choices import Status
from events_app.events.cache import cached_event
from events_app.events.services import current_event_or_404
from events_app.extensions import db, limiter
from events_app.forms import clean_text
from events_app.registration import invitations, services
from events_app.registration.checker import check_delegate
from events_app.registration.forms import LostLinkForm, form_data_from, new_submission_key, registration_form_for
from events_app.registration.lifecycle import TransitionError
from events_app.registration.questions import question_fields

bp = Blueprint("registration", __name__)


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def register(slug: str):
    """Show and accept the registration form (Post/Redirect/Get to the confirmation page).

    A valid POST is checked by registration.checker (the form's own rules) and saved without binding
    the form's fields; the form is bound only to show it, or its errors beside the fields.
    """
    if request.method == "POST" and (cached := cached_event(slug)) is not None:
        response = _post_with_cached_event(cached)
        if response is not None:
            return response
        db.session.rollback()  # nothing written: the usual way from here, with the event as it is now
    event = current_event_or_404(slug)
    state = event.registration_state()
    if state != "open":
        return render_template("registration/closed.html", event=event, state=state)
    locale = str(get_locale() or "en")
    posted = request.method == "POST"
    code = clean_text(request.form.get("code")) if posted else request.args.get("code", "")
    try:
        invitation = invitations.admit(event, code)
    except invitations.InvitationError as error:
        return render_template("registration/invitation_needed.html", event=event, message=str(error)), 403
    email_error = None
    if posted:
        _check_csrf()
        checked = check_delegate(request.form, questions=event.questions, locale=locale)
        if checked.ok:
            try:
                return _registered(event, checked.data, submission_key=_submission_key(), invitation=invitation)
            except invitations.InvitationError as error:
                email_error = str(error)
    form = registration_form_for(event, locale=locale)
    if not posted:
        form.start(locale=locale, code=code, invitation=invitation)
    if email_error is None and form.validate_on_submit():
        try:
            return _registered(event, form.delegate_data(), submission_key=form.submission_key.data,
                               invitation=invitation)
        except invitations.InvitationError as error:
            email_error = str(error)
    if email_error is not None:
        form.validate()  # the fields' data and (no) errors as after a valid submission, then the email's
        form.email.errors.append(email_error)
    return render_template("registration/form.html", event=event, form=form,
                           questions=question_fields(form))


def _post_with_cached_event(event):
    """A valid POST registered with this process's copy of the event, its version checked in the first statement.

    `event` is the cache's detached instance, shared by every request: only read here, and the registration
    is written without referring to it (_registered: in_session=False).

    None (nothing written) when this is not the common case (registration not open, invitation only, the
    form not valid) or the event has changed since it was cached: the caller then takes the usual way.
    """
    if event.invitation_only or event.registration_state() != "open":
        return None
    _check_csrf()
    checked = check_delegate(request.form, questions=event.questions, locale=str(get_locale() or "en"))
    if not checked.ok:
        return None
    try:
        return _registered(event, checked.data, submission_key=_submission_key(), invitation=None,
                           version=event.updated_at)
    except services.EventChanged:
        return None


def _check_csrf() -> None:
    # CSRFProtect has checked every POST already (g.csrf_valid); were this view ever exempted, check here.
    if not g.get("csrf_valid"):
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError as error:
            raise CSRFError(error.args[0]) from error


def _submission_key() -> str:
    """The form's hidden submission_key as the form reads it (cleaned; a new one when missing)."""
    return clean_text(request.form.get("submission_key")) or new_submission_key()


def _registered(event, data: dict, *, submission_key: str, invitation, version=None):
    """Register from checked data and redirect (InvitationError: shown beside the email by the caller)."""
    try:
        # Only read so far: no SAVEPOINT. Only the token is read after: the new rows need not stay in the session.
        outcome = services.register_online(event, data, submission_key=submission_key, invitation=invitation,
                                           alone=True, version=version, in_session=False)
    except invitations.InvitationError:
        db.session.rollback()
        raise
    except services.RegistrationClosed as closed:  # it closed while the form was being filled in
        db.session.rollback()
        return render_template("registration/closed.html", event=event, state=closed.state)
    token = outcome.registration.token  # read before the commit expires it: no SELECT after
    db.session.commit()
    if outcome.created or outcome.why_existing == "resubmitted":
        return redirect(url_for(".confirmation", token=token))
    # Already registered with this email (or back after cancelling): the link went to that
    # address, not to this screen.
    if outcome.why_existing == "again":
        return redirect(url_for(".link_sent", slug=event.slug, again=1))
    return redirect(url_for(".link_sent", slug=event.slug))


@bp.route("/events/<slug>/lost-link", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def lost_link(slug: str):
    """Ask for the private link again; the answer is the same whether or not the email is registered."""
    event = current_event_or_404(slug)
    form = LostLinkForm()
    if form.validate_on_submit():
        services.resend_link(event, form.email.data)
        db.session.commit()
        return redirect(url_for(".link_sent", slug=event.slug, asked=1))
    return render_template("registration/lost_link.html", event=event, form=form)


@bp.route("/events/<slug>/registered")
def link_sent(slug: str):
    """After a repeated email: say the link was emailed, without showing the registration."""
    event = current_event_or_404(slug)
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
        again_form=FlaskForm(),
        can_cancel=_can_cancel(registration),
        can_edit=services.can_edit(registration),
        can_register_again=(registration.status == Status.CANCELLED
                            and registration.event.registration_state() == "open"),
    )


@bp.route("/r/<token>/edit", methods=["GET", "POST"])
def edit(token: str):
    """The registrant changes their details, until the event's edit deadline."""
    registration = services.by_token(token) or abort(404)
    event = registration.event
    if not services.can_edit(registration):
        flash(_("Your details can no longer be changed online. Please write to the organisers."), "warning")
        return redirect(url_for(".private_page", token=token))
    form = registration_form_for(event, data=form_data_from(registration), locale=str(get_locale() or "en"))
    if form.validate_on_submit():
        before = registration.status
        try:
            changed = services.update_details(registration, form.delegate_data())
        except services.EmailTaken:
            db.session.rollback()
            form.email.errors.append(_("Another registration for this event uses this email address."))
        except services.EmailBound:
            db.session.rollback()
            form.email.errors.append(_("Your invitation was sent to this address, so it cannot be changed here. "
                                       "Please write to the organisers."))
        else:
            db.session.commit()
            flash(*_saved_message(registration, changed, before))
            return redirect(url_for(".private_page", token=token))
    return render_template("registration/form.html", event=event, form=form, questions=question_fields(form),
                           editing=registration)


@bp.route("/r/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str):
    """The registrant cancels their own registration, after a page that says what that means."""
    registration = services.by_token(token) or abort(404)
    if not _can_cancel(registration):
        return redirect(url_for(".private_page", token=token))
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
    return render_template("registration/cancel.html", registration=registration, event=registration.event,
                           form=form)


@bp.route("/r/<token>/register-again", methods=["POST"])
def register_again(token: str):
    """A cancelled delegate registers again from their private page, while registration is open."""
    registration = services.by_token(token) or abort(404)
    if FlaskForm().validate_on_submit():
        try:
            status = services.register_again(registration)
        except services.RegistrationClosed:
            db.session.rollback()
            flash(_("Registration for this event is closed, so you cannot register again."), "error")
        except services.CannotRegisterAgain:
            db.session.rollback()
            flash(_("Only a cancelled registration can be registered again. Please write to the organisers."),
                  "error")
        else:
            db.session.commit()
            flash(_AGAIN_MESSAGES[status], "success" if status == Status.APPROVED else "info")
    return redirect(url_for(".private_page", token=token))


_AGAIN_MESSAGES = {
    Status.APPROVED: _l("Welcome back: you are registered again and your place is confirmed."),
    Status.PENDING: _l("Welcome back: you are registered again. The organisers will review your registration."),
    Status.WAITLISTED: _l("Welcome back: you are registered again. The event is full, so you are on the "
                          "waiting list."),
}


def _can_cancel(registration) -> bool:
    return registration.status not in (Status.CANCELLED, Status.DECLINED)


@bp.after_request
def _no_referrer(response):
    # Private links must not leak to other sites through the Referer header.
    if request.path.startswith("/r/"):
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


def _saved_message(registration, changed: list[str], before: Status) -> tuple[str, str]:
    """What the delegate reads after saving their details: (message, flash category)."""
    if not changed:
        return _("Nothing was changed."), "info"
    if registration.status == Status.WAITLISTED and before != Status.WAITLISTED:
        return _("Your details are saved. %(reason)s You are now on the waiting list.",
                 reason=registration.history[-1].reason), "warning"
    if registration.status == Status.PENDING and registration.history[-1].actor == "registrant":
        return _("Your details are saved. The organisers will review the changes."), "success"
    return _("Your details are saved."), "success"
