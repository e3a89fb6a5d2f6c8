"""Registration POST in-process: CPU ms and SQL statements per POST, the app against bench/bare_app.py.

No HTTP server and no load generator, so the figures hold on a shared machine better than
bench_registration.py's requests/s: the Flask test client POSTs N unique registrations one after
the other on a fresh PostgreSQL database each (APP_ENV=production as in the HTTP bench: CSRF on,
rate limit off, mail queued in the outbox), for an event with a capacity, one without, one needing
approval, and for the bare insert. CPU is this process's (the app's Python work; PostgreSQL's own
is not in it). --profile KIND prints cProfile's top functions for that server.

    .venv/bin/python bench/inprocess_registration.py [--posts 300] [--profile app-open]
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import event as sa_event

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
KINDS = ("bare", "app-capacity", "app-open", "app-approval")
SETUP = {"app-capacity": ["--capacity", "100000"], "app-open": [], "app-approval": ["--approval"]}


def _form(i: int) -> dict:
    key = uuid.uuid4().hex
    return {"submission_key": key, "locale": "en", "code": "", "full_name": f"Bench Delegate {i}",
            "email": f"b-{i}-{key[:8]}@example.org", "organisation": "Bench Org",
            "stakeholder_group": "ngo", "country": "TH", "data_consent": "y"}


def _app(kind: str, url: str):
    """The Flask app (and its SQLAlchemy engine) for one kind, its database ready."""
    env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "production", "SECRET_KEY": "bench-" + uuid.uuid4().hex,
           "RATELIMIT_ENABLED": "false", "MAIL_SEND_AFTER_COMMIT": "false", "PYTHONPATH": str(ROOT)}
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "APP_ENV", "SECRET_KEY", "RATELIMIT_ENABLED",
                                            "MAIL_SEND_AFTER_COMMIT")})
    os.environ["SESSION_COOKIE_SECURE"] = "false"  # the test client speaks http
    if kind == "bare":
        import bare_app

        bare_app.create_tables()
        with bare_app.app.app_context():
            return bare_app.app, bare_app.db.engine, "/", "/register"
    flask = str(Path(sys.executable).parent / "flask")
    subprocess.run([flask, "--app", "wsgi", "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([flask, "--app", "wsgi", "events", "create", "bench-event", "--title", "Bench", "--starts",
                    "2027-03-01", "--ends", "2027-03-03", *SETUP[kind]], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    from events_app import create_app
    from events_app.extensions import db

    app = create_app()
    with app.app_context():
        return app, db.engine, "/events/bench-event/register", "/events/bench-event/register"


def measure(kind: str, posts: int, profile: bool) -> dict:
    name = f"bench_inproc_{kind.replace('-', '_')}_{os.getpid()}"
    subprocess.run(["createdb", *PG, name], check=True)
    try:
        app, engine, get_path, post_path = _app(kind, f"postgresql://postgres@127.0.0.1:5432/{name}")
        statements, shown = [0], []

        def count(conn, cursor, sql, *rest):
            statements[0] += 1
            if len(shown) < 20 and os.environ.get("BENCH_SHOW_SQL"):
                shown.append(sql)
                print("SQL:", " ".join(sql.split())[:160])
        sa_event.listen(engine, "before_cursor_execute", count)
        client = app.test_client()
        html = client.get(get_path).get_data(as_text=True)
        match = CSRF_RE.search(html)
        csrf = match.group(1) if match else ""
        for i in range(20):  # warm caches and connections
            assert client.post(post_path, data={"csrf_token": csrf, **_form(-i - 1)}).status_code == 302
        bodies = [{"csrf_token": csrf, **_form(i)} for i in range(posts)]
        statements[0] = 0
        profiler = cProfile.Profile(time.process_time) if profile else None  # CPU, not waits
        cpu0, wall0 = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        for body in bodies:
            response = client.post(post_path, data=body)
            assert response.status_code == 302, response.get_data(as_text=True)[:500]
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        engine.dispose()
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(int(os.environ.get("BENCH_TOP", "45")))
        return {"kind": kind, "cpu_ms": cpu / posts * 1000, "wall_ms": wall / posts * 1000,
                "statements": statements[0] / posts}
    finally:
        subprocess.run(["dropdb", *PG, "--if-exists", "--force", name], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--kinds", nargs="*", default=list(KINDS), choices=KINDS)
    parser.add_argument("--profile", choices=KINDS)
    parser.add_argument("--one", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:  # a process of its own per kind: config.py reads DATABASE_URL once, on import
        print("RESULT " + json.dumps(measure(args.one, args.posts, args.profile == args.one)))
        return
    results = []
    for kind in args.kinds:
        command = [sys.executable, __file__, "--one", kind, "--posts", str(args.posts)]
        command += ["--profile", args.profile] if args.profile else []
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        print("\n".join(line for line in out.splitlines() if not line.startswith("RESULT ")))
        results.append(json.loads(out.rsplit("RESULT ", 1)[1]))
    bare = next((r for r in results if r["kind"] == "bare"), None)
    for r in results:
        ratio = f"  bare/app CPU {bare['cpu_ms'] / r['cpu_ms']:.2f}x" if bare else ""
        print(f"{r['kind']:12}: CPU {r['cpu_ms']:6.2f} ms/POST  wall {r['wall_ms']:6.2f} ms/POST  "
              f"{r['statements']:.1f} SQL statements/POST{ratio}")


if __name__ == "__main__":
    main()
