"""The desk's common case, a badge scanned for the day, on the driver's connection: find and check in at once.

SQLAlchemy's statement handling (binding, compiled cache, result processing) and ORM objects cost as much
as the INSERT itself, so this one statement goes to the driver directly, in the session's transaction,
and answers plain values. PostgreSQL: the `desk_scan` function (migration 0013), a data-modifying CTE whose
plan the server keeps. SQLite (in-process, no round trips): the same SELECT and INSERT one after the other.
Either way ON CONFLICT DO NOTHING lets the unique (registration, day) decide between simultaneous scans.
"""
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from events_app.attendance.models import CheckIn
from events_app.choices import Status
from events_app.extensions import db

_POSTGRESQL = "SELECT * FROM desk_scan(%s, %s, %s, %s, %s, %s)"
_SQLITE_FIND = ("SELECT id, event_id, status, full_name, name_latin, organisation FROM registrations"
                " WHERE checkin_code = ?")
_SQLITE_INSERT = ("INSERT INTO checkins (registration_id, event_id, day, checked_in_at, by_user_id, method)"
                  " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (registration_id, day) DO NOTHING RETURNING id")


@dataclass(frozen=True, slots=True)
class DeskDelegate:
    """What the desk shows of a badge's holder, as a scan reads it (no ORM row loaded or tracked)."""

    id: int
    event_id: int
    status: Status
    full_name: str
    name_latin: str
    organisation: str


@dataclass(frozen=True, slots=True)
class Arrival:
    """The check-in a scan has just recorded."""

    id: int
    registration_id: int
    day: date
    checked_in_at: datetime
    by_user_id: int | None
    method: str


def find_and_check_in(code: str, *, event_id: int, day: date, at: datetime, by_user_id: int | None,
                      method: str) -> tuple[DeskDelegate, int | None] | None:
    """The badge's holder and the id of the check-in just recorded (None: not recorded, e.g. in already).

    Records only for an approved delegate of `event_id`; None when no badge carries the code.
    """
    db.session.flush()  # the statement bypasses the session: anything pending goes first, as autoflush would
    connection = db.session.connection()  # its transaction (SQLite: BEGIN IMMEDIATE), ended by its commit
    cursor = connection.connection.driver_connection.cursor()
    try:
        if connection.dialect.name == "postgresql":
            row = cursor.execute(_POSTGRESQL, (code, day, at, by_user_id, method, event_id)).fetchone()
        else:
            row = _sqlite(cursor, connection.dialect, code, event_id, day, at, by_user_id, method)
    finally:
        cursor.close()
    if row is None:
        return None
    return DeskDelegate(row[0], row[1], Status(row[2]), row[3], row[4], row[5]), row[6]


def _sqlite(cursor, dialect, code, event_id, day, at, by_user_id, method):
    row = cursor.execute(_SQLITE_FIND, (code,)).fetchone()
    if row is None or row[1] != event_id or row[2] != Status.APPROVED.value:
        return None if row is None else (*row, None)
    day_value, at_value = _sqlite_binds(dialect)
    inserted = cursor.execute(_SQLITE_INSERT, (row[0], row[1], day_value(day), at_value(at), by_user_id,
                                               method)).fetchall()
    return (*row, inserted[0][0] if inserted else None)


@cache
def _sqlite_binds(dialect):
    # The columns' own conversions, so the text stored is what the ORM writes (and compares) elsewhere.
    columns = CheckIn.__table__.c
    return tuple(column.type.dialect_impl(dialect).bind_processor(dialect)
                 for column in (columns.day, columns.checked_in_at))
