"""`make run-prod`: the production shape on one machine, started from the files in deploy/ themselves.

nginx (deploy/nginx/events_app.conf) in front of two gunicorn instances (deploy/systemd/events_app@.service,
deploy/gunicorn.conf.py), the mail worker and the job runner (their units), against local PostgreSQL and
Redis. Each command is read from its systemd unit's ExecStart, with /srv/events_app replaced by this
checkout, so what runs here is what the units run; tests/deploy/test_run_prod.py drives it.
Plain HTTP on loopback: cookies are not marked Secure here (put TLS in front in a real deployment).
Ctrl-C (or SIGTERM) stops everything; if any part stops, everything stops.
"""
import argparse
import os
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SERVED_FROM = "/srv/events_app"
sys.path.insert(0, str(ROOT))


def unit_command(unit: str, instance: str = "") -> list[str]:
    """The ExecStart of deploy/systemd/<unit>, for this checkout (and instance %i)."""
    for line in (DEPLOY / "systemd" / unit).read_text().splitlines():
        if line.startswith("ExecStart="):
            command = line.removeprefix("ExecStart=").replace("%i", instance).replace(SERVED_FROM, str(ROOT))
            return shlex.split(command)
    raise SystemExit(f"{unit} has no ExecStart line")


def _replace(text: str, old: str, new: str) -> str:
    if old not in text:  # the site file changed: make this script follow it
        raise SystemExit(f"deploy/nginx/events_app.conf no longer contains {old!r}")
    return text.replace(old, new)


def nginx_config(run_dir: Path, port: int, app_ports: list[int]) -> Path:
    """deploy/nginx/events_app.conf inside a minimal nginx.conf whose files all live in run_dir."""
    site = (DEPLOY / "nginx" / "events_app.conf").read_text()
    site = _replace(site, SERVED_FROM, str(ROOT))
    site = _replace(site, "listen 80;", f"listen 127.0.0.1:{port};")
    site = _replace(site, "/var/log/nginx/", f"{run_dir}/")
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=2 fail_timeout=5s;\n" for p in app_ports)
    site = _replace(site, "    server 127.0.0.1:8001 max_fails=2 fail_timeout=5s;\n"
                          "    server 127.0.0.1:8002 max_fails=2 fail_timeout=5s;\n", servers)
    (run_dir / "site.conf").write_text(site)
    user, temp = _worker_user_and_temp(run_dir)
    main = f"""{user}worker_processes 2;
pid {run_dir}/nginx.pid;
error_log {run_dir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    server_tokens off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {run_dir}/site.conf;
}}
"""
    path = run_dir / "nginx.conf"
    path.write_text(main)
    return path


def _worker_user_and_temp(run_dir: Path) -> tuple[str, Path]:
    """Started as root, nginx's workers run as www-data: give them a temporary directory they can write
    (large request bodies wait there) outside run_dir, whose parents they may not be allowed to enter."""
    if os.geteuid() != 0:
        temp = run_dir / "nginx-temp"
        temp.mkdir(exist_ok=True)
        return "", temp
    import pwd

    name = "www-data"
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        name, account = "nobody", pwd.getpwnam("nobody")
    temp = Path(tempfile.mkdtemp(prefix="events_app-nginx-"))
    os.chown(temp, account.pw_uid, account.pw_gid)
    return f"user {name};\n", temp


def _secret_key(run_dir: Path) -> str:
    path = run_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in the URL when it is missing."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("postgresql"):
        return
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{parsed.database}"')


def environment(args, run_dir: Path) -> dict:
    env = dict(os.environ)
    env.setdefault("APP_ENV", "production")
    env.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/events_app_prod")
    env.setdefault("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    env.setdefault("SECRET_KEY", _secret_key(run_dir))
    env.setdefault("BASE_URL", f"http://127.0.0.1:{args.port}")
    env.setdefault("PROXY_FIX", "1")
    env.setdefault("LOG_FORMAT", "json")
    env.setdefault("SESSION_COOKIE_SECURE", "false")  # plain HTTP on loopback only
    return env


def wait_ready(port: int, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("NGINX_PORT", "8080")))
    parser.add_argument("--app-ports", default=os.environ.get("APP_PORTS", "8001,8002"))
    parser.add_argument("--run-dir", type=Path, default=ROOT / "instance" / "run-prod")
    args = parser.parse_args()
    run_dir = args.run_dir.resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    app_ports = [int(p) for p in args.app_ports.split(",")]
    env = environment(args, run_dir)

    sink = None
    if not env.get("MAIL_SERVER"):
        from events_app.mail.sink import start_sink

        sink = start_sink(run_dir / "mail", port=int(env.get("MAIL_PORT") or 8025))
        env["MAIL_SERVER"], env["MAIL_PORT"] = sink.hostname, str(sink.port)
    _ensure_database(env["DATABASE_URL"])
    flask = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    parts: dict[str, subprocess.Popen] = {}
    logs = []

    def start(name: str, command: list[str], **extra) -> None:
        log = (run_dir / f"{name}.log").open("ab")
        logs.append(log)
        parts[name] = subprocess.Popen(command, cwd=ROOT, env={**env, **extra}, stdout=log, stderr=log)

    for port in app_ports:
        start(f"app-{port}", unit_command("events_app@.service", str(port)),
              GUNICORN_ACCESS_LOG=str(run_dir / f"app-{port}.access.log"), WEB_CONCURRENCY="2")
    start("mail", unit_command("events_app-mail.service"))
    start("jobs", unit_command("events_app-jobs.service"))
    # nginx only once every instance answers: an instance still booting would count as failed and be
    # taken out of the rotation for a while.
    booted = all(wait_ready(port) for port in app_ports)
    start("nginx", ["nginx", "-c", str(nginx_config(run_dir, args.port, app_ports)), "-g", "daemon off;"])

    stopping = {"now": False}

    def stop(*_):
        stopping["now"] = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    status = 0
    try:
        if not (booted and wait_ready(args.port)):
            print(f"not ready after 60 s: see the logs in {run_dir}", file=sys.stderr)
            return 1
        print(f"Serving on http://127.0.0.1:{args.port}/  (nginx -> gunicorn on {', '.join(map(str, app_ports))}; "
              f"mail worker; job runner; logs in {run_dir})", flush=True)
        print("Production refuses the demo. Make a user: APP_ENV=production DATABASE_URL=… SECRET_KEY=… "
              ".venv/bin/flask --app wsgi users create EMAIL --role admin", flush=True)
        while not stopping["now"]:
            ended = [name for name, process in parts.items() if process.poll() is not None]
            if ended:
                print(f"{', '.join(ended)} stopped: stopping everything (see {run_dir})", file=sys.stderr)
                status = 1
                break
            time.sleep(0.5)
    finally:
        for process in parts.values():
            if process.poll() is None:
                process.terminate()
        for process in parts.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()
        if sink is not None:
            sink.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
