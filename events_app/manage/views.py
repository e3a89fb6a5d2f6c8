"""The organisers' workspace: events, delegate lists, approve and decline."""
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from events_app.choices import EventRole, ParticipantRole
from events_app.events.access import TEAM_ROLES, event_view, may, visible_events
from events_app.events.models import Event
from events_app.extensions import db
from events_app.manage import services
from events_app.manage.forms import ACTIONS, BulkActionForm, DelegateFilterForm, StatusActionForm
from events_app.registration import lifecycle
from events_app.registration.capacity import places_left, status_counts
from events_app.registration.models import Registration
from events_app.registration.roles import set_participant_role

bp = Blueprint("manage", __name__)


@bp.route("/")
@login_required
def index():
    """The events the user may see with their counts by status (one query for the counts, however many events)."""
    events = db.session.scalars(visible_events(current_user)).all()
    return render_template("manage/index.html", events=events,
                           counts=services.status_counts_by_event([event.id for event in events]))


@bp.route("/events/<slug>/")
@event_view(*TEAM_ROLES)
def delegates(event: Event):
    """The delegate list of one event: searched, filtered and sorted through the filter form, 100 a page."""
    # Staff filter and search by what the desk and printing need only (SECURITY.md: who sees what).
    filters = DelegateFilterForm.for_event(event, request.args, full=may(current_user, event, EventRole.ORGANISER))
    if not filters.validate():  # a hand-made link: say so rather than list everyone
        abort(400)
    listing = services.delegate_list(event.id, filters.criteria(), page=filters.page.data or 1)
    return render_template(
        "manage/delegates.html",
        event=event,
        listing=listing,
        rows=listing.rows,
        filters=filters,
        counts=status_counts(event.id),
        places_left=places_left(event),
        action_form=StatusActionForm(),
        bulk_form=BulkActionForm(filter=urlencode(filters.query_args())),
    )


@bp.route("/events/<slug>/bulk", methods=["POST"])
@event_view(EventRole.ORGANISER)
def bulk_status(event: Event):
    """One status change for the ticked delegates or, once confirmed, everyone matching the list's filter;
    each is decided on its own (capacity, rules). The organiser returns to the list as it was."""
    form = BulkActionForm()
    valid = form.validate_on_submit()
    back = form.back_or(url_for(".delegates", slug=event.slug))  # the list as it was: filter, search, page
    if not valid:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(back)
    if form.scope.data == "matching":
        filters = DelegateFilterForm.for_event(event, MultiDict(parse_qsl(form.filter.data or "")))
        if not filters.validate():
            abort(400)
        criteria = filters.criteria()
        total = services.count_matching(event.id, criteria)
        if not form.confirmed.data or form.expected.data != total:
            if form.confirmed.data:
                flash(_("The list has changed: %(n)s delegates match now. Please check and confirm again.", n=total),
                      "warning")
            return render_template("manage/bulk_confirm.html", event=event, form=form, total=total, back=back,
                                   action_label=dict(form.action.choices)[form.action.data])
        registrations = db.session.scalars(services.ordered(services.matching(event.id, criteria), "name")).all()
    else:
        registrations = db.session.scalars(
            select(Registration).where(Registration.event_id == event.id, Registration.id.in_(form.ids.data))
            .order_by(Registration.sort_name)
        ).all()
    if form.action.data == "role":
        role = ParticipantRole(form.participant_role.data)
        changed = set_participant_role(registrations, role, by_user=current_user)
        db.session.commit()
        flash(_("%(n)s delegates are now %(role)s.", n=len(changed), role=role.label), "success")
        return redirect(back)
    result = lifecycle.change_many(registrations, ACTIONS[form.action.data], by_user=current_user,
                                   reason=form.reason.data or "")
    db.session.commit()
    flash(_("%(n)s delegates changed.", n=len(result.changed)), "success")
    if result.waitlisted_instead:
        flash(_("%(n)s put on the waiting list: no place was free.", n=len(result.waitlisted_instead)), "warning")
    for registration, why in result.refused:
        flash(f"{registration.full_name}: {why}", "error")
    return redirect(back)


@bp.route("/events/<slug>/duplicates")
@event_view(EventRole.ORGANISER)  # it shows emails and phone numbers, and only organisers may cancel one
def duplicates(event: Event):
    """Registrations that may be the same person under different spellings or emails."""
    return render_template("manage/duplicates.html", event=event, groups=services.likely_duplicates(event.id),
                           action_form=StatusActionForm())


# Route modules on this blueprint (imported last: they need `bp`).
from events_app.manage import (  # noqa: E402, F401 - route modules on this blueprint
    audit_views,
    dashboard_views,
    delegate_views,
    event_copy_views,
    export_views,
    import_views,
    job_views,
)
