"""`flask mail send` once and as a worker process that stops cleanly on SIGTERM."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from events_app.mail.models import OutboxMessage, OutboxStatus

ROOT = Path(__file__).resolve().parents[2]


def test_send_command_delivers_and_reports_counts(app, db, smtp_server, symposium, register):
    register(symposium, email="cli@example.org")
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 sent, 0 to retry, 0 failed"
    assert len(smtp_server.to("cli@example.org")) == 1


def test_send_command_with_the_server_down_keeps_the_mail_and_says_so(app, db, stopped_smtp_server, symposium,
                                                                      register):
    register(symposium, email="later@example.org")
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0
    assert result.output.strip() == "0 sent, 1 to retry, 0 failed"


def test_worker_process_delivers_then_stops_on_sigterm(app, db, smtp_server, symposium, register, wait_until):
    register(symposium, email="worker@example.org")
    db.session.remove()
    env = dict(os.environ, APP_ENV="development", DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               MAIL_SERVER="127.0.0.1", MAIL_PORT=str(app.config["MAIL_PORT"]), MAIL_TIMEOUT="2",
               MAIL_DEFAULT_SENDER="events@mekong.test", PYTHONUNBUFFERED="1")
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "mail", "send", "--loop",
                               "--poll", "0.2"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        # A new process imports the app before its first pass: 15-16 s of the 20 s allowed here on a loaded
        # machine (load ~12 on 2 cores), so a generous wait; a worker that delivers nothing still fails it.
        assert wait_until(lambda: smtp_server.to("worker@example.org"), timeout=120), "the worker delivered"
        time.sleep(0.3)
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    assert "Mail worker stopped." in output
    assert "worker@example.org" not in output, "no addresses in the worker's log"
    assert len(smtp_server.to("worker@example.org")) == 1
    db.session.rollback()
    assert db.session.scalar(select(OutboxMessage.status)) == OutboxStatus.SENT
