"""The event dashboard, the first tab of an event's workspace, and each figure as CSV (on the `manage` blueprint)."""
import io

from flask import Response, abort, render_template

from events_app.choices import EventRole
from events_app.delegate_files.exporting import write_csv
from events_app.events.access import event_view
from events_app.events.models import Event
from events_app.manage.dashboard_figures import dashboard, day_or_text
from events_app.manage.views import bp


@bp.route("/events/<slug>/dashboard")
@event_view(EventRole.ORGANISER)
def event_dashboard(event: Event):
    """Counts, balance, registrations over time, attendance and needs of one event, as charts and tables."""
    return render_template("manage/dashboard.html", event=event, figures=dashboard(event), cell=day_or_text)


@bp.route("/events/<slug>/dashboard/<figure>.csv")
@event_view(EventRole.ORGANISER)
def dashboard_csv(event: Event, figure: str):
    """One figure's numbers as CSV (UTF-8 with a BOM for spreadsheets; formulas neutralised)."""
    chosen = next((one for one in dashboard(event) if one.key == figure), None)
    if chosen is None:
        abort(404)
    stream = io.StringIO()
    write_csv(stream, chosen.columns, chosen.rows)
    return Response("\ufeff" + stream.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{event.slug}-{chosen.key}.csv"'})
