"""Registration POST benchmark: the app on gunicorn + PostgreSQL against a bare Flask-SQLAlchemy insert.

Both servers run the same way (gunicorn, 4 sync workers, 127.0.0.1, a free port, a fresh PostgreSQL
database each) and take the same load: 20 concurrent clients (2 processes x 10 threads, http.client),
each GETs the form once (session cookie + csrf_token), then POSTs registrations back to back (unique
email and submission_key each) and expects 302. 3 s warm-up, then 15 s measured. Prints requests/s,
p50, p99 for each and the ratio app/bare for an event with a capacity, one without and one needing
approval (all three in every round; --rounds N repeats and gives medians); any non-302 answer fails
the run. With --results the figures, with the machine, are appended to bench/RESULTS.md
(replacing an earlier section of ours where it stands).

    .venv/bin/python bench/bench_registration.py [--duration 15] [--warmup 3] [--results bench/RESULTS.md]

The load generator shares the 2 cores with the servers and PostgreSQL: compare ratios, not seconds.
"""
from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
APPS = ("app-capacity", "app-open", "app-approval")
HEADING = "## Registration POST (gunicorn 4 sync workers + PostgreSQL, 20 concurrent clients)"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sh(args: list[str], env: dict | None = None, cwd: Path = ROOT) -> None:
    out = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")


# --- load generator (runs in child processes) -------------------------------------------------

def _client(port: int, get_path: str, post_path: str, tag: str, warm_end: float, end: float,
            out: dict) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    cookie = ""

    def take_cookie(resp):
        nonlocal cookie
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                cookie = value.split(";", 1)[0]

    conn.request("GET", get_path)
    resp = conn.getresponse()
    html = resp.read().decode()
    take_cookie(resp)
    if resp.status != 200:
        out["errors"].append(f"GET {get_path}: {resp.status}")
        return
    m = CSRF_RE.search(html)
    csrf = (m.group(1) or m.group(2)) if m else ""
    i = 0
    while True:
        start = time.perf_counter()
        if start >= end:
            break
        i += 1
        key = uuid.uuid4().hex
        body = urlencode({
            "csrf_token": csrf, "submission_key": key, "locale": "en", "code": "",
            "full_name": f"Bench Delegate {tag} {i}", "email": f"b-{tag}-{i}-{key[:8]}@example.org",
            "organisation": "Bench Org", "stakeholder_group": "ngo", "country": "TH", "data_consent": "y",
        })
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if cookie:
            headers["Cookie"] = cookie
        try:
            conn.request("POST", post_path, body, headers)
            resp = conn.getresponse()
            text = resp.read()
            take_cookie(resp)
            status = resp.status
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            status, text = 0, repr(exc).encode()
        done = time.perf_counter()
        if status != 302:
            if len(out["errors"]) < 5:
                out["errors"].append(f"POST {status}: {text[:300]!r}")
            else:
                out["errors"].append(str(status))
        elif warm_end <= start and done <= end:
            out["latencies"].append(done - start)
    conn.close()


def _load_process(args) -> dict:
    port, get_path, post_path, threads, warm_end, end, proc = args
    out = {"latencies": [], "errors": []}
    cpu0 = time.process_time()
    workers = [threading.Thread(target=_client, args=(port, get_path, post_path, f"{proc}-{t}",
                                                      warm_end, end, out)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out["cpu"] = time.process_time() - cpu0
    return out


def load(port: int, get_path: str, post_path: str, clients: int, procs: int, warmup: float,
         duration: float) -> dict:
    start = time.perf_counter() + 0.5  # perf_counter is system-wide (CLOCK_MONOTONIC) on Linux
    warm_end, end = start + warmup, start + warmup + duration
    per = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    with multiprocessing.get_context("fork").Pool(procs) as pool:
        parts = pool.map(_load_process, [(port, get_path, post_path, n, warm_end, end, i)
                                         for i, n in enumerate(per)])
    lat = sorted(x for p in parts for x in p["latencies"])
    errors = [e for p in parts for e in p["errors"]]
    q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else [float("nan")] * 99
    return {"requests": len(lat), "rps": len(lat) / duration, "p50_ms": q[49] * 1000,
            "p99_ms": q[98] * 1000, "max_ms": (lat[-1] * 1000) if lat else float("nan"),
            "errors": errors, "loadgen_cpu_s": sum(p["cpu"] for p in parts)}


# --- servers ----------------------------------------------------------------------------------

class Server:
    """A fresh database and gunicorn on it; torn down (processes and database) on exit."""

    def __init__(self, kind: str, workers: int):
        # kind: "bare", or "app-capacity" / "app-open" / "app-approval" (the event's set-up)
        self.kind, self.workers = kind, workers
        self.db = f"bench_{kind.replace('-', '_')}_{os.getpid()}"
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.created = False
        url = f"postgresql://postgres@127.0.0.1:5432/{self.db}"
        self.env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "production",
                    "SECRET_KEY": "bench-" + uuid.uuid4().hex, "RATELIMIT_ENABLED": "false",
                    "MAIL_SEND_AFTER_COMMIT": "false", "PYTHONPATH": str(ROOT)}
        self.log = Path(f"/tmp/{self.db}.gunicorn.log")

    def __enter__(self):
        sh(["createdb", *PG, self.db])
        self.created = True
        if self.kind.startswith("app"):
            flask = str(VENV_BIN / "flask")
            sh([flask, "--app", "wsgi", "db", "upgrade"], env=self.env)
            setup = {"app-capacity": ["--capacity", "100000"], "app-open": [],
                     "app-approval": ["--approval"]}[self.kind]
            sh([flask, "--app", "wsgi", "events", "create", "bench-event", "--title", "Bench",
                "--starts", "2027-03-01", "--ends", "2027-03-03", *setup], env=self.env)
            target, chdir = "wsgi:app", ROOT
            self.get_path, self.post_path = "/events/bench-event/register", "/events/bench-event/register"
        else:
            sh([sys.executable, "-c", "import bare_app; bare_app.create_tables()"], env=self.env, cwd=ROOT / "bench")
            target, chdir = "bare_app:app", ROOT / "bench"
            self.get_path, self.post_path = "/", "/register"
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-w", str(self.workers), "-k", "sync", "-b", f"127.0.0.1:{self.port}",
             "--error-logfile", str(self.log), target],
            cwd=chdir, env=self.env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn ({self.kind}) exited: see {self.log}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", self.get_path)
                if c.getresponse().status == 200:
                    c.close()
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn ({self.kind}) did not answer in 30 s: see {self.log}")

    def rows(self) -> int:
        table = "registrations" if self.kind.startswith("app") else "bare_rows"
        query = f"SELECT count(*) FROM {table}"  # noqa: S608 (one of two fixed table names)
        out = subprocess.run(["psql", *PG, "-d", self.db, "-tAc", query],
                             capture_output=True, text=True)
        return int(out.stdout.strip() or -1)

    def __exit__(self, *exc):
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # our own session: the master and its workers
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        if self.created:
            subprocess.run(["dropdb", *PG, "--if-exists", "--force", self.db], capture_output=True)
        return False


def run(kind: str, args) -> dict:
    with Server(kind, args.workers) as server:
        result = load(server.port, server.get_path, server.post_path, args.clients, args.procs,
                      args.warmup, args.duration)
        result["rows"] = server.rows()
    result["kind"] = kind
    print(f"{kind:12}: {result['rps']:7.1f} req/s  p50 {result['p50_ms']:6.1f} ms  p99 {result['p99_ms']:6.1f} ms  "
          f"max {result['max_ms']:6.1f} ms  ({result['requests']} measured, {result['rows']} rows, "
          f"{len(result['errors'])} errors, load generator {result['loadgen_cpu_s']:.1f} s CPU)", flush=True)
    return result


def machine() -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    pg = subprocess.run(["psql", *PG, "-tAc", "SHOW server_version"], capture_output=True, text=True).stdout.strip()
    import platform
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "postgres": pg}


def ratio_line(bare: dict, app: dict) -> str:
    return (f"{app['kind']}/bare requests/s = {app['rps'] / bare['rps']:.2f}x (target >= 0.6x); "
            f"p99 {app['p99_ms']:.0f} ms (target <= 100 ms)")


def write_results(path: Path, rounds: list[list[dict]], args, load_before, load_after) -> None:
    m = machine()
    rows, lines = [], []
    for n, (bare, *apps) in enumerate(rounds, 1):
        for r in (bare, *apps):
            rows.append(f"| {n} | {r['kind']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | "
                        f"{r['max_ms']:.0f} | {r['requests']:,} | {len(r['errors'])} |")
        lines.append(f"round {n}: " + "; ".join(ratio_line(bare, app) for app in apps))
    for kind in APPS:
        ratios = sorted(r[APPS.index(kind) + 1]["rps"] / r[0]["rps"] for r in rounds)
        p99s = sorted(r[APPS.index(kind) + 1]["p99_ms"] for r in rounds)
        lines.append(f"median over {len(rounds)} round(s), {kind}: {statistics.median(ratios):.2f}x the bare insert, "
                     f"p99 {statistics.median(p99s):.0f} ms")
    section = f"""{HEADING}

Written by `bench/bench_registration.py --results bench/RESULTS.md`. Machine: {m['nproc']} cores, {m['cpu']};
Python {m['python']}; PostgreSQL {m['postgres']}.

App = `POST /events/bench-event/register` on an event with a capacity (app-capacity), with none
(app-open) and needing approval (app-approval), each in every round (APP_ENV=production, CSRF on,
rate limit off, mail queued in the outbox, not sent);
bare = `bench/bare_app.py` (Flask + Flask-SQLAlchemy, one INSERT from a form POST).
Each on a fresh database, gunicorn {args.workers} sync workers. Load: {args.clients} concurrent clients
({args.procs} Python processes x threads, http.client; each GETs the form once, then POSTs unique
registrations with its session's CSRF token, expecting 302), {args.warmup:g} s warm-up then
{args.duration:g} s measured. **The load generator runs on the same {m['nproc']} cores** as gunicorn and
PostgreSQL and takes CPU from both servers alike (its CPU time is in the console output); compare
the ratio, not the absolute figures (PERFORMANCE.md's bare figure, 787 req/s, was taken with wrk).

| round | server | req/s | p50 ms | p99 ms | max ms | requests | errors |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

""" + "\n".join(f"- {line}" for line in lines) + \
        f"\n- load average (1 min) before/after: {load_before:.2f} / {load_after:.2f} on {m['nproc']} cores\n"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    start = text.find(HEADING)
    if start >= 0:  # replace our earlier section where it stands (beside its hand-written notes)
        nxt = text.find("\n## ", start + len(HEADING))
        text = text[:start] + section + (text[nxt:] if nxt >= 0 else "")
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text)
    print(f"wrote {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--procs", type=int, default=2, help="load generator processes")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--rounds", type=int, default=1, help="bare then the three apps, this many times")
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the cleanups on kill too

    load_before = os.getloadavg()[0]
    rounds = []
    for _ in range(args.rounds):
        bare = run("bare", args)
        apps = [run(kind, args) for kind in APPS]
        rounds.append([bare, *apps])
        for app in apps:
            print(ratio_line(bare, app), flush=True)
    load_after = os.getloadavg()[0]
    print(f"load average (1 min) before/after: {load_before:.2f} / {load_after:.2f} on {os.cpu_count()} cores")
    failed = [(r["kind"], r["errors"]) for pair in rounds for r in pair if r["errors"]]
    if failed:
        for kind, errors in failed:
            print(f"ERROR {kind}: {len(errors)} non-302 answers; first: {errors[:5]}", file=sys.stderr)
        sys.exit(1)
    if args.results:
        write_results(args.results, rounds, args, load_before, load_after)


if __name__ == "__main__":
    main()
