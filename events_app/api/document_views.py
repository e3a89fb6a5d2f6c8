"""Badge PDFs: a preview that records nothing (GET), and a print run that records the badges printed (POST)."""
import io

from flask import Response, current_app

from events_app.api.errors import ApiError
from events_app.api.requests import bp, event_for
from events_app.api.schemas import BadgeQuery, ErrorBody
from events_app.api.spec import operation, responses
from events_app.documents.badges.layouts import LAYOUTS
from events_app.documents.badges.queries import BadgeSelection, badge_count
from events_app.documents.badges.services import BadgeError, UnknownDelegate, badge_run
from events_app.events.access import TEAM_ROLES
from events_app.extensions import db


def _badges_pdf(slug: str, options: BadgeQuery, *, record: bool):
    event = event_for(slug, "write" if record else "read", *TEAM_ROLES)
    if options.layout not in LAYOUTS:
        raise ApiError(422, "Unknown layout.", fields={"layout": [f"One of {', '.join(LAYOUTS)}."]})
    selection = BadgeSelection(status=options.status, role=options.role, group=options.group, day=options.day,
                               not_printed=options.not_printed, registration_id=options.registration_id)
    limit = current_app.config["BADGE_RUN_INLINE_LIMIT"]
    if not selection.single and badge_count(event, selection) > limit:
        raise ApiError(422, f"More than {limit} badges: narrow the filters, or print them from the workspace "
                            "(which prepares a long run as a job).", code="too_many_badges")
    out = io.BytesIO()
    try:
        run = badge_run(event, out, selection=selection, layout=options.layout, record=record)
    except UnknownDelegate as error:
        raise ApiError(404, str(error)) from None
    except BadgeError as error:
        raise ApiError(422, str(error), code="badge_refused") from None
    if not run.report.badges:
        raise ApiError(422, "No delegate matches these choices, so there is nothing to print.", code="no_badges")
    db.session.commit()
    name = f"badges-{event.slug}-{options.registration_id or options.layout}{'' if record else '-preview'}.pdf"
    return Response(out.getvalue(), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@bp.get("/events/<slug>/badges.pdf")
@operation(query=BadgeQuery, resp=responses(HTTP_200=None, HTTP_422=ErrorBody), tags=["documents"],
           operation_id="previewBadges")
def preview_badges(slug: str, query: BadgeQuery):
    """Badges as a PDF to look at: the badges page's filters, or one delegate's; records nothing as printed."""
    return _badges_pdf(slug, query, record=False)


@bp.post("/events/<slug>/badges")
@operation(json=BadgeQuery, resp=responses(HTTP_200=None, HTTP_422=ErrorBody), tags=["documents"],
           operation_id="printBadges")
def print_badges(slug: str, json: BadgeQuery):
    """Print badges (a PDF) and record them as printed, as the badges page's "Print badges" does (write scope).

    Up to the inline limit (BADGE_RUN_INLINE_LIMIT, 200 by default); larger runs are the workspace's jobs.
    """
    return _badges_pdf(slug, json, record=True)
