"""Copy an event as the start of the next one (settings, questions, quotas; no delegates)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from events_app.choices import EventRole
from events_app.events.access import event_view
from events_app.events.models import Event
from events_app.events.services import EventError, copy_event
from events_app.extensions import db
from events_app.manage.record_forms import CopyEventForm
from events_app.manage.views import bp


@bp.route("/events/<slug>/copy", methods=["GET", "POST"])
@event_view(EventRole.ORGANISER)
def copy_event_page(event: Event):
    """Ask for the copy's short name, title and days; the copy then opens in its settings."""
    source = event
    form = CopyEventForm(data={"title": source.title})
    if form.validate_on_submit():
        try:
            event = copy_event(source, slug=form.slug.data, title=form.title.data, starts_on=form.starts_on.data,
                               ends_on=form.ends_on.data, by_user=current_user)
            db.session.commit()
        except EventError as error:
            db.session.rollback()
            if error.field in form:
                form[error.field].errors = [*form[error.field].errors, str(error)]
            else:
                flash(str(error), "error")
        else:
            flash(_("“%(title)s” was created as a copy of “%(source)s”, without its delegates. Check its "
                    "settings, then its quotas and questions.", title=event.title, source=source.title), "success")
            return redirect(url_for(".event_settings", slug=event.slug))
    return render_template("manage/event_copy.html", event=source, form=form)
