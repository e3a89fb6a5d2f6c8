"""The event's sessions: listed for the team with their attendance, added and removed by organisers."""
from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from events_app.attendance import services, sessions
from events_app.attendance.forms import RemoveSessionForm, SessionForm
from events_app.attendance.views import bp
from events_app.choices import EventRole
from events_app.events.access import TEAM_ROLES, event_view, may
from events_app.events.models import Event
from events_app.extensions import db


@bp.route("/<slug>/sessions", methods=["GET", "POST"])
@event_view(*TEAM_ROLES)
def sessions_page(event: Event):
    """Each day's sessions and how many came; organisers add one with the form."""
    organiser = may(current_user, event, EventRole.ORGANISER)
    form = SessionForm().for_event(event)
    if organiser and form.validate_on_submit():
        sessions.add_session(event, day=date.fromisoformat(form.day.data), title=form.title.data,
                             kind=form.kind.data)
        db.session.commit()
        flash(f"Session “{form.title.data}” added.", "success")
        return redirect(url_for(".sessions_page", slug=event.slug))
    return render_template("attendance/sessions.html", event=event, form=form, organiser=organiser,
                           sessions=services.sessions_of(event.id), counts=sessions.session_counts(event.id),
                           remove_form=RemoveSessionForm())


@bp.route("/<slug>/sessions/remove", methods=["POST"])
@event_view(EventRole.ORGANISER)
def remove_session(event: Event):
    """Remove a session added by mistake (its day's check-ins stay)."""
    form = RemoveSessionForm()
    session = services.session_of(event.id, form.session.data) if form.validate_on_submit() else None
    if session is not None:
        sessions.remove_session(session)
        db.session.commit()
        flash(f"Session “{session.title}” removed.", "success")
    return redirect(url_for(".sessions_page", slug=event.slug))
