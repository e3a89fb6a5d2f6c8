"""Two-step sign-in pages (on the `auth` blueprint): turn it on with a QR code and a code, see the recovery codes
once, turn it off with the password."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from events_app.auth import throttle, totp
from events_app.auth.forms import CodeForm, ConfirmPasswordForm
from events_app.auth.views import PAUSED, bp
from events_app.extensions import db


def _user():
    user = current_user._get_current_object()
    if not totp.may_use(user):
        abort(403)
    return user


@bp.route("/two-factor")
@login_required
def two_factor():
    """Whether two-step sign-in is on, how many recovery codes are left, and the button to turn it on or off."""
    user = _user()
    remaining = totp.remaining_recovery_codes(user) if user.has_two_factor else 0
    return render_template("auth/two_factor.html", user=user, remaining=remaining, start=FlaskForm(),
                           disable=ConfirmPasswordForm())


@bp.route("/two-factor/start", methods=["POST"])
@login_required
def start_two_factor():
    """Make a new secret (not in force until a code confirms it); refused while one is in force."""
    user = _user()
    if FlaskForm().validate_on_submit() and not user.has_two_factor:
        totp.begin(user)
        db.session.commit()
        return redirect(url_for(".enrol_two_factor"))
    return redirect(url_for(".two_factor"))


@bp.route("/two-factor/enrol", methods=["GET", "POST"])
@login_required
def enrol_two_factor():
    """The QR code and the secret as text; a code from the app turns two-step sign-in on."""
    user = _user()
    if user.has_two_factor or user.totp_secret is None:
        return redirect(url_for(".two_factor"))
    form = CodeForm()
    if form.validate_on_submit():
        codes = totp.confirm(user, form.code.data)
        if codes is not None:
            db.session.commit()
            # Shown on this answer only (never stored in a cookie or sent again); the page is no-store.
            return render_template("auth/recovery_codes.html", codes=codes)
        form.code.errors.append("That code is not right. Check the app shows the account you just added and type "
                                "the code it shows now.")
    return render_template("auth/enrol.html", form=form, secret=user.totp_secret, qr=totp.qr_data_uri(user))


@bp.route("/two-factor/disable", methods=["POST"])
@login_required
def disable_two_factor():
    """Turn two-step sign-in off; needs the password, so an unattended session cannot do it."""
    user = _user()
    form = ConfirmPasswordForm()
    paused = throttle.is_paused(user.email)
    if form.validate_on_submit() and not paused and user.check_password(form.password.data):
        totp.disable(user)
        db.session.commit()
        flash("Two-step sign-in is off. Only your password protects your account now.", "success")
        return redirect(url_for(".two_factor"))
    if form.is_submitted():
        if not paused:
            throttle.record_failure(user.email)
        form.password.errors.append(PAUSED if paused else "That is not your password.")
    remaining = totp.remaining_recovery_codes(user) if user.has_two_factor else 0
    return render_template("auth/two_factor.html", user=user, remaining=remaining, start=FlaskForm(),
                           disable=form), 400
