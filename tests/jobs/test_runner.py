"""The job runner: one runner per job, failures kept with their message, `flask jobs work`, CLI progress bars."""
import subprocess
from pathlib import Path

from sqlalchemy import select

from events_app.choices import JobStatus
from events_app.jobs import runner
from events_app.jobs.models import Job
from events_app.jobs.services import queue
from tests.jobs.terminal import ROOT, flask_command, run_on_a_terminal

SAMPLE = Path(__file__).parent.parent / "delegate_files" / "data" / "delegates_sample.csv"


def test_a_job_is_claimed_once_and_a_dead_runners_job_is_claimed_again(db, make_event):
    event = make_event()
    first = queue("export", event_id=event.id, user_id=None, params={})
    db.session.commit()
    assert runner.claim() == first.id
    assert runner.claim() is None  # running under another runner's lease
    later = runner.utcnow() + runner.LEASE + runner.LEASE
    assert runner.claim(now=later) == first.id  # the lease ran out: that runner died


def test_a_failed_job_keeps_its_message_for_the_page(client, db, auth, make_event):
    event = make_event()
    job = queue("import", event_id=event.id, user_id=None, params={"upload": "1.AAAAAAAAAAAAAAAAAAAAAA.x.csv"})
    unknown = queue("nonsense", event_id=event.id, user_id=None, params={})
    db.session.commit()
    assert runner.work() == 2
    rows = {j.id: j for j in db.session.scalars(select(Job))}
    assert rows[job.id].status == JobStatus.FAILED
    assert rows[job.id].message == "The uploaded file is no longer on the server; upload it again."
    assert rows[unknown.id].status == JobStatus.FAILED and "kind 'nonsense'" in rows[unknown.id].message


def test_flask_jobs_work_runs_the_queue_and_says_how_many(app, db, make_event):
    event = make_event()
    queue("nonsense", event_id=event.id, user_id=None, params={})
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["jobs", "work"])
    assert result.exit_code == 0 and result.output == "1 job(s) run.\n"


def test_delegates_import_shows_a_progress_bar_on_a_terminal_only(app, db, make_event, tmp_path):
    make_event(slug="bar-test")
    command, env = flask_command(app, "delegates", "import", "bar-test", str(SAMPLE), "--dry-run")
    piped = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert "Checking" not in piped.stderr and piped.stdout.strip().endswith("nothing written.")
    on_terminal, seen = run_on_a_terminal(command, env)
    assert on_terminal.returncode == 0
    assert on_terminal.stdout == piped.stdout  # the bar is on stderr alone
    assert b"Checking" in seen and b"26/26" in seen and b"100%" in seen
