"""A new registration and its first status change written in one statement, then kept by the session.

The ORM's flush of a new Registration (46 columns) and its StatusChange costs more CPU than the rest of
a registration together: the unit of work sorts, compares and processes every attribute, then makes
two round trips. Here the two rows go in as one INSERT ... RETURNING on PostgreSQL (a CTE feeds the
new id to the history row; SQLite, which has no INSERT in a CTE, takes two), and the objects become
persistent in the session as if flushed (events_app/inserts.py): the rest of the request
reads and changes them through the ORM as before. Column defaults are applied here exactly as the
ORM applies them (the columns' own Python defaults), so the rows are the same either way.
"""
from functools import lru_cache

from sqlalchemy import insert, select

from events_app.extensions import db
from events_app.inserts import bound, given_values, keep
from events_app.registration.models import Registration, StatusChange


@lru_cache(maxsize=256)
def _statements(dialect: str, mine: tuple[str, ...], theirs: tuple[str, ...]) -> tuple:
    """The INSERT statement(s) for these columns, built once: values go in as parameters, so SQLAlchemy's
    compiled cache serves them, and psycopg's own (at most 50 parameters and 4,096 characters) too."""
    registrations, changes = Registration.__table__, StatusChange.__table__
    new = insert(registrations).values(bound(registrations, mine, "r_"))
    if dialect == "postgresql":
        cte = new.returning(registrations.c.id).cte("new_registration")
        history = insert(changes).from_select(
            ["registration_id", *theirs],
            select(cte.c.id, *bound(changes, theirs, "h_").values()),
        )
        return (history.returning(changes.c.registration_id, changes.c.id),)
    history = insert(changes).values(bound(changes, ("registration_id", *theirs), "h_"))
    return new.returning(registrations.c.id), history.returning(changes.c.id)


def insert_new(registration: Registration) -> None:
    """INSERT a new registration with its one history row (registration.history[0]) and keep both in the session.

    Raises IntegrityError like a flush when a unique constraint (email or form of the event) refuses it.
    Columns left NULL are left out of the statement (none has a server default, so they are NULL
    either way): a form fills a third of the registration's 45 columns.
    """
    (change,) = registration.history
    session = db.session()
    mine = given_values(registration)
    theirs = {key: value for key, value in given_values(change).items() if key != "registration_id"}
    params = {"r_" + key: value for key, value in mine.items()}
    params.update({"h_" + key: value for key, value in theirs.items()})
    statements = _statements(session.get_bind().dialect.name, tuple(mine), tuple(theirs))
    if len(statements) == 1:
        registration_id, change_id = session.execute(statements[0], params).one()
    else:
        registration_id = session.execute(statements[0], params).scalar_one()
        change_id = session.execute(statements[1], {**params, "h_registration_id": registration_id}).scalar_one()
    registration.id, change.id, change.registration_id = registration_id, change_id, registration_id
    keep(registration, change)  # persistent and clean, with its history: later changes flush as UPDATEs
