"""GET /api/v1/openapi.json, /api/v1/events, one event, and its statistics (the dashboard's figures)."""
from events_app.api.presenters import event_json, figure_json
from events_app.api.requests import bp, event_for, visible_events
from events_app.api.schemas import ErrorBody, EventList, EventOut, StatisticsOut
from events_app.api.spec import document, operation, responses
from events_app.choices import EventRole
from events_app.extensions import db
from events_app.manage.dashboard_figures import dashboard
from events_app.registration.capacity import places_left, status_counts


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API (read without a token)."""
    return document()


@bp.get("/events")
@operation(resp=responses(HTTP_200=EventList), tags=["events"], operation_id="listEvents")
def list_events():
    """The events this token may see, the latest first."""
    events = db.session.scalars(visible_events()).all()
    return {"items": [event_json(event) for event in events]}


@bp.get("/events/<slug>")
@operation(resp=responses(HTTP_200=EventOut), tags=["events"], operation_id="getEvent")
def get_event(slug: str):
    """One event: dates, days, capacity, whether registration is open."""
    return event_json(event_for(slug, "read"))


@bp.get("/events/<slug>/statistics")
@operation(resp=responses(HTTP_200=StatisticsOut, HTTP_403=ErrorBody), tags=["events"],
                   operation_id="getEventStatistics")
def event_statistics(slug: str):
    """The dashboard's figures as tables: statuses, quotas, balance, registrations, attendance, needs (organisers)."""
    event = event_for(slug, "read", EventRole.ORGANISER)
    return {
        "event": event.slug,
        "counts": {status.value: count for status, count in status_counts(event.id).items()},
        "places_left": places_left(event),
        "figures": [figure_json(figure) for figure in dashboard(event)],
    }
