"""Database set-up per dialect: SQLite transaction modes, and LIKE patterns that match literally."""
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, has_request_context, request
from sqlalchemy import event as sa_event

from events_app.extensions import db

READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}
# None: decide by the request method (commands and workers: immediate). Set per thread/task.
_begin_immediate: ContextVar[bool | None] = ContextVar("sqlite_begin_immediate", default=None)


def configure(app: Flask) -> None:
    """Attach the SQLite connection settings and transaction mode to this app's engine."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        sa_event.listen(engine, "connect", _sqlite_connect)
        sa_event.listen(engine, "begin", _sqlite_begin)


def _sqlite_connect(dbapi_connection, _record) -> None:
    # Take over transaction control from pysqlite so "begin" below decides the mode.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 64 MiB of page cache (the default is 2 MiB): an event of 10,000 registrations is several MiB, and the
    # dashboard and export read its rows in index order; from the OS page by page they took 3x as long.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # SQLite has no row locks: a transaction that may write takes the database's write
    # lock up front (BEGIN IMMEDIATE), so reads of counts and the writes that depend on
    # them are serialised. Page views (GET) stay deferred and never wait for writers.
    immediate = _begin_immediate.get()
    if immediate is None:
        immediate = not (has_request_context() and request.method in READ_ONLY_METHODS)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def sqlite_read_transactions():
    """Within this block (this thread), SQLite transactions begin deferred.

    For code that only reads while another thread or process writes, such as a test
    driving a live server; anything that decides capacity must not run inside it.
    """
    token = _begin_immediate.set(False)
    try:
        yield
    finally:
        _begin_immediate.reset(token)


LIKE_ESCAPE = "\\"


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching `text` literally anywhere (typed % and _ are not wildcards); use
    with escape=LIKE_ESCAPE."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
