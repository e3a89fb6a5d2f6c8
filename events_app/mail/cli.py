"""`flask mail ...`: deliver the outbox once or as a worker, queue due reminders."""
import signal
import sys
import threading
import time

import click
from flask import current_app
from flask.cli import AppGroup

from events_app.extensions import db
from events_app.mail.reminders import queue_due_reminders
from events_app.mail.sender import deliver_due, run_worker

mail_cli = AppGroup("mail", help="Deliver queued email.")

REMINDER_INTERVAL_SECONDS = 3600


@mail_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep running as a worker until stopped (SIGTERM or Ctrl-C).")
@click.option("--poll", type=float, default=None, help="Seconds between polls with --loop.")
def send_command(loop: bool, poll: float | None):
    """Deliver the mail that is due (once, or as a worker with --loop)."""
    if not loop:
        try:
            report = deliver_due()
        except Exception as error:  # noqa: BLE001 - a command says why in one line
            click.echo(f"Error: mail could not be sent: {type(error).__name__}: {error}", err=True)
            sys.exit(1)
        click.echo(report.summary())
        return
    stop = threading.Event()

    def request_stop(signum, _frame):
        click.echo(f"Stopping after the current batch ({signal.Signals(signum).name}).", err=True)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        run_worker(stop, poll_seconds=poll, on_pass=_reminders_every_hour())
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("Mail worker stopped.")


def _reminders_every_hour():
    """With MAIL_REMINDER_DAYS set, the worker also queues due reminders once an hour."""
    days = current_app.config.get("MAIL_REMINDER_DAYS")
    if not days:
        return None
    state = {"last": 0.0}

    def on_pass(_report) -> None:
        if time.monotonic() - state["last"] < REMINDER_INTERVAL_SECONDS:
            return
        state["last"] = time.monotonic()
        queue_due_reminders(days=int(days))
        db.session.commit()

    return on_pass


@mail_cli.command("reminders")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Events starting within this many days (default MAIL_REMINDER_DAYS or 3).")
def reminders_command(days: int | None):
    """Queue the reminder for every approved delegate of events starting soon (once per delegate)."""
    days = days or int(current_app.config.get("MAIL_REMINDER_DAYS") or 3)
    try:
        count = queue_due_reminders(days=days)
        db.session.commit()
    except Exception as error:  # noqa: BLE001 - a command says why in one line
        db.session.rollback()
        click.echo(f"Error: reminders could not be queued: {type(error).__name__}: {error}", err=True)
        sys.exit(1)
    click.echo(f"{count} reminders queued ({days} days before). Run `flask mail send` to deliver them.")
