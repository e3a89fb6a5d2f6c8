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

from sqlalchemy import bindparam, insert, select, true

from events_app.extensions import db
from events_app.inserts import bound, given_values, insert_now, keep
from events_app.registration.models import Registration, StatusChange

CACHED_PARAMETERS = 50  # psycopg converts a statement with more afresh on every execution


@lru_cache(maxsize=256)
def _statements(dialect: str, mine: tuple[str, ...], theirs: tuple[str, ...], also: tuple = ()) -> tuple:
    """The INSERT statement(s) for these columns, built once: values go in as parameters, so SQLAlchemy's
    compiled cache serves them, and psycopg's own (at most 50 parameters and 4,096 characters) too.
    `also`: (table, columns) of other new rows written in the same statement (PostgreSQL only)."""
    registrations, changes = Registration.__table__, StatusChange.__table__
    new = insert(registrations).values(bound(registrations, mine, "r_"))
    if dialect == "postgresql":
        cte = new.returning(registrations.c.id).cte("new_registration")
        history = insert(changes).from_select(
            ["registration_id", *theirs],
            select(cte.c.id, *bound(changes, theirs, "h_").values()),
        )
        if not also:
            return (history.returning(changes.c.registration_id, changes.c.id),)
        written = [cte, history.returning(changes.c.id).cte("new_change")]
        written += [insert(table).values({key: bindparam(name, type_=table.c[key].type) for key, name in names})
                    .returning(*table.primary_key.columns).cte(f"new_row_{i}") for i, (table, names) in enumerate(also)]
        joined = written[0]
        for other in written[1:]:  # one row each: the ids side by side
            joined = joined.join(other, true())
        return (select(*(part.c.id.label(f"id_{n}") for n, part in enumerate(written))).select_from(joined),)
    history = insert(changes).values(bound(changes, ("registration_id", *theirs), "h_"))
    return new.returning(registrations.c.id), history.returning(changes.c.id)


def _shared_parameters(mine: dict, others: list[tuple], params: dict) -> tuple:
    """((table, ((column, parameter name), ...)), ...) for the other rows, their values added to `params`.

    A value the registration has already (its id, event, email, language) is given once, so that the
    statement stays within CACHED_PARAMETERS.
    """
    registrations, given = Registration.__table__, {}
    for key, value in mine.items():
        if not isinstance(value, list | dict):
            given.setdefault((type(registrations.c[key].type), type(value), value), "r_" + key)
    shapes = []
    for i, (obj, values) in enumerate(others):
        table, names = type(obj).__table__, []
        for key, value in values.items():
            same = None if isinstance(value, list | dict) else (type(table.c[key].type), type(value), value)
            name = given.get(same) or f"a{i}_{key}"
            params[name] = value
            names.append((key, name))
        shapes.append((table, tuple(names)))
    return tuple(shapes)


def insert_new(registration: Registration, also=(), *, kept: bool = True) -> None:
    """INSERT a new registration with its one history row (registration.history[0]) and keep both in the session.

    Raises IntegrityError like a flush when a unique constraint (email or form of the event) refuses it.
    Columns left NULL are left out of the statement (none but the attendance the triggers keep has a
    server default, so they are NULL either way): a form fills a third of the registration's 45 columns.
    The registration's id is given when it is set already. `also`: other new objects (inserts.gathering()),
    whose columns can name the registration's id only when it was given; on PostgreSQL in the same statement.
    `kept=False`: the rows are written but the objects are not made persistent in the session (for a caller
    that reads nothing of them but what they hold, then commits: the form's POST), which saves the session's
    identity-map, cascade and expiry work on three objects (~0.2 ms CPU a POST).
    """
    (change,) = registration.history
    session = db.session()
    mine = given_values(registration)
    if registration.id is not None:
        mine["id"] = registration.id
    theirs = {key: value for key, value in given_values(change).items() if key != "registration_id"}
    params = {"r_" + key: value for key, value in mine.items()}
    params.update({"h_" + key: value for key, value in theirs.items()})
    dialect = session.get_bind().dialect.name
    others = [(obj, given_values(obj)) for obj in also] if dialect == "postgresql" else []
    together = dict(params)
    shapes = _shared_parameters(mine, others, together)
    if len(together) <= CACHED_PARAMETERS:
        params = together
    else:  # a long form: the other rows in statements of their own, each served by psycopg's cache
        others, shapes = [], ()
    statements = _statements(dialect, tuple(mine), tuple(theirs), shapes)
    if len(statements) == 1:
        registration_id, change_id, *other_ids = session.execute(statements[0], params).one()
    else:
        registration_id = session.execute(statements[0], params).scalar_one()
        change_id = session.execute(statements[1], {**params, "h_registration_id": registration_id}).scalar_one()
        other_ids = []
    registration.id, change.id, change.registration_id = registration_id, change_id, registration_id
    if kept:
        keep(registration, change)  # persistent and clean, with its history: later changes flush as UPDATEs
    for (obj, _values), obj_id in zip(others, other_ids, strict=True):
        (key,) = type(obj).__table__.primary_key.columns
        setattr(obj, key.key, obj_id)
        if kept:
            keep(obj)
    if not others:
        for obj in also:  # SQLite, or a long form: one statement each
            insert_now(obj, kept=kept)
