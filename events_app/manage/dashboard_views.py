"""The event dashboard, the first tab of an event's workspace, and each figure as CSV (on the `manage` blueprint)."""
import io

from flask import Response, abort, render_template

from events_app.auth.decorators import role_required
from events_app.choices import UserRole
from events_app.delegate_files.exporting import write_csv
from events_app.events.services import event_or_404
from events_app.manage.dashboard_figures import dashboard, day_or_text
from events_app.manage.views import bp


@bp.route("/events/<slug>/dashboard")
@role_required(UserRole.ORGANISER)
def event_dashboard(slug: str):
    """Counts, balance, registrations over time, attendance and needs of one event, as charts and tables."""
    event = event_or_404(slug)
    return render_template("manage/dashboard.html", event=event, figures=dashboard(event), cell=day_or_text)


@bp.route("/events/<slug>/dashboard/<figure>.csv")
@role_required(UserRole.ORGANISER)
def dashboard_csv(slug: str, figure: str):
    """One figure's numbers as CSV (UTF-8 with a BOM for spreadsheets; formulas neutralised)."""
    event = event_or_404(slug)
    chosen = next((one for one in dashboard(event) if one.key == figure), None)
    if chosen is None:
        abort(404)
    stream = io.StringIO()
    write_csv(stream, chosen.columns, chosen.rows)
    return Response("\ufeff" + stream.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{event.slug}-{chosen.key}.csv"'})
