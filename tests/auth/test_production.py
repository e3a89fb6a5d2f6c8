"""`flask demo` refuses to run in production: it would create an organiser whose password is published."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_flask_demo_is_refused_in_production_in_one_line(tmp_path):
    database = tmp_path / "production.sqlite"
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": "a-real-production-key",
           "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("FLASK_ENV", None)
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "demo"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Error: the demo is refused in production: it creates an organiser with a published password"
    ]
    assert "Organiser login" not in result.stdout
