"""A new registration and its first status change written in one statement, then kept by the session.

The ORM's flush of a new Registration (46 columns) and its StatusChange costs more CPU than the rest of
a registration together: the unit of work sorts, compares and processes every attribute, then makes
two round trips. Here the two rows go in as one INSERT ... RETURNING on PostgreSQL (a CTE feeds the
new id to the history row; SQLite, which has no INSERT in a CTE, takes two), and the objects become
persistent in the session as if flushed (make_transient_to_detached + add): the rest of the request
reads and changes them through the ORM as before. Column defaults are applied here exactly as the
ORM applies them (the columns' own Python defaults), so the rows are the same either way.
"""
from functools import lru_cache

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import make_transient_to_detached

from events_app.extensions import db
from events_app.registration.models import Registration, StatusChange


def _values(obj) -> dict:
    """Every column's value for an INSERT: what was set on the object, else the column's default."""
    table, values = type(obj).__table__, {}
    state = obj.__dict__
    for column in table.columns:
        if column.primary_key:
            continue
        given = state.get(column.key)
        if given is not None or (column.key in state and column.default is None):
            values[column.key] = given
        elif column.default is not None:  # None with a default: the default, as the ORM's flush does
            default = column.default
            value = default.arg(None) if default.is_callable else default.arg
            setattr(obj, column.key, value)
            values[column.key] = value
        else:
            setattr(obj, column.key, None)
            values[column.key] = None
    return values


@lru_cache(maxsize=4)
def _statements(dialect: str) -> tuple:
    """The INSERT statement(s), built once: values go in as parameters, so SQLAlchemy's compiled cache serves them."""
    registrations, changes = Registration.__table__, StatusChange.__table__
    mine = [column for column in registrations.columns if not column.primary_key]
    theirs = [column for column in changes.columns if not column.primary_key and column.key != "registration_id"]
    new = insert(registrations).values({c.key: bindparam("r_" + c.key, type_=c.type) for c in mine})
    if dialect == "postgresql":
        cte = new.returning(registrations.c.id).cte("new_registration")
        history = insert(changes).from_select(
            ["registration_id", *(c.key for c in theirs)],
            select(cte.c.id, *(bindparam("h_" + c.key, type_=c.type) for c in theirs)),
        )
        return (history.returning(changes.c.registration_id, changes.c.id),)
    history = insert(changes).values({c.key: bindparam("h_" + c.key, type_=c.type)
                                      for c in (changes.c.registration_id, *theirs)})
    return new.returning(registrations.c.id), history.returning(changes.c.id)


def insert_new(registration: Registration) -> None:
    """INSERT a new registration with its one history row (registration.history[0]) and keep both in the session.

    Raises IntegrityError like a flush when a unique constraint (email or form of the event) refuses it.
    """
    (change,) = registration.history
    session = db.session()
    params = {"r_" + key: value for key, value in _values(registration).items()}
    params.update({"h_" + key: value for key, value in _values(change).items() if key != "registration_id"})
    statements = _statements(session.get_bind().dialect.name)
    if len(statements) == 1:
        registration_id, change_id = session.execute(statements[0], params).one()
    else:
        registration_id = session.execute(statements[0], params).scalar_one()
        change_id = session.execute(statements[1], {**params, "h_registration_id": registration_id}).scalar_one()
    registration.id, change.id, change.registration_id = registration_id, change_id, registration_id
    make_transient_to_detached(change)
    make_transient_to_detached(registration)
    session.add(registration)  # persistent and clean, with its history: later changes flush as UPDATEs
