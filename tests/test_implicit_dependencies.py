"""The two requirements nothing imports are used all the same: redis by the rate limiter, python-dotenv by `flask`."""
import os
import subprocess
import sys
import uuid
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).parent / "flask")
REDIS_URL = "redis://127.0.0.1:6379"

# One app process: sign in with a wrong password `attempts` times and print the status codes.
LOGIN_ATTEMPTS = """
import re, sys
from events_app import create_app
client = create_app().test_client()
page = client.get("/auth/login").get_data(as_text=True)
token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
for _ in range(int(sys.argv[1])):
    response = client.post("/auth/login", data={"csrf_token": token, "email": "x@example.org",
                                               "password": "not the password"})
    print(response.status_code)
"""


def _clean_env(**extra) -> dict:
    """The environment of a fresh app process: none of the test run's settings, only `extra`."""
    keep = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return {**keep, "PYTHONPATH": str(ROOT), **extra}


def test_the_login_limit_is_shared_between_app_processes_through_redis(app, db):
    prefix = f"test-{uuid.uuid4().hex}"  # this run's keys only
    env = _clean_env(APP_ENV="development", DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
                     RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix, MAIL_SUPPRESS_SEND="true")

    def attempts(count: int) -> list[int]:
        done = subprocess.run([sys.executable, "-c", LOGIN_ATTEMPTS, str(count)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return [int(line) for line in done.stdout.split()]

    store = redis.Redis.from_url(REDIS_URL)
    try:
        assert attempts(10) == [200] * 10  # the limit is 10 sign-in attempts a minute
        assert store.keys(f"*/{prefix}/*"), "the first process kept its count in Redis"
        assert attempts(1) == [429]  # a second process sees the same count
    finally:
        for key in store.scan_iter(f"*/{prefix}/*"):
            store.delete(key)


def test_flask_reads_a_dot_env_file_in_the_working_directory(tmp_path):
    database = tmp_path / "from-dot-env.sqlite"
    (tmp_path / ".env").write_text(f"DATABASE_URL=sqlite:///{database}\n", encoding="utf-8")
    env = _clean_env()

    def flask(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([FLASK, "--app", "wsgi", *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120)

    assert flask("db", "upgrade").returncode == 0
    created = flask("events", "create", "dotenv-2027", "--title", "Read from .env", "--starts", "2027-03-10",
                    "--ends", "2027-03-11")
    assert created.returncode == 0, created.stderr
    assert database.exists()  # the database named in .env, not the default in instance/
    listing = flask("events", "list")
    assert listing.returncode == 0 and "dotenv-2027\t2027-03-10\t2027-03-11" in listing.stdout
