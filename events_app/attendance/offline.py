"""The offline desk: the day's list of codes a browser keeps, and the batch of scans it sends back later."""
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from events_app.attendance.models import EventSession, RevokedCode
from events_app.attendance.services import CheckInOutcome, arrivals, scan
from events_app.extensions import db
from events_app.registration.models import Registration

MAX_BATCH = 500  # a morning's queue on one phone; more is not a desk


@dataclass(frozen=True)
class QueuedScan:
    """One scan made offline: the code and when the desk saw it."""

    code: str
    at: datetime


def day_list(event_id: int, day: date, session: EventSession | None = None) -> dict:
    """Only what a desk needs to answer a scan offline: code, names, organisation, status, checked in or not."""
    arrival, joined = arrivals(day, session)
    rows = db.session.execute(
        select(Registration.checkin_code, Registration.full_name, Registration.name_latin,
               Registration.organisation, Registration.status, arrival.id)
        .outerjoin(arrival, joined)
        .where(Registration.event_id == event_id)
    ).all()
    revoked = db.session.scalars(
        select(RevokedCode.code).join(Registration, Registration.id == RevokedCode.registration_id)
        .where(Registration.event_id == event_id)
    ).all()
    return {
        "day": day.isoformat(),
        "session": session.id if session else None,
        "delegates": {code: [name, latin if latin != name else "", org, status.value, checkin is not None]
                      for code, name, latin, org, status, checkin in rows},
        "revoked": list(revoked),
    }


def parse_batch(items) -> list[QueuedScan]:
    """The desk's queue as scans; ValueError naming what is wrong (the desk sent something else)."""
    if not isinstance(items, list) or len(items) > MAX_BATCH:
        raise ValueError(f"expected a list of at most {MAX_BATCH} scans")
    scans = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("code"), str) or not isinstance(item.get("at"), str):
            raise ValueError("each scan needs a code and a time")
        try:
            at = datetime.fromisoformat(item["at"].replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"not a time: {item['at'][:40]!r}") from None
        scans.append(QueuedScan(item["code"], at if at.tzinfo else at.replace(tzinfo=UTC)))
    return scans


def record_batch(event_id: int, scans: list[QueuedScan], *, day: date, by_user=None,
                 session: EventSession | None = None) -> list[CheckInOutcome]:
    """Check in each queued scan, oldest first; a delegate already in is not doubled and the earliest time wins.

    Sending the same batch twice (a lost answer, a retry) records nothing more. The caller commits.
    """
    ordered = sorted(enumerate(scans), key=lambda pair: pair[1].at)
    outcomes: dict[int, CheckInOutcome] = {}
    for index, queued in ordered:
        outcomes[index] = scan(event_id, queued.code, day=day, by_user=by_user, method="offline", at=queued.at,
                               session=session)
    return [outcomes[i] for i in range(len(scans))]
