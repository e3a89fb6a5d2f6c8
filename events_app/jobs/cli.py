"""`flask jobs work [--loop]`: run the queued long jobs (imports, exports, badge runs) outside any request."""
import signal
import threading

import click
from flask.cli import AppGroup

from events_app.jobs.runner import work

jobs_cli = AppGroup("jobs", help="Run long jobs (large imports, exports, badge runs) queued from the workspace.")


@jobs_cli.command("work")
@click.option("--loop", is_flag=True, help="Keep running, waiting for new jobs, until stopped (SIGTERM or Ctrl-C).")
@click.option("--poll", "poll_seconds", type=click.FloatRange(min=0.1), default=2.0, show_default=True,
              help="Seconds between looks for new jobs with --loop.")
def work_command(loop: bool, poll_seconds: float):
    """Run every queued job, one after another, then stop (or, with --loop, keep waiting for more)."""
    if not loop:
        click.echo(f"{work()} job(s) run.")
        return
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    click.echo("Job runner started; stop it with Ctrl-C.", err=True)
    ran = work(stop=stop, poll_seconds=poll_seconds)
    click.echo(f"Job runner stopped after {ran} job(s).", err=True)
