"""Sessions of an event day (plenary, working groups), each with its own attendance."""
from datetime import date

from sqlalchemy import func, select

from events_app.attendance.models import EventSession, SessionCheckIn
from events_app.extensions import db


def add_session(event, *, day: date, title: str, kind: str = "plenary") -> EventSession:
    """A new session at the end of that day's programme; ValueError for a day outside the event."""
    if day not in event.days:
        raise ValueError(f"{day.isoformat()} is not a day of this event.")
    last = db.session.scalar(select(func.max(EventSession.position)).where(EventSession.event_id == event.id,
                                                                          EventSession.day == day))
    session = EventSession(event_id=event.id, day=day, title=title.strip(), kind=kind, position=(last or 0) + 1)
    db.session.add(session)
    db.session.flush()
    return session


def remove_session(session: EventSession) -> None:
    """Delete a session and its own check-ins (the day's check-ins stay: they came that day)."""
    db.session.delete(session)
    db.session.flush()


def session_counts(event_id: int) -> dict[int, int]:
    """How many delegates were checked in at each of the event's sessions."""
    return dict(db.session.execute(
        select(SessionCheckIn.session_id, func.count(SessionCheckIn.id))
        .join(EventSession, EventSession.id == SessionCheckIn.session_id)
        .where(EventSession.event_id == event_id).group_by(SessionCheckIn.session_id)
    ).tuples().all())
