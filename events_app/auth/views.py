"""Sign in and out of the organisers' workspace, and set a password through a single-use link."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from events_app.auth import tokens
from events_app.auth.forms import LoginForm, SetPasswordForm
from events_app.auth.services import authenticate, change_password
from events_app.auth.sessions import sign_in, sign_out
from events_app.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only same-site relative paths: an open redirect would make phishing links look real.
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("manage.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    """Sign-in form; the same message for an unknown email and a wrong password."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            sign_in(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("That email and password do not match an account."))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (a POST, so a link on another site cannot sign people out); copies of the session end too."""
    sign_out(current_user)
    db.session.commit()
    flash(_("You have signed out."), "info")
    return redirect(url_for("events.index"))


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
    if form.validate_on_submit():
        change_password(link.user, form.password.data)
        tokens.spend(link)
        db.session.commit()
        flash(_("Your password is set. Sign in with your email and the new password."), "success")
        return redirect(url_for(".login"))
    return render_template("auth/set_password.html", form=form, problem=None, user=link.user)
