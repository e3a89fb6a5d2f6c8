"""`make security`: sqlmap, a scanner no one here wrote, against the app on loopback (bounded in time).

A fresh SQLite database in a temporary folder (or the empty database given with --database-url) gets
one event, one organiser and one delegate; the app runs under gunicorn on a free loopback port with
rate limits off (sqlmap sends thousands of requests).
sqlmap then tries the public registration form, the lost-link form and the signed-in delegate list
with its query arguments. Fails (exit 1) when sqlmap finds anything injectable, when the app answered
any request with a 500, or when a run does not finish within its time. Results: the last lines printed.
"""
import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SLUG = "scan-symposium"
ORGANISER = "scan-organiser@example.org"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
REGISTER_FIELDS = {  # csrf_token: replaced by a fresh token from the form's page before every request
    "csrf_token": "x", "full_name": "Sok Chanthy", "name_latin": "Sok Chanthy", "email": "sok@example.org",
    "organisation": "CMWA", "stakeholder_group": "ngo", "country": "KH", "phone": "012345678",
    "position": "Officer", "region": "Phnom Penh", "locale": "en", "data_consent": "y",
}
LIST_ARGS = {"q": "sok", "status": "approved", "country": "KH", "stakeholder_group": "ngo", "sort": "name",
             "page": "1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict, *args: str, stdin: str | None = None) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, input=stdin, text=True,
                   check=True, capture_output=True, timeout=120)


def prepare(env: dict, folder: Path, password: str) -> None:
    """The schema, one event, one organiser (its role at the event) and one approved delegate."""
    starts = date.today() + timedelta(days=30)
    flask(env, "db", "upgrade")
    flask(env, "events", "create", SLUG, "--title", "Scan Symposium", "--starts", starts.isoformat(),
          "--ends", (starts + timedelta(days=2)).isoformat())
    flask(env, "users", "create", ORGANISER, "--role", "organiser", "--password-stdin", stdin=password + "\n")
    flask(env, "users", "grant", ORGANISER, SLUG, "--role", "organiser")
    table = folder / "one.csv"
    table.write_text("full_name,email,organisation,stakeholder_group,country\nSok Dara,dara@example.org,CMWA,ngo,KH\n",
                     encoding="utf-8")
    flask(env, "delegates", "import", SLUG, str(table))


def serve(env: dict, port: int, log: Path) -> subprocess.Popen:
    server = subprocess.Popen([str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--access-logfile",
                               str(log), "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310 - loopback
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the app did not start on loopback")


def session_cookie(base: str, password: str) -> str:
    """Sign in as the organiser through the real form; the session cookie as `name=value`."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/auth/login", timeout=10).read().decode()
    data = urllib.parse.urlencode({"csrf_token": CSRF.search(page).group(1), "email": ORGANISER,
                                   "password": password}).encode()
    opener.open(f"{base}/auth/login", data=data, timeout=10)
    cookies = [f"{c.name}={c.value}" for c in jar if c.name == "session"]
    if not cookies:
        raise SystemExit("could not sign in as the scan's organiser")
    return cookies[0]


def sqlmap(name: str, args: list[str], out: Path, seconds: int, level: int) -> tuple[str, str]:
    """One bounded sqlmap run; (verdict, its log)."""
    command = [str(BIN / "sqlmap"), "--batch", f"--level={level}", "--risk=1", "--technique=BEUS",
               "--dbms=SQLite", "--disable-coloring", "--flush-session", "--timeout=10",
               "--retries=1", f"--output-dir={out}", *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds)
        log = done.stdout + done.stderr
    except subprocess.TimeoutExpired as error:
        return "timed out", (error.stdout or b"").decode() if isinstance(error.stdout, bytes) else (error.stdout or "")
    return verdict(log), log


def verdict(log: str) -> str:
    """sqlmap's conclusion. It says "appears to be … injectable" on a first hint and then checks it; only
    "identified the following injection point(s)" is a finding (a hint it disproves is a false positive)."""
    if re.search(r"identified the following injection point|is vulnerable", log):
        return "INJECTABLE"
    if "all tested parameters do not appear to be injectable" in log:
        disproved = log.count("false positive or unexploitable injection point detected")
        return "nothing injectable" + (f" ({disproved} first hint(s) disproved by sqlmap)" if disproved else "")
    return "inconclusive"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=600, help="time limit of each sqlmap run")
    parser.add_argument("--level", type=int, default=2, help="sqlmap's level (1-5): which places it tries")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (sqlmap's logs)")
    parser.add_argument("--database-url", help="an empty database to scan against (default: a fresh SQLite file)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="events-app-security-"))
    password = secrets.token_urlsafe(18)
    database_url = args.database_url or f"sqlite:///{folder / 'scan.sqlite'}"
    env = {**os.environ, "APP_ENV": "development", "DATABASE_URL": database_url,
           "SECRET_KEY": secrets.token_hex(32), "RATELIMIT_ENABLED": "false", "MAIL_SUPPRESS_SEND": "true",
           "JOBS_RUN_AFTER_COMMIT": "false"}
    env.pop("TEST_DATABASE_URL", None)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    prepare(env, folder, password)
    server = serve(env, port, folder / "access.log")
    try:
        cookie = session_cookie(base, password)
        list_url = f"{base}/manage/events/{SLUG}/"
        runs = {
            "register form (POST)": ["-u", f"{base}/events/{SLUG}/register", "--data",
                                     urllib.parse.urlencode(REGISTER_FIELDS), "--csrf-token=csrf_token",
                                     f"--csrf-url={base}/events/{SLUG}/register", "--skip=data_consent"],
            "lost-link form (POST)": ["-u", f"{base}/events/{SLUG}/lost-link", "--data",
                                      "csrf_token=x&email=sok%40example.org", "--csrf-token=csrf_token",
                                      f"--csrf-url={base}/events/{SLUG}/lost-link"],
            "delegate list, signed in (GET)": ["-u", f"{list_url}?{urllib.parse.urlencode(LIST_ARGS)}",
                                               "--cookie", cookie, "--skip=session", "--safe-url", list_url,
                                               "--safe-freq=20"],
        }
        verdicts = {}
        for name, run_args in runs.items():
            said, log = sqlmap(name, run_args, folder / "sqlmap", args.seconds, args.level)
            verdicts[name] = said
            (folder / f"{re.sub(r'[^a-z]+', '-', name.lower())}.log").write_text(log, encoding="utf-8")
            print(f"{name}: {said}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    access = (folder / "access.log").read_text(encoding="utf-8", errors="replace").splitlines()
    errors = [line for line in access if re.search(r'" 500 ', line)]
    print(f"{len(access)} requests in {time.monotonic() - started:.0f} s; {len(errors)} answered 500")
    for line in errors[:5]:
        print("  500:", line[:200])
    if args.keep:
        print(f"logs kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    signed_in = [line for line in access if f"GET /manage/events/{SLUG}/?" in line and '" 200 ' in line]
    if not signed_in:
        print("the delegate list was never answered 200: the signed-in run was not signed in")
    failed = [name for name, said in verdicts.items() if not said.startswith("nothing injectable")] or not signed_in
    return 1 if failed or errors else 0


if __name__ == "__main__":
    sys.exit(main())
