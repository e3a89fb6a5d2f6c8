"""Attendance reports (by day, no-shows, CSV/XLSX) and the bulk "mark attended" screen for a paper sheet."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from events_app.attendance import reports, services
from events_app.attendance.forms import SignInSheetForm
from events_app.attendance.sessions import session_counts
from events_app.attendance.views import bp, desk_place, requested_place
from events_app.audit import services as audit
from events_app.events.access import TEAM_ROLES, event_view
from events_app.events.models import Event
from events_app.extensions import db

EXPORTS = {"csv": ("text/csv; charset=utf-8", reports.as_csv),
           "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", reports.as_xlsx)}


@bp.route("/<slug>/report")
@event_view(*TEAM_ROLES)
def report(event: Event):
    """Who came on which day, and the no-shows of the chosen day."""
    day, _session = requested_place(event)
    attendees = reports.attendance(event)
    totals = reports.day_totals(event, attendees)
    chosen = next(t for t in totals if t["day"] == day)
    return render_template("attendance/report.html", event=event, day=day, totals=totals, chosen=chosen,
                           sessions=services.sessions_of(event.id), session_counts=session_counts(event.id))


@bp.route("/<slug>/attendance.csv", defaults={"kind": "csv"})
@bp.route("/<slug>/attendance.xlsx", defaults={"kind": "xlsx"})
@event_view(*TEAM_ROLES)
def report_file(event: Event, kind: str):
    """The attendance table as a spreadsheet: one row a delegate, each day's arrival time."""
    columns, rows = reports.table(event, reports.attendance(event))
    mimetype, write = EXPORTS[kind]
    name = f"attendance-{event.slug}.{kind}"
    audit.record("document.download", user=current_user, event=event, summary=name)  # personal data leaves
    db.session.commit()
    return write(columns, rows), 200, {"Content-Type": mimetype,
                                       "Content-Disposition": f'attachment; filename="{name}"',
                                       "Cache-Control": "no-store"}


@bp.route("/<slug>/sheet", methods=["GET", "POST"])
@event_view(*TEAM_ROLES)
def sign_in_sheet(event: Event):
    """Tick the names signed on a paper sheet; they are checked in for that day (method "sheet")."""
    form = SignInSheetForm()
    day, session = desk_place(event, form) if request.method == "POST" else requested_place(event)
    form.for_people(reports.not_yet_in(event, day, session))
    if form.validate_on_submit():
        added = reports.mark_attended(event, form.attended.data, day=day, by_user=current_user, session=session)
        db.session.commit()
        flash(f"{added} marked attended for {session.title if session else day.isoformat()}.", "success")
        return redirect(url_for(".sign_in_sheet", slug=event.slug, day=day.isoformat(),
                                session=session.id if session else None))
    form.day.data, form.session.data = day, session.id if session else None
    return render_template("attendance/sheet.html", event=event, day=day, session=session, form=form,
                           sessions=services.sessions_of(event.id, day))
