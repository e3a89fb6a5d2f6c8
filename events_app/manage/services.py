"""Read models of the workspace: the delegate list, searched and filtered, in few queries."""
from sqlalchemy import or_, select

from events_app.choices import Status
from events_app.extensions import db
from events_app.registration.models import Registration


def delegate_list(event_id: int, *, q: str = "", status: str = "", limit: int = 500) -> list[Registration]:
    """Registrations of an event by Latin name, optionally searched and filtered."""
    query = select(Registration).where(Registration.event_id == event_id)
    if status:
        query = query.where(Registration.status == Status(status))
    if q:
        like = f"%{q.strip().casefold()}%"
        query = query.where(
            or_(
                Registration.sort_name.like(like),
                Registration.full_name.ilike(f"%{q.strip()}%"),
                Registration.email.like(like),
                Registration.organisation.ilike(f"%{q.strip()}%"),
            )
        )
    return list(db.session.scalars(query.order_by(Registration.sort_name, Registration.id).limit(limit)))
