"""Document commands read without SQLite's write lock: registering and checking in go on while they render.

Another connection writes at the moment a command reads the registrations to render (caught with
SQLAlchemy's cursor event). That write must not be refused as "database is locked"; a badge run
that records the print still records it, after the render.
"""
import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from events_app.registration.models import Registration


def _write_elsewhere(engine, event_id: int) -> str:
    """Update the event row on a second connection without waiting for locks; 'written' or the error."""
    with engine.connect() as other:
        sqlite = other.dialect.name == "sqlite"
        if sqlite:  # before BEGIN, so that a held lock is reported at once rather than waited for
            other.connection.dbapi_connection.execute("PRAGMA busy_timeout=0")
        else:
            other.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
        try:
            other.execute(text("UPDATE events SET city = 'Vientiane' WHERE id = :id"), {"id": event_id})
            other.commit()
        except DBAPIError as error:  # the refusal is the finding: report it
            other.rollback()
            return str(error.orig).splitlines()[0]
        finally:
            if sqlite:  # the connection goes back to the pool with the app's setting
                other.connection.dbapi_connection.execute("PRAGMA busy_timeout=30000")
    return "written"


def _run_while_writing(app, db, event_id: int, args) -> tuple:
    engine = db.engine
    db.session.commit()  # the test's own reads (of the event's slug and days) hold no transaction open
    outcomes = []

    def during_render(conn, cursor, statement, parameters, context, executemany):
        if not outcomes and "FROM registrations" in statement:
            outcomes.append(None)  # the second connection's own statements must not come back here
            outcomes[0] = _write_elsewhere(engine, event_id)

    sa_event.listen(engine, "after_cursor_execute", during_render)
    try:
        result = app.test_cli_runner().invoke(args=args)
    finally:
        sa_event.remove(engine, "after_cursor_execute", during_render)
    return result, outcomes


@pytest.mark.parametrize("command", [
    ["attendees"], ["attendees", "--public"], ["signin", "--day", "DAY"], ["certificates"], ["letters"],
    ["badges", "--no-record"], ["badges"],
])
def test_a_document_command_lets_others_write_while_it_renders(app, db, make_event, make_registration, tmp_path,
                                                               command):
    event = make_event(city="Bangkok")
    registration = make_registration(event, needs_visa_letter=True, nationality="Lao",
                                     passport_number="P0012345", date_of_birth="1980-05-05",
                                     passport_expiry="2031-05-05")
    args = ["documents", command[0], event.slug, "-o", str(tmp_path / "out.pdf"),
            *(event.starts_on.isoformat() if a == "DAY" else a for a in command[1:])]
    result, outcomes = _run_while_writing(app, db, event.id, args)
    assert result.exit_code == 0, result.output
    assert outcomes == ["written"]
    db.session.expire_all()
    assert db.session.scalar(select(text("city")).select_from(text("events"))) == "Vientiane"
    printed = db.session.scalar(select(Registration.badge_printed_at).where(Registration.id == registration.id))
    assert (printed is not None) == (command == ["badges"])
