"""What each registration's stored attendance (migration 0017) and languages' cell (0018) should be, in Python."""
import json
import re
from collections import defaultdict
from datetime import date

from sqlalchemy import text

from events_app.registration.models import ATTENDED_DAYS_BITS


def fresh_attendance(connection) -> dict[int, tuple[int, int]]:
    """{registration id: (days as bits from the event's start date, check-ins)} from the check-ins themselves."""
    starts = dict(connection.execute(text("SELECT id, starts_on FROM events")).all())
    bits, counts = defaultdict(int), defaultdict(int)
    for registration_id, event_id, day in connection.execute(
            text("SELECT registration_id, event_id, day FROM checkins")).all():
        index = (_date(day) - _date(starts[event_id])).days
        bits[registration_id] |= (1 << index) if 0 <= index < ATTENDED_DAYS_BITS else 0
        counts[registration_id] += 1
    ids = connection.execute(text("SELECT id FROM registrations")).scalars()
    return {i: (bits[i], counts[i]) for i in ids}


def stored_attendance(connection) -> dict[int, tuple[int, int]]:
    """{registration id: (attended_days, checkin_count)} as the registrations hold them."""
    rows = connection.execute(text("SELECT id, attended_days, checkin_count FROM registrations")).all()
    return {i: (days, count) for i, days, count in rows}


def attendance_drift(connection) -> dict[int, tuple]:
    """{registration id: (stored, fresh)} where the two differ; {} when every registration is right."""
    fresh, stored = fresh_attendance(connection), stored_attendance(connection)
    return {i: (stored[i], fresh[i]) for i in fresh if stored[i] != fresh[i]}


def _date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def languages_drift(connection) -> dict[int, tuple]:
    """{registration id: (languages' JSON text, languages_text)} where the kept cell is wrong (migration 0018).

    languages_text, when set, is the list's items space-joined, as the export writes them; and it is set for
    every list of up to 7 lower-case two-letter codes written as json.dumps writes them.
    """
    wrong = {}
    rows = connection.execute(text("SELECT id, CAST(languages AS TEXT), languages_text FROM registrations")).all()
    for i, raw, kept in rows:
        items = json.loads(raw)
        simple = (isinstance(items, list) and len(items) <= 7 and json.dumps(items) == raw
                  and all(isinstance(item, str) and re.fullmatch("[a-z]{2}", item) for item in items))
        texts = isinstance(items, list) and all(isinstance(item, str) for item in items)
        right = (texts and kept == " ".join(items)) if kept is not None else not simple
        if not right:
            wrong[i] = (raw, kept)
    return wrong
