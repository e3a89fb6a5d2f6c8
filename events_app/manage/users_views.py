"""Admins manage workspace users (on the `manage` blueprint): invite, roles per event, deactivate, sign out, reset a
password, turn two-step sign-in off."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from events_app.auth import totp
from events_app.auth.decorators import role_required
from events_app.auth.forms import GrantForm, InviteUserForm
from events_app.auth.models import User
from events_app.auth.services import UserError, reset_password, set_active
from events_app.auth.sessions import end_sessions
from events_app.choices import UserRole
from events_app.events import access
from events_app.events.models import Event
from events_app.extensions import db
from events_app.manage import users
from events_app.manage.views import bp

admin_only = role_required(UserRole.ADMIN)


@bp.route("/users", methods=["GET", "POST"])
@admin_only
def user_list():
    """Every user with their global role, whether active, and their events and roles; the invitation form."""
    form = InviteUserForm()
    if form.validate_on_submit():
        try:
            user = users.invite(form.email.data, role=form.role.data, name=form.name.data or "")
        except UserError as error:
            db.session.rollback()
            form.email.errors.append(_("A user with this email exists already.") if "exists" in str(error)
                                     else _("Please enter a valid email address."))
        else:
            db.session.commit()
            flash(_("%(email)s was invited: an email with a link to choose a password is on its way.",
                    email=user.email), "success")
            return redirect(url_for(".user_page", user_id=user.id))
    people = db.session.scalars(select(User).options(selectinload(User.event_roles)).order_by(User.email)).all()
    return render_template("manage/users.html", form=form, people=people, events=_events_by_id())


@bp.route("/users/<int:user_id>")
@admin_only
def user_page(user_id: int):
    """One user: roles per event with a form to grant one, and the account's actions."""
    user = db.session.get(User, user_id) or abort(404)
    return render_template("manage/users_detail.html", user=user, events=_events_by_id(),
                           grant_form=_grant_form(), button=FlaskForm())


@bp.route("/users/<int:user_id>/grant", methods=["POST"])
@admin_only
def grant_role(user_id: int):
    """Give the user a role at one event (replacing the one they had there)."""
    user = db.session.get(User, user_id) or abort(404)
    form = _grant_form()
    if form.validate_on_submit():
        event = db.session.get(Event, int(form.event.data))
        access.grant(user, event, form.role.data)
        db.session.commit()
        flash(_("%(email)s is now %(role)s at %(event)s.", email=user.email,
                role=access.role_at(user, event.id).label, event=event.title), "success")
    else:
        flash(_("Choose an event and a role."), "error")
    return redirect(url_for(".user_page", user_id=user.id))


@bp.route("/users/<int:user_id>/revoke/<int:event_id>", methods=["POST"])
@admin_only
def revoke_role(user_id: int, event_id: int):
    """Take away the user's role at one event."""
    user = db.session.get(User, user_id) or abort(404)
    event = db.session.get(Event, event_id) or abort(404)
    if FlaskForm().validate_on_submit():
        try:
            access.revoke(user, event)
        except access.AccessError:
            abort(404)
        db.session.commit()
        flash(_("%(email)s no longer has a role at %(event)s.", email=user.email, event=event.title), "success")
    return redirect(url_for(".user_page", user_id=user.id))


@bp.route("/users/<int:user_id>/<any(deactivate, reactivate):action>", methods=["POST"])
@admin_only
def set_user_active(user_id: int, action: str):
    """Deactivate (signed out everywhere, cannot sign in) or reactivate a user; not oneself."""
    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id:
        flash(_("You cannot deactivate your own account: ask another administrator."), "error")
    elif FlaskForm().validate_on_submit():
        set_active(user, action == "reactivate")
        db.session.commit()
        flash(_("%(email)s can sign in again.", email=user.email) if user.active
              else _("%(email)s is deactivated and signed out everywhere.", email=user.email), "success")
    return redirect(url_for(".user_page", user_id=user.id))


@bp.route("/users/<int:user_id>/sign-out", methods=["POST"])
@admin_only
def sign_out_everywhere(user_id: int):
    """End every session of the user (a lost phone, a shared computer)."""
    user = db.session.get(User, user_id) or abort(404)
    if FlaskForm().validate_on_submit():
        end_sessions(user)
        db.session.commit()
        flash(_("%(email)s is signed out on every device.", email=user.email), "success")
    return redirect(url_for(".user_page", user_id=user.id))


@bp.route("/users/<int:user_id>/password-link", methods=["POST"])
@admin_only
def send_password_link(user_id: int):
    """Email the user a new single-use link to choose a password (an invitation again, or a forgotten one)."""
    user = db.session.get(User, user_id) or abort(404)
    if FlaskForm().validate_on_submit():
        users.send_password_link(user)
        db.session.commit()
        flash(_("A link to choose a password was emailed to %(email)s.", email=user.email), "success")
    return redirect(url_for(".user_page", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@admin_only
def reset_user_password(user_id: int):
    """Give the user a temporary password, shown once here, that they must change at their next sign-in;
    every session of theirs ends."""
    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id:
        flash("Change your own password from Your account.", "error")
        return redirect(url_for(".user_page", user_id=user.id))
    if not FlaskForm().validate_on_submit():
        return redirect(url_for(".user_page", user_id=user.id))
    temporary = reset_password(user)
    db.session.commit()
    # Shown on this answer only (no flash: that would keep it in the cookie); the page is no-store.
    return render_template("manage/users_reset.html", user=user, temporary=temporary)


@bp.route("/users/<int:user_id>/two-factor-off", methods=["POST"])
@admin_only
def turn_two_factor_off(user_id: int):
    """Turn the user's two-step sign-in off (a lost phone and no recovery codes left); they can set it up again."""
    user = db.session.get(User, user_id) or abort(404)
    if FlaskForm().validate_on_submit() and user.has_two_factor:
        totp.disable(user)
        db.session.commit()
        flash(f"Two-step sign-in is off for {user.email}.", "success")
    return redirect(url_for(".user_page", user_id=user.id))


def _events_by_id() -> dict[int, Event]:
    return {event.id: event for event in db.session.scalars(select(Event).order_by(Event.starts_on.desc()))}


def _grant_form() -> GrantForm:
    form = GrantForm()
    form.event.choices = [(str(event.id), event.title) for event in _events_by_id().values()]
    return form


