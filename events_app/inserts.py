"""New rows written with one Core INSERT ... RETURNING, then kept by the session as if flushed.

The ORM's flush of one new object sorts, compares and processes every attribute before it writes;
on the registration POST that was the largest single cost (registration/rows.py) and the outbox
row's flush the next. Here the values are the object's own, each column's Python default applied
exactly as the ORM applies it, the statement is built once per table and set of columns (so
SQLAlchemy's compiled cache and psycopg's, which takes at most 50 parameters, both serve it), and
the object becomes persistent and clean in the session: later changes flush as UPDATEs.
Within gathering(), insert_now only collects its objects, for a caller that writes them in a statement
of its own (registration/rows.py: a registration, its history row and its email in one round trip).
"""
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import JSON, bindparam, insert
from sqlalchemy.orm import make_transient_to_detached

from events_app.extensions import db


@lru_cache(maxsize=64)
def _columns(table) -> tuple:
    """(key, default, is JSON) of each column but the primary key and those the database fills (a server default
    and no Python one, e.g. registrations' attendance kept by triggers): read once per table, not per row."""
    return tuple((column.key, column.default, isinstance(column.type, JSON)) for column in table.columns
                 if not column.primary_key and (column.server_default is None or column.default is not None))


def column_values(obj) -> dict:
    """Every column's value for an INSERT: what was set on the object, else the column's default (set on it too).

    A default goes straight into the object's __dict__, without the attribute's change tracking: the
    object is new, and keep() makes whatever it holds its loaded, clean state.
    """
    state, values = obj.__dict__, {}
    for key, default, _json in _columns(type(obj).__table__):
        given = state.get(key)
        if given is not None or (key in state and default is None):
            values[key] = given
            continue
        # None with a default: the default, as the ORM's flush does; no default: NULL.
        value = None if default is None else default.arg(None) if default.is_callable else default.arg
        state[key] = values[key] = value
    return values


def given_values(obj) -> dict:
    """column_values without the NULLs, which the INSERT leaves out (a JSON column's None is JSON null: kept).

    Only for tables whose server defaults are on columns _columns leaves out, where a column left out is NULL
    as it would be given.
    """
    values = column_values(obj)
    return {key: values[key] for key, _default, json in _columns(type(obj).__table__)
            if values[key] is not None or json}


def bound(table, keys, prefix: str = "") -> dict:
    """{column: a bound parameter named prefix + column}, for an INSERT built once and given values each time."""
    return {key: bindparam(prefix + key, type_=table.c[key].type) for key in keys}


@lru_cache(maxsize=64)
def _insert(table, keys: tuple[str, ...]):
    return insert(table).values(bound(table, keys)).returning(*table.primary_key.columns)


def keep(*objs) -> None:
    """Objects whose rows were just INSERTed (primary keys set) become persistent and clean in the session."""
    for obj in objs:
        make_transient_to_detached(obj)
    db.session.add(objs[0])  # the first; the rest by its cascade, or given on their own
    for obj in objs[1:]:
        db.session.add(obj)


_GATHERED = "events_app.inserts.gathered"


@contextmanager
def gathering():
    """Within this block insert_now collects its objects (no SQL) into the list it yields; the caller writes
    them (and keeps them) with its own statement, or drops them with its transaction."""
    info = db.session().info
    gathered = info[_GATHERED] = []
    try:
        yield gathered
    finally:
        info.pop(_GATHERED, None)


def insert_now(obj, *, kept: bool = True):
    """Write one new object's row at once (no flush) and keep it in the session (unless not `kept`); returns it.

    Raises IntegrityError, as a flush would, when a constraint refuses it. Within gathering(): only collected.
    """
    gathered = db.session().info.get(_GATHERED)
    if gathered is not None:
        gathered.append(obj)
        return obj
    table = type(obj).__table__
    values = given_values(obj)
    (key,) = table.primary_key.columns
    setattr(obj, key.key, db.session.execute(_insert(table, tuple(values)), values).scalar_one())
    if kept:
        keep(obj)
    return obj
