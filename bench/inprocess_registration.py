"""Registration POST in-process: CPU ms and SQL statements per POST, the app against bench/bare_app.py.

No HTTP server and no load generator, so the figures hold on a shared machine better than
bench_registration.py's requests/s: in one process, the Flask test client POSTs unique registrations
to each server on a fresh PostgreSQL database of its own (production config as in the HTTP bench:
CSRF on, rate limit off, mail queued in the outbox): the app with an event with a capacity, one
without, one needing approval, and bench/bare_app.py. Batches of each take turns, so a busy moment
of the machine hits all alike, and each server's fastest batch is reported. CPU is this process's
(the app's Python work; PostgreSQL's own is not in it). --profile KIND prints cProfile's top
functions (CPU time) for each batch of that server.

    .venv/bin/python bench/inprocess_registration.py [--posts 300] [--batches 6] [--profile app-open]
"""
from __future__ import annotations

import argparse
import cProfile
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


def _prepare(kind: str, url: str) -> None:
    """The database of one kind: the bare table, or the app's schema and its event."""
    env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "production", "SECRET_KEY": "bench-setup",
           "PYTHONPATH": str(ROOT)}
    if kind == "bare":
        subprocess.run([sys.executable, "-c", "import bare_app; bare_app.create_tables()"], env=env,
                       cwd=ROOT / "bench", check=True)
        return
    flask = str(Path(sys.executable).parent / "flask")
    subprocess.run([flask, "--app", "wsgi", "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([flask, "--app", "wsgi", "events", "create", _slug(kind), "--title", "Bench", "--starts",
                    "2027-03-01", "--ends", "2027-03-03", *SETUP[kind]], env=env, cwd=ROOT, check=True,
                   capture_output=True)


def _slug(kind: str) -> str:
    return "bench-" + kind.removeprefix("app-")  # one per kind: the apps share this process's event cache


class Target:
    """One server in this process: its Flask app, test client, engine and statement counter."""

    def __init__(self, kind: str, url: str):
        self.kind, self.statements, self.sent = kind, 0, 0
        if kind == "bare":
            os.environ["DATABASE_URL"] = url
            import bare_app

            self.app, self.get_path, self.post_path = bare_app.app, "/", "/register"
            with self.app.app_context():
                self.engine = bare_app.db.engine
        else:
            from config import ProductionConfig, normalise_database_url
            from events_app import create_app
            from events_app.extensions import db

            config = type("BenchConfig", (ProductionConfig,), {
                "SQLALCHEMY_DATABASE_URI": normalise_database_url(url), "RATELIMIT_ENABLED": False,
                "MAIL_SEND_AFTER_COMMIT": False, "SESSION_COOKIE_SECURE": False})  # the test client speaks http
            self.app = create_app(config)
            self.get_path = self.post_path = f"/events/{_slug(kind)}/register"
            with self.app.app_context():
                self.engine = db.engine
        sa_event.listen(self.engine, "before_cursor_execute", self._count)
        self.client = self.app.test_client()
        match = CSRF_RE.search(self.client.get(self.get_path).get_data(as_text=True))
        self.csrf = match.group(1) if match else ""

    def _count(self, conn, cursor, sql, *rest):
        self.statements += 1
        if os.environ.get("BENCH_SHOW_SQL") and self.sent == 25:
            print(self.kind, "SQL:", " ".join(sql.split())[:160])

    def post(self, n: int) -> None:
        for _ in range(n):
            self.sent += 1
            response = self.client.post(self.post_path, data={"csrf_token": self.csrf, **_form(self.sent)})
            assert response.status_code == 302, response.get_data(as_text=True)[:500]


def measure(kinds, posts: int, batches: int, profile: str | None) -> list[dict]:
    """Batches of each kind in turn (so a busy moment hits all alike); the fastest batch of each counts."""
    os.environ.update({"APP_ENV": "production", "SECRET_KEY": "bench-" + uuid.uuid4().hex})
    names = {kind: f"bench_inproc_{kind.replace('-', '_')}_{os.getpid()}" for kind in kinds}
    try:
        targets = []
        for kind in kinds:
            subprocess.run(["createdb", *PG, names[kind]], check=True)
            url = f"postgresql://postgres@127.0.0.1:5432/{names[kind]}"
            _prepare(kind, url)
            targets.append(Target(kind, url))
        for target in targets:
            target.post(20)  # warm caches and connections
        best = {t.kind: (float("inf"), float("inf")) for t in targets}
        statements = {t.kind: 0 for t in targets}
        per_batch = max(posts // batches, 1)
        for _ in range(batches):
            for target in targets:
                profiler = cProfile.Profile(time.process_time) if target.kind == profile else None  # CPU only
                target.statements = 0
                cpu0, wall0 = time.process_time(), time.perf_counter()
                if profiler:
                    profiler.enable()
                target.post(per_batch)
                if profiler:
                    profiler.disable()
                    pstats.Stats(profiler).sort_stats("cumulative").print_stats(
                        int(os.environ.get("BENCH_TOP", "45")))
                cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
                best[target.kind] = (min(best[target.kind][0], cpu / per_batch), min(best[target.kind][1],
                                                                                    wall / per_batch))
                statements[target.kind] = target.statements / per_batch
        return [{"kind": k, "cpu_ms": best[k][0] * 1000, "wall_ms": best[k][1] * 1000,
                 "statements": statements[k]} for k in best]
    finally:
        for name in names.values():
            subprocess.run(["dropdb", *PG, "--if-exists", "--force", name], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300, help="per kind, in --batches batches")
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--kinds", nargs="*", default=list(KINDS), choices=KINDS)
    parser.add_argument("--profile", choices=KINDS, help="cProfile (CPU time) of each batch of this kind")
    args = parser.parse_args()
    results = measure(args.kinds, args.posts, args.batches, args.profile)
    bare = next((r for r in results if r["kind"] == "bare"), None)
    print(f"in-process, fastest of {args.batches} interleaved batches of {args.posts // args.batches} POSTs each "
          f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
    for r in results:
        ratio = f"  bare/app CPU {bare['cpu_ms'] / r['cpu_ms']:.2f}x" if bare else ""
        print(f"{r['kind']:12}: CPU {r['cpu_ms']:6.2f} ms/POST  wall {r['wall_ms']:6.2f} ms/POST  "
              f"{r['statements']:.1f} SQL statements/POST{ratio}")


if __name__ == "__main__":
    main()
