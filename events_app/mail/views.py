"""The outbox in the organisers' workspace (queued, sent and failed email) and the bulk message form."""
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from events_app.audit import services as audit
from events_app.choices import EventRole
from events_app.countries import country_name
from events_app.events.access import event_for, event_view, events_where, visible_events
from events_app.events.models import Event
from events_app.extensions import db
from events_app.mail import bulk, outbox, readable
from events_app.mail.forms import STATUS_LABELS, BulkMessageForm, OutboxFilterForm, ResendForm
from events_app.mail.headers import UnsafeHeaderError
from events_app.mail.models import OutboxMessage
from events_app.mail.render import RenderError, mail_subject, render_message
from events_app.registration.models import Registration

bp = Blueprint("mail", __name__)
bp.add_app_template_global(mail_subject, "mail_subject")  # lists of messages (here and the delegate's page)
PER_PAGE = 50


@bp.route("/mail/")
@login_required
def outbox_list():
    """The email of the user's events (every email for admins) with its status and last error, newest first.

    Filterable by status and event.
    """
    filters = OutboxFilterForm(request.args)
    filters.validate()
    event = _event_from(filters)
    event_id = event.id if event else None
    within = events_where(current_user, EventRole.ORGANISER)
    page = db.paginate(outbox.outbox_query(status=filters.status.data or None, event_id=event_id, within=within),
                       per_page=PER_PAGE, error_out=False)
    events = db.session.scalars(visible_events(current_user, EventRole.ORGANISER)).all()
    return render_template(
        "mail/manage/outbox.html", page=page, filters=filters, event=event, events=events,
        counts=outbox.outbox_counts(event_id=event_id, within=within), status_labels=STATUS_LABELS,
        resend_form=ResendForm(),
    )


@bp.route("/mail/<int:message_id>")
@login_required
def outbox_message(message_id: int):
    """One email as the delegate gets it: headers, attachments, the text and the HTML (sandboxed)."""
    message = _message_or_404(message_id)
    try:  # written now, as the worker will write it, when it is not yet
        written, problem = render_message(message), ""
    except RenderError as error:
        written, problem = None, str(error)
    files, files_problem = readable.attachments_of(message)
    return render_template("mail/manage/outbox_message.html", message=message, written=written, problem=problem,
                           status_labels=STATUS_LABELS, headers=readable.headers_of(message, written), files=files,
                           files_problem=files_problem, resend_form=ResendForm())


@bp.route("/mail/<int:message_id>/html")
@login_required
def outbox_message_html(message_id: int):
    """The email's HTML alone, for the sandboxed frame on the message page: its inline styles may apply here
    (email clients need them), and nothing else may run, load or frame it but the workspace."""
    try:
        html = render_message(_message_or_404(message_id)).html
    except RenderError:
        abort(404)
    response = make_response(html or "")
    response.headers["Content-Security-Policy"] = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                                   "frame-ancestors 'self'; sandbox")
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.route("/mail/<int:message_id>/resend", methods=["POST"])
@login_required
def resend(message_id: int):
    """Put one failed email back in the queue."""
    message = _message_or_404(message_id)
    if ResendForm().validate_on_submit() and outbox.requeue(message):
        db.session.commit()
        flash(_("Message %(id)s is queued again.", id=message_id), "success")
    else:
        flash(_("Only a failed message can be sent again."), "error")
    return redirect(url_for(".outbox_list", status="failed"))


@bp.route("/mail/resend-failed", methods=["POST"])
@login_required
def resend_failed():
    """Put every failed email (of one event, or of all the user's events) back in the queue."""
    event = _event_from(OutboxFilterForm(request.args))
    if not ResendForm().validate_on_submit():
        flash(_("That action could not be done. Please try again."), "error")
        return redirect(url_for(".outbox_list"))
    count = outbox.requeue_failed(event_id=event.id if event else None,
                                  within=events_where(current_user, EventRole.ORGANISER))
    db.session.commit()
    flash(_("%(count)s failed messages are queued again.", count=count), "success")
    return redirect(url_for(".outbox_list", event=event.slug if event else None))


@bp.route("/mail/events/<slug>/message", methods=["GET", "POST"])
@event_view(EventRole.ORGANISER)
def bulk_message(event: Event):
    """Compose a message to a filtered set of delegates, preview it, then send it through the outbox."""
    form = BulkMessageForm()
    form.countries.choices = _country_choices(event.id)
    preview = None
    if form.validate_on_submit():
        audience = form.audience()
        preview = bulk.preview(event, subject=form.subject.data, body=form.body.data, audience=audience)
        if form.send.data and form.confirmed_count() == preview.count and preview.count > 0:
            try:
                count = bulk.send_bulk(event, subject=form.subject.data, body=form.body.data,
                                       audience=audience)
            except UnsafeHeaderError:
                db.session.rollback()
                form.subject.errors.append(_("The subject must be a single line."))
            else:
                audit.record("mail.bulk", user=current_user, event=event, summary=f"{count}: {form.subject.data}")
                db.session.commit()
                flash(_("%(count)s messages are queued and will be sent shortly.", count=count), "success")
                return redirect(url_for(".outbox_list", event=event.slug))
        elif form.send.data:
            flash(_("The list of recipients changed since the preview. Please check it and send again."),
                  "warning")
        form.confirm_count.data = str(preview.count)
    return render_template("mail/manage/message.html", event=event, form=form, preview=preview)


def _event_from(filters: OutboxFilterForm):
    """The event named by the filter's slug (404 unless the user organises it), or None for all."""
    slug = (filters.event.data or "").strip()
    if not slug:
        return None
    return event_for(slug, EventRole.ORGANISER)


def _message_or_404(message_id: int) -> OutboxMessage:
    """The message if it belongs to an event the user organises (any message for admins); else 404."""
    message = db.session.get(OutboxMessage, message_id)
    within = events_where(current_user, EventRole.ORGANISER)
    if message is None or (within is not None and message.event_id not in db.session.scalars(within).all()):
        abort(404)
    return message


def _country_choices(event_id: int) -> list[tuple[str, str]]:
    codes = db.session.scalars(
        db.select(Registration.country).where(Registration.event_id == event_id).distinct()
    ).all()
    return sorted(((code, country_name(code)) for code in codes if code), key=lambda pair: pair[1])
