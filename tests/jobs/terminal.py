"""Run a `flask` command in a subprocess whose stderr is a real terminal (a pty), as a person at a shell does."""
import os
import pty
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def flask_command(app, *args: str) -> tuple[list[str], dict]:
    """The command line and environment that run `flask --app wsgi ARGS` on the test database."""
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "APP_ENV": "testing",
           "TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    return [sys.executable, "-m", "flask", "--app", "wsgi", *args], env


def run_on_a_terminal(command: list[str], env: dict) -> tuple[subprocess.CompletedProcess, bytes]:
    """Run with stdout piped and stderr on a pty; the process and every byte written to the terminal."""
    main, secondary = pty.openpty()
    result = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=secondary, text=True,
                            timeout=120)
    os.close(secondary)
    seen = b""
    try:
        while chunk := os.read(main, 4096):
            seen += chunk
    except OSError:
        pass  # the terminal closed
    os.close(main)
    return result, seen
