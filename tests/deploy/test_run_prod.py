"""`make run-prod` as a user would meet it: nginx, two gunicorn instances, the mail worker, PostgreSQL, Redis.

The stack is started by scripts/run_prod.py from the files in deploy/ (systemd ExecStart lines, the nginx
site, gunicorn.conf.py) on its own PostgreSQL database, whichever database the rest of the suite uses.
"""
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from tests.mail.conftest import SMTPServer, free_port

ROOT = Path(__file__).resolve().parents[2]
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
CAPACITY = 10
REGISTRANTS = 20  # the registration form allows 20 POSTs a minute from one address


class Stack:
    def __init__(self, port: int, env: dict, run_dir: Path, smtp: SMTPServer):
        self.port, self.env, self.run_dir, self.smtp = port, env, run_dir, smtp
        self.url = f"http://127.0.0.1:{port}"

    def flask(self, *args: str) -> str:
        done = subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def sql(self, query: str) -> list:
        with psycopg.connect(self.env["DATABASE_URL"]) as conn:
            return conn.execute(query).fetchall()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    assert shutil.which("nginx"), "nginx is missing: `make install-dev` installs Debian's nginx"
    name = f"events_app_deploy_{secrets.token_hex(4)}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    run_dir = tmp_path_factory.mktemp("run-prod")
    smtp = SMTPServer(port=free_port()).start()
    port, app_ports = free_port(), [free_port(), free_port()]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "TEST_DATABASE"))}
    env.update(DATABASE_URL=f"postgresql://postgres@127.0.0.1:5432/{name}", SECRET_KEY=secrets.token_urlsafe(32),
               RATELIMIT_KEY_PREFIX=f"events_app_test_{name}", MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp.port),
               MAIL_POLL_SECONDS="0.5", APP_ENV="production")
    process = subprocess.Popen([sys.executable, "scripts/run_prod.py", "--port", str(port), "--app-ports",
                                ",".join(map(str, app_ports)), "--run-dir", str(run_dir)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        said = []  # everything run-prod said, for the failure message (its last line is often empty)
        deadline = time.monotonic() + 120
        while not (said and "Serving on" in said[-1]) and time.monotonic() < deadline and process.poll() is None:
            said.append(process.stdout.readline())
        if not (said and "Serving on" in said[-1]) and process.poll() is not None:
            said.append(process.stdout.read())  # what it said before it stopped
        assert said and "Serving on" in said[-1], f"run-prod did not start: {''.join(said)}\n{_log_tails(run_dir)}"
        yield Stack(port, {**env, "SESSION_COOKIE_SECURE": "false"}, run_dir, smtp)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        smtp.stop()
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _log_tails(run_dir: Path) -> str:
    """The end of each log run-prod wrote (the tmp directory holding them may be gone when someone reads this)."""
    return "\n".join(f"--- {log.name}:\n" + "\n".join(log.read_text(errors="replace").splitlines()[-15:])
                     for log in sorted(run_dir.glob("*.log")))


def _browser():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _register(stack: Stack, slug: str, number: int) -> int:
    """Fill in the form as a person does (GET, then POST with its CSRF token); the final status code."""
    browser = _browser()
    form = browser.open(f"{stack.url}/events/{slug}/register", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({
        "csrf_token": token, "full_name": f"ສົມພອນ ວົງສາ {number}", "name_latin": f"Somphone Vongsa {number}",
        "email": f"somphone{number}@example.org", "organisation": "Lao Migrant Workers Network",
        "stakeholder_group": "migrant_group", "country": "LA", "data_consent": "y"}).encode()
    try:
        return browser.open(f"{stack.url}/events/{slug}/register", data=data, timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code


def test_concurrent_registrations_through_nginx_fill_the_places_exactly_and_share_the_rate_limit(stack):
    stack.flask("events", "create", "deploy-test", "--title", "Symposium", "--starts", "2031-03-01",
                "--ends", "2031-03-02", "--capacity", str(CAPACITY))

    with ThreadPoolExecutor(max_workers=REGISTRANTS) as pool:
        answers = list(pool.map(lambda n: _register(stack, "deploy-test", n), range(REGISTRANTS)))
    one_more = _register(stack, "deploy-test", REGISTRANTS)

    assert answers == [200] * REGISTRANTS, "every registration reached its private page"
    counts = dict(stack.sql("SELECT status, count(*) FROM registrations GROUP BY status"))
    assert counts == {"approved": CAPACITY, "waitlisted": REGISTRANTS - CAPACITY}
    served = [len(re.findall(r'"method": "POST"', (stack.run_dir / f).read_text()))
              for f in sorted(os.listdir(stack.run_dir)) if f.endswith(".access.log") and f.startswith("app-")]
    assert len(served) == 2 and all(served), f"both instances took registrations: {served}"
    assert one_more == 429, "the 21st POST in a minute is refused, though it reached the other instance: " \
                            "the limit lives in Redis, shared"
    deadline = time.monotonic() + 30
    while len(stack.smtp.received) < REGISTRANTS and time.monotonic() < deadline:
        time.sleep(0.5)
    assert sorted(r.rcpt_tos[0] for r in stack.smtp.received) == sorted(
        f"somphone{n}@example.org" for n in range(REGISTRANTS)), "the mail worker sent each confirmation once"


def test_probes_static_files_and_request_ids_answer_through_nginx(stack):
    with _browser().open(f"{stack.url}/readyz", timeout=10) as ready:
        assert ready.status == 200 and b'"redis":"ok"' in ready.read().replace(b" ", b"")
        request_id = ready.headers["X-Request-ID"]
    with _browser().open(f"{stack.url}/static/css/app.css", timeout=10) as css:
        assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
    logged = (stack.run_dir / "events_app.access.log").read_text()
    assert request_id in logged, "nginx's request id reaches the app and comes back"


def test_a_private_link_s_token_stays_out_of_every_log(stack):
    token = secrets.token_urlsafe(32)
    try:
        _browser().open(f"{stack.url}/r/{token}", timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 404
    time.sleep(0.5)
    for log in stack.run_dir.glob("*.log"):
        assert token not in log.read_text(errors="replace"), f"{log.name} holds the token"


def test_an_oversized_chunked_body_is_refused_by_nginx_and_by_the_app_behind_it(stack):
    def chunked_post(port: int) -> int:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(b"POST /events/deploy-test/register HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\n\r\n")
            chunk = b"a" * 65536
            try:
                for _ in range(192):  # 12 MB, more than any form or upload may be
                    sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sock.sendall(b"0\r\n\r\n")
            except OSError:
                pass  # refused before the end: the answer is waiting
            return int(sock.recv(200).split(b" ")[1])

    assert chunked_post(stack.port) == 413
    app_port = int(re.search(r"server 127.0.0.1:(\d+)", (stack.run_dir / "site.conf").read_text()).group(1))
    assert chunked_post(app_port) == 413


def test_slow_clients_do_not_block_the_instances(stack):
    sockets = []
    for _ in range(16):  # more than all the gunicorn workers together
        sock = socket.create_connection(("127.0.0.1", stack.port), timeout=10)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and never finish the headers
        sockets.append(sock)
    try:
        started = time.monotonic()
        with _browser().open(f"{stack.url}/events/deploy-test", timeout=10) as page:
            assert page.status == 200
        assert time.monotonic() - started < 5, "nginx holds the slow connections, not the app's workers"
    finally:
        for sock in sockets:
            sock.close()
