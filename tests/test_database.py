"""SQLite transactions: which begin with the write lock (BEGIN IMMEDIATE) and which stay deferred."""
import pytest

from events_app import database


class FakeConnection:
    def __init__(self):
        self.sql = []

    def exec_driver_sql(self, sql):
        self.sql.append(sql)


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/events/x", "BEGIN"),  # page views never wait for writers
        ("POST", "/events/x/register", "BEGIN IMMEDIATE"),  # may write: lock first, then count places
        ("POST", "/manage/events/x/badges/print", "BEGIN IMMEDIATE"),  # printing records: never a GET
    ],
)
def test_begin_mode_follows_the_request(app, method, path, expected):
    connection = FakeConnection()
    with app.test_request_context(path, method=method):
        database._sqlite_begin(connection)
    assert connection.sql == [expected]


def test_commands_and_workers_take_the_lock_unless_told_they_only_read(app):
    connection = FakeConnection()
    with app.app_context():
        database._sqlite_begin(connection)
        with database.sqlite_read_transactions():
            database._sqlite_begin(connection)
    assert connection.sql == ["BEGIN IMMEDIATE", "BEGIN"]
