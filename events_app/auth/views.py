"""Sign in (password, then a code where two-step sign-in is on) and out, set a password through a single-use link,
change one's own password."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from events_app.auth import services, throttle, tokens, totp
from events_app.auth.forms import ChangePasswordForm, CodeForm, LoginForm, SetPasswordForm
from events_app.auth.models import User
from events_app.auth.services import SignIn, authenticate
from events_app.auth.sessions import await_code, awaiting_code, sign_in, sign_out
from events_app.extensions import db, limiter

bp = Blueprint("auth", __name__)
PAUSED = ("Too many failed attempts to sign in with this email, so it is paused for a while (15 minutes, longer "
          "after many). Please try again later, or ask an administrator to reset your password.")
# A user who must choose a new password may reach only these until they have.
OPEN_WHILE_CHANGING = {"auth.change_password", "auth.logout", "static", "favicon"}


def _safe_next(target: str | None) -> str:
    # Only same-site relative paths: an open redirect would make phishing links look real.
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("manage.index")


def _signed_in(user: User):
    """Sign the user in here and send them on (to choose a new password first, after an administrator's reset)."""
    sign_in(user)
    if user.must_change_password:
        return redirect(url_for(".change_password"))
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    """Sign-in form; the same message for an unknown email and a wrong password."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        outcome = authenticate(form.email.data, form.password.data)
        if isinstance(outcome, User) and outcome.has_two_factor:
            await_code(outcome)
            return redirect(url_for(".code", next=request.args.get("next")))
        if isinstance(outcome, User):
            return _signed_in(outcome)
        form.password.errors.append(PAUSED if outcome is SignIn.PAUSED
                                    else _("That email and password do not match an account."))
    return render_template("auth/login.html", form=form)


@bp.route("/code", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def code():
    """The second step: a code from the authenticator app (or a recovery code) after the right password."""
    user = awaiting_code()
    if user is None:
        flash("Please sign in again.", "info")
        return redirect(url_for(".login", next=request.args.get("next")))
    form = CodeForm()
    if form.validate_on_submit():
        if throttle.is_paused(user.email):
            form.code.errors.append(PAUSED)
        elif totp.verify(user, form.code.data):
            db.session.commit()  # the step or recovery code just used cannot be used again
            throttle.forget(user.email)
            return _signed_in(user)
        else:
            throttle.record_failure(user.email)
            form.code.errors.append("That code is not right. Codes change every 30 seconds: type the one the app "
                                    "shows now, or a recovery code.")
    return render_template("auth/code.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (a POST, so a link on another site cannot sign people out); copies of the session end too."""
    sign_out(current_user)
    db.session.commit()
    flash(_("You have signed out."), "info")
    return redirect(url_for("events.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password (the current one first); every other session of the account ends."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    form.user = user
    if form.validate_on_submit():
        if throttle.is_paused(user.email):  # no guessing the current password from a session left open either
            form.current.errors.append(PAUSED)
        elif not user.check_password(form.current.data):
            throttle.record_failure(user.email)
            form.current.errors.append("That is not your current password.")
        else:
            services.change_password(user, form.password.data)
            sign_in(user)  # afresh, with the new session version: only this browser stays signed in
            db.session.commit()
            flash("Your password is changed. Every other session of your account has ended.", "success")
            return redirect(url_for("manage.index"))
    return render_template("auth/change_password.html", form=form, forced=user.must_change_password)


@bp.before_app_request
def require_new_password():
    """After an administrator's reset, nothing but choosing a new password (or signing out) until it is done."""
    if request.endpoint in OPEN_WHILE_CHANGING or not current_user.is_authenticated:
        return None
    if current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def set_password(token: str):
    """Choose a password through a single-use link from an invitation; the link then stops working."""
    try:
        link = tokens.redeemable(token)
    except tokens.TokenError as error:
        status = 404 if str(error) == "unknown" else 410  # 410 Gone: it was a real link once
        return render_template("auth/set_password.html", form=None, problem=str(error)), status
    form = SetPasswordForm()
    form.user = link.user
    if form.validate_on_submit():
        services.change_password(link.user, form.password.data)
        tokens.spend(link)
        db.session.commit()
        flash(_("Your password is set. Sign in with your email and the new password."), "success")
        return redirect(url_for(".login"))
    return render_template("auth/set_password.html", form=form, problem=None, user=link.user)


# The two-step sign-in pages add to this blueprint.
from events_app.auth import two_factor_views  # noqa: E402, F401
