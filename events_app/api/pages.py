"""The workspace's API pages: one's API tokens (admins see everyone's) and the API reference.

The reference is rendered on the server from the same OpenAPI document that /api/v1/openapi.json
serves: no CDN, no script, nothing inline, so it lives under the strict content security policy.
"""
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from events_app.api import tokens
from events_app.api.reference import operations, schemas
from events_app.api.spec import document
from events_app.choices import UserRole
from events_app.events import access
from events_app.events.models import Event
from events_app.extensions import db

bp = Blueprint("api_pages", __name__)


class TokenForm(FlaskForm):
    """A new API token: a name to tell it apart, its scope, and optionally one event."""

    name = StringField("Name", description="Where it is used, e.g. “partner website” or “desk phone 2”.",
                       validators=[Optional(), Length(max=100)])
    scope = SelectField("Scope", choices=[("read", "read: read events, registrations, check-ins and badges"),
                                          ("checkin", "checkin: read, and check delegates in"),
                                          ("write", "write: everything your role allows")], default="read",
                        validators=[InputRequired()])
    event = SelectField("Event", choices=[], validators=[Optional()],
                        description="Limit the token to one event; it never reaches beyond the events of your roles.")


class RevokeForm(FlaskForm):
    """Only the CSRF token: revoking is a POST."""


def _token_form(formdata=None) -> TokenForm:
    form = TokenForm(formdata)
    events = db.session.scalars(access.visible_events(current_user)).all()
    form.event.choices = [("", "Every event of mine")] + [(event.slug, event.title) for event in events]
    return form


def _page(form: TokenForm, *, secret: str | None = None, status: int = 200):
    every = current_user.role == UserRole.ADMIN and request.args.get("all") == "1"
    response = make_response(render_template(
        "manage/api_tokens.html", form=form, revoke_form=RevokeForm(), secret=secret, every=every,
        listed=tokens.tokens_for(current_user, every_user=every)), status)
    if secret:
        response.headers["Cache-Control"] = "no-store"  # the token is shown this once: keep it out of caches
    return response


@bp.get("/api/tokens")
@login_required
def token_list():
    """Your API tokens (admins: ?all=1 for everyone's) and the form for a new one."""
    return _page(_token_form())


@bp.post("/api/tokens")
@login_required
def create_token():
    """Make a token and show it once, on this answer (it is never stored, nor put in the session)."""
    form = _token_form(request.form)
    if not form.validate():
        return _page(form, status=400)
    event = None
    if form.event.data:
        event = db.session.scalar(select(Event).where(Event.slug == form.event.data)) or abort(404)
    try:
        _token, secret = tokens.issue(current_user, scope=form.scope.data, event=event, name=form.name.data or "",
                                      by_user=current_user)
    except tokens.TokenRefused as error:
        db.session.rollback()
        form.event.errors = [str(error)]
        return _page(form, status=400)
    db.session.commit()
    return _page(_token_form(), secret=secret, status=201)


@bp.post("/api/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of your tokens (admins: anyone's); it stops working at once."""
    token = tokens.manageable(current_user, token_id) if token_id < 2**31 else None
    if token is None:
        abort(404)
    if RevokeForm().validate_on_submit():
        tokens.revoke(token, by_user=current_user)
        db.session.commit()
        flash(f"The token {token.prefix}… no longer works.", "success")
    return redirect(url_for(".token_list"), code=303)


@bp.get("/api")
@login_required
def reference():
    """The API reference, rendered from the OpenAPI document."""
    spec = document()
    return render_template("manage/api_reference.html", spec=spec, operations=operations(spec),
                           schemas=schemas(spec))
