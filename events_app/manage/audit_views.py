"""The audit log pages: one event's (its organisers) and everything (admins)."""
from flask import abort, render_template, request
from flask_babel import gettext as _

from events_app.audit import services as audit
from events_app.auth.decorators import role_required
from events_app.choices import EventRole, UserRole
from events_app.events.access import event_view
from events_app.events.models import Event
from events_app.events.services import all_events
from events_app.manage.record_forms import AuditFilterForm
from events_app.manage.views import bp


@bp.route("/events/<slug>/audit")
@event_view(EventRole.ORGANISER)
def event_audit(event: Event):
    """The event's audit log, newest first, paged, filtered by action."""
    return _audit_page(event)


@bp.route("/audit")
@role_required(UserRole.ADMIN)
def audit_log():
    """Every event's audit log and the actions on no event (user accounts), for admins."""
    return _audit_page(None)


def _audit_page(event):
    filters = AuditFilterForm(request.args)
    filters.action.choices = [("", _("All"))] + [(a, a) for a in audit.actions_logged(getattr(event, "id", None))]
    if not filters.validate():
        abort(400)
    page = audit.entries(event_id=getattr(event, "id", None), action=filters.action.data or "",
                         page=filters.page.data or 1)
    slugs = {e.id: e.slug for e in ([event] if event else all_events())}
    return render_template("manage/audit.html", event=event, filters=filters, log=page, slugs=slugs)
