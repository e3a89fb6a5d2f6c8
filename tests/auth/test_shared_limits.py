"""Two app processes share the sign-in counts through Redis (RATELIMIT_STORAGE_URI): the per-email pause and the
per-IP limit hold whichever worker a request reaches. Needs Redis on 127.0.0.1:6379 (there in CI)."""
import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)


def _redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def two_workers(tmp_path):
    if not _redis_answers():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    env = {**os.environ, "APP_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite'}",
           "SECRET_KEY": "shared-by-both-workers", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
           "RATELIMIT_KEY_PREFIX": f"test-{secrets.token_hex(6)}", "MAIL_SEND_AFTER_COMMIT": "false",
           "JOBS_RUN_AFTER_COMMIT": "false", "BASE_URL": "http://127.0.0.1"}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    subprocess.run([*flask, "users", "create", "ana@example.org", "--role", "organiser", "--password-stdin"],
                   cwd=ROOT, env=env, input="mekong river delta 2027\n", text=True, check=True,
                   capture_output=True, timeout=60)
    ports = [_free_port(), _free_port()]
    workers = [subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for port in ports]
    try:
        for port in ports:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                    break
                except OSError:
                    assert time.monotonic() < deadline, "a worker did not start"
                    time.sleep(0.3)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=10)


def test_two_workers_share_the_pause_and_the_per_ip_limit_through_redis(two_workers):
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def sign_in(base: str, password: str) -> tuple[int, str]:
        form = browser.open(f"{base}/auth/login", timeout=10).read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, "email": "ana@example.org", "password": password})
        try:
            answer = browser.open(f"{base}/auth/login", data=data.encode(), timeout=10)
            return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    first, second = two_workers
    for n in range(5):  # alternately on each worker: neither alone saw five
        status, page = sign_in(first if n % 2 else second, f"wrong guess {n}")
        assert status == 200 and "do not match an account" in page
    status, page = sign_in(first, "mekong river delta 2027")
    assert status == 200 and "Too many failed attempts to sign in with this email" in page
    for _ in range(4):  # ten sign-in attempts from this address in a minute, across both workers
        sign_in(second, "wrong again")
    status, _page = sign_in(first, "wrong again")
    assert status == 429
