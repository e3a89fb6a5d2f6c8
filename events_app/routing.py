"""Ids from outside (URL paths, query strings, form fields) bounded to what the database can hold.

PostgreSQL's `integer` ends at 2**31 - 1: a larger id reaching a query is a DataError (a 500), not
"not found". The app's `int` URL converter and every id field stop it at the door instead.
"""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer, which every primary key here is


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` in a route: a positive number no larger than MAX_ID, else the rule does not match (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max, signed=signed)


def register(app) -> None:
    """Make `<int:…>` the bounded converter; call before any blueprint adds its rules."""
    app.url_map.converters["int"] = DatabaseIdConverter


def record_id(value) -> int:
    """A record's id read from text (`request.args.get(name, type=record_id)`); ValueError when out of range."""
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError("not a record id")
    return number
