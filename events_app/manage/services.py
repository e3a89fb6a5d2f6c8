"""Read models of the workspace: the delegate list, searched and filtered, and likely duplicates."""
import unicodedata

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


def _name_key(text: str) -> str:
    """A spelling-tolerant key: letters only, accents dropped, word order ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    words = ["".join(c for c in word if c.isalnum() and not unicodedata.combining(c)) for word in decomposed.split()]
    return " ".join(sorted(w for w in words if w))


def likely_duplicates(event_id: int) -> list[list[Registration]]:
    """Groups of active registrations that may be one person: same name in either script
    (across spellings: case, accents, spaces, word order), or the same phone number."""
    rows = list(db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event_id, Registration.status.not_in([Status.CANCELLED, Status.DECLINED]))
        .order_by(Registration.id)
    ))
    parent = {r.id: r.id for r in rows}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[str, int] = {}
    for r in rows:
        keys = {("name", _name_key(r.full_name)), ("name", _name_key(r.name_latin or "")), ("phone", r.phone)}
        for key in keys:
            if not key[1]:
                continue
            if key in seen:
                parent[find(r.id)] = find(seen[key])
            else:
                seen[key] = r.id
    groups: dict[int, list[Registration]] = {}
    for r in rows:
        groups.setdefault(find(r.id), []).append(r)
    return [group for group in groups.values() if len(group) > 1]
