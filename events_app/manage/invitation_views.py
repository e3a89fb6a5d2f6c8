"""Invitations in the workspace: invite people by email, hand out single-use codes, see who used them."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from events_app.audit import services as audit
from events_app.choices import EventRole
from events_app.events.access import event_view
from events_app.events.models import Event
from events_app.extensions import db
from events_app.mail.messages import invitation_link
from events_app.manage.forms import InviteForm, OpenCodeForm
from events_app.manage.views import bp
from events_app.registration import invitations
from events_app.registration.models import Invitation


@bp.route("/events/<slug>/invitations", methods=["GET", "POST"])
@event_view(EventRole.ORGANISER)
def invitation_list(event: Event):
    """The event's invitations, and the form to invite more people."""
    form = InviteForm()
    if form.validate_on_submit():
        rows, errors = invitations.parse_invitees(form.invitees.data)
        if errors:
            form.invitees.errors = errors  # all lines or none: nothing is sent until every line is right
        else:
            created, skipped = invitations.invite(event, rows, by_user=current_user)
            audit.record("invitation.send", user=current_user, event=event,
                         summary=", ".join(invitation.email for invitation in created))
            db.session.commit()
            flash(_("%(n)s invitations sent.", n=len(created)), "success")
            if skipped:
                flash(_("Already invited, not sent again: %(emails)s", emails=", ".join(skipped)), "info")
            return redirect(url_for(".invitation_list", slug=event.slug))
    rows = db.session.scalars(
        select(Invitation).where(Invitation.event_id == event.id).order_by(Invitation.id.desc())
    ).all()
    return render_template("manage/invitations.html", event=event, form=form, code_form=OpenCodeForm(),
                           invitations=rows, link=invitation_link)


@bp.route("/events/<slug>/invitations/code", methods=["POST"])
@event_view(EventRole.ORGANISER)
def invitation_code(event: Event):
    """Make a single-use code that anyone may use once (to hand out or send personally)."""
    form = OpenCodeForm()
    if form.validate_on_submit():
        invitations.open_code(event, by_user=current_user, note=form.note.data or "")
        audit.record("invitation.code", user=current_user, event=event, summary=form.note.data or "")
        db.session.commit()
        flash(_("A new single-use invitation link is at the top of the list."), "success")
    return redirect(url_for(".invitation_list", slug=event.slug))
