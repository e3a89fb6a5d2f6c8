"""The organisers' workspace: events, delegate lists, approve and decline."""
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from events_app.auth.decorators import role_required
from events_app.choices import UserRole
from events_app.events.services import all_events, event_or_404
from events_app.extensions import db
from events_app.manage import services
from events_app.manage.forms import ACTIONS, BulkActionForm, DelegateFilterForm, StatusActionForm
from events_app.registration import lifecycle
from events_app.registration import services as registration_services
from events_app.registration.capacity import places_left, status_counts
from events_app.registration.models import Registration

bp = Blueprint("manage", __name__)
WORKSPACE_ROLES = (UserRole.ORGANISER, UserRole.STAFF)


@bp.route("/")
@role_required(*WORKSPACE_ROLES)
def index():
    """Every event with its counts by status (one query for the counts, however many events)."""
    events = all_events()
    return render_template("manage/index.html", events=events,
                           counts=services.status_counts_by_event([event.id for event in events]))


@bp.route("/events/<slug>/")
@role_required(*WORKSPACE_ROLES)
def delegates(slug: str):
    """The delegate list of one event: searched, filtered and sorted through the filter form, 100 a page."""
    event = event_or_404(slug)
    filters = DelegateFilterForm.for_event(event, request.args)
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


@bp.route("/events/<slug>/delegates/<int:registration_id>")
@role_required(*WORKSPACE_ROLES)
def delegate(slug: str, registration_id: int):
    """One delegate's details and status history."""
    event, registration = _load(slug, registration_id)
    return render_template(
        "manage/delegate.html", event=event, registration=registration, action_form=StatusActionForm(),
        token_form=FlaskForm(),
    )


@bp.route("/events/<slug>/delegates/<int:registration_id>/status", methods=["POST"])
@role_required(UserRole.ORGANISER)
def change_status(slug: str, registration_id: int):
    """Approve, decline, waitlist, cancel or reopen one delegate."""
    event, registration = _load(slug, registration_id)
    form = StatusActionForm()
    if form.validate_on_submit():
        wanted = ACTIONS[form.action.data]
        try:
            ended = lifecycle.change_status(registration, wanted, by_user=current_user, reason=form.reason.data or "")
            db.session.commit()
        except lifecycle.TransitionError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            if ended != wanted:
                flash(_("%(name)s was put on the waiting list: no place is free.", name=registration.full_name),
                      "warning")
            else:
                flash(_("%(name)s is now %(status)s.", name=registration.full_name, status=ended.label), "success")
    else:
        flash(_("That action could not be done. Please try again."), "error")
    return redirect(form.back_or(url_for(".delegates", slug=event.slug)))


@bp.route("/events/<slug>/bulk", methods=["POST"])
@role_required(UserRole.ORGANISER)
def bulk_status(slug: str):
    """One status change for the ticked delegates or, once confirmed, everyone matching the list's filter;
    each is decided on its own (capacity, rules). The organiser returns to the list as it was."""
    event = event_or_404(slug)
    form = BulkActionForm()
    valid = form.validate_on_submit()
    back = form.back_or(url_for(".delegates", slug=slug))  # the list as it was: filter, search, page
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
    result = lifecycle.change_many(registrations, ACTIONS[form.action.data], by_user=current_user,
                                   reason=form.reason.data or "")
    db.session.commit()
    flash(_("%(n)s delegates changed.", n=len(result.changed)), "success")
    if result.waitlisted_instead:
        flash(_("%(n)s put on the waiting list: no place was free.", n=len(result.waitlisted_instead)), "warning")
    for registration, why in result.refused:
        flash(f"{registration.full_name}: {why}", "error")
    return redirect(back)


@bp.route("/events/<slug>/delegates/<int:registration_id>/token", methods=["POST"])
@role_required(UserRole.ORGANISER)
def regenerate_token(slug: str, registration_id: int):
    """A new private link for the delegate (the old one stops working); the new one is emailed."""
    event, registration = _load(slug, registration_id)
    if FlaskForm().validate_on_submit():
        registration_services.regenerate_token(registration)
        db.session.commit()
        flash(_("A new private link was emailed to %(email)s. The old link no longer works.",
                email=registration.email), "success")
    return redirect(url_for(".delegate", slug=slug, registration_id=registration_id))


@bp.route("/events/<slug>/duplicates")
@role_required(*WORKSPACE_ROLES)
def duplicates(slug: str):
    """Registrations that may be the same person under different spellings or emails."""
    event = event_or_404(slug)
    return render_template("manage/duplicates.html", event=event, groups=services.likely_duplicates(event.id),
                           action_form=StatusActionForm())


def _load(slug: str, registration_id: int):
    event = event_or_404(slug)
    registration = db.session.scalar(
        select(Registration).where(Registration.id == registration_id, Registration.event_id == event.id)
    )
    if registration is None:
        abort(404)
    return event, registration



# Route modules on this blueprint (imported last: they need `bp`).
from events_app.manage import dashboard_views, export_views, import_views, job_views  # noqa: E402, F401
