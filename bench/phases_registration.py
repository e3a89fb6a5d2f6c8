"""Registration POST phase by phase: CPU us per POST of each phase, the app's open event against bench/bare_app.py.

In one process, as bench/inprocess_registration.py (its databases, servers and test client): each phase is a
function wrapped with time.process_time, counted exclusive of the wrapped phases it calls, so the phases add up
to the request. Batches of the app and bare take turns; each phase's median over the batches is printed, with
the request's total, the test client's share (building the environ and reading the response: an HTTP server
does its own instead) and, from batches without the wrappers, the uninstrumented CPU per POST (the wrappers'
own cost is the difference).

    .venv/bin/python bench/phases_registration.py [--posts 100] [--batches 7] [--kind app-open]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import inprocess_registration as inproc  # noqa: E402


class Phases:
    """Exclusive CPU time per phase: a wrapped call's time less that of the wrapped calls inside it."""

    def __init__(self):
        self.totals: dict[str, float] = defaultdict(float)
        self.stack: list[float] = []
        self.active = False
        self._undo: list = []

    def timed(self, phase: str, original):
        def timed(*args, **kwargs):
            if not self.active:
                return original(*args, **kwargs)
            self.stack.append(0.0)
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                elapsed = time.process_time() - start
                self.totals[phase] += elapsed - self.stack.pop()
                if self.stack:
                    self.stack[-1] += elapsed
        timed.__wrapped__ = original
        return timed

    def wrap(self, owner, attr: str, phase: str) -> None:
        original = owner.__dict__[attr] if isinstance(owner, type) else getattr(owner, attr)
        if isinstance(original, classmethod):
            setattr(owner, attr, classmethod(self.timed(phase, original.__func__)))
        else:
            setattr(owner, attr, self.timed(phase, original))
        self._undo.append((owner, attr, original))

    def wrap_list(self, funcs: list, prefix: str) -> None:
        for i, func in enumerate(funcs):
            funcs[i] = self.timed(f"{prefix}{getattr(func, '__name__', func)}", func)

    def take(self) -> dict[str, float]:
        totals, self.totals = dict(self.totals), defaultdict(float)
        return totals


def _common(phases: Phases, app) -> None:
    """Phases both servers have: Flask's dispatch, the session cookie, the form body, SQL, commit, teardown."""
    import psycopg
    from flask.sessions import SecureCookieSessionInterface
    from flask.wrappers import Request
    from sqlalchemy.engine.cursor import CursorResult
    from sqlalchemy.engine.default import DefaultExecutionContext
    from sqlalchemy.orm import Session
    from sqlalchemy.pool.base import _ConnectionFairy
    from sqlalchemy.sql.cache_key import HasCacheKey

    phases.wrap(type(app), "wsgi_app", "Flask/Werkzeug: request context, routing, dispatch (rest)")
    phases.wrap(SecureCookieSessionInterface, "open_session", "session cookie: load (itsdangerous)")
    phases.wrap(SecureCookieSessionInterface, "save_session", "session cookie: save")
    phases.wrap(Request, "_load_form_data", "form body parsing (Werkzeug)")
    phases.wrap(Session, "execute", "SQLAlchemy execute (cached compile, params, result rows)")
    phases.wrap(HasCacheKey, "_generate_cache_key", "SQLAlchemy: statement cache key (compiled-cache lookup)")
    phases.wrap(DefaultExecutionContext, "_init_compiled", "SQLAlchemy: execution context, bind processing")
    phases.wrap(CursorResult, "__init__", "SQLAlchemy: result set-up (column descriptions)")
    phases.wrap(Session, "flush", "SQLAlchemy ORM flush (unit of work)")
    phases.wrap(Session, "commit", "SQLAlchemy commit (incl. psycopg COMMIT)")
    phases.wrap(Session, "close", "session close / connection back to the pool")
    phases.wrap(_ConnectionFairy, "_checkout", "pool checkout + pre_ping SELECT 1")
    phases.wrap(psycopg.Cursor, "execute", "psycopg execute (send, parse result)")
    app.teardown_appcontext_funcs[:] = [phases.timed("teardown: scoped session remove", f)
                                        for f in app.teardown_appcontext_funcs]


def instrument_app(phases: Phases, app) -> None:
    """The app's own phases: every hook by name, the view's steps, the event cache, the checker, SQL, outbox."""
    import flask_babel

    from events_app.mail import messages
    from events_app.registration import rows, services, views

    _common(phases, app)
    for funcs in app.before_request_funcs.values():
        phases.wrap_list(funcs, "before_request: ")
    for funcs in app.after_request_funcs.values():
        phases.wrap_list(funcs, "after_request: ")
    endpoint = "registration.register"
    app.view_functions[endpoint] = phases.timed("view: limiter decorator + register() (rest)",
                                                app.view_functions[endpoint])
    babel = app.extensions["babel"]
    babel.locale_selector = phases.timed("Babel locale selection (_select_locale)", babel.locale_selector)
    phases.wrap(flask_babel, "get_locale", "Babel get_locale (cached on g after the first)")
    phases.wrap(views, "redirect", "redirect response")
    phases.wrap(views, "url_for", "url_for (confirmation URL)")
    phases.wrap(views, "cached_event", "event cache: merge the cached event into the session")
    phases.wrap(views, "check_delegate", "checker: the form's rules on request.form")
    phases.wrap(views, "_post_with_cached_event", "view: _post_with_cached_event (rest)")
    phases.wrap(views, "_registered", "view: _registered (rest)")
    phases.wrap(services, "register_online", "service: register_online (rest)")
    phases.wrap(services, "_look_up", "SQL 1 (lookup+version+nextval): Python around it")
    phases.wrap(services, "register", "service: register (Registration object, fields, history)")
    phases.wrap(rows, "insert_new", "SQL 2 (INSERT CTE: registration+history+outbox): params")
    phases.wrap(rows, "keep", "keep the new rows in the session (make_transient_to_detached, add)")
    phases.wrap(messages, "registration_received", "outbox row: the message object (mail)")


def instrument_bare(phases: Phases, app) -> None:
    """bare_app's: the same common phases, and its view."""
    import bare_app

    _common(phases, app)
    phases.wrap(bare_app, "redirect", "redirect response")
    app.view_functions["register"] = phases.timed("view: register() (Row object, session.add)",
                                                  app.view_functions["register"])


def run(kind: str, posts: int, batches: int) -> None:
    os.environ.update({"APP_ENV": "production", "SECRET_KEY": "bench-" + uuid.uuid4().hex})
    kinds = ("bare", kind)
    names = {k: f"bench_phases_{k.replace('-', '_')}_{os.getpid()}" for k in kinds}
    try:
        targets = {}
        for k in kinds:
            subprocess.run(["createdb", *inproc.PG, names[k]], check=True)
            url = f"postgresql://postgres@127.0.0.1:5432/{names[k]}"
            inproc._prepare(k, url)
            targets[k] = inproc.Target(k, url)
        phase_sets = {k: Phases() for k in kinds}
        instrument_bare(phase_sets["bare"], targets["bare"].app)
        instrument_app(phase_sets[kind], targets[kind].app)
        for target in targets.values():
            target.post(30)  # warm
        per_phase = {k: defaultdict(list) for k in kinds}
        plain = {k: [] for k in kinds}
        for _ in range(batches):
            for k in kinds:
                target, phases = targets[k], phase_sets[k]
                start = time.process_time()
                target.post(posts)
                plain[k].append((time.process_time() - start) / posts)
                phases.active = True
                wsgi = phases.timed("WSGI app (inclusive)", target.app.wsgi_app)
                target.app.wsgi_app = wsgi
                start = time.process_time()
                target.post(posts)
                total = (time.process_time() - start) / posts
                target.app.wsgi_app = wsgi.__wrapped__
                phases.active = False
                got = phases.take()
                inside = sum(got.values()) / posts  # the phases add up to the WSGI call
                got.pop("WSGI app (inclusive)", None)  # its own exclusive share: the wrappers' calls only
                for name in set(per_phase[k]) | set(got):
                    per_phase[k][name].append(got.get(name, 0.0) / posts)
                per_phase[k]["= server total (WSGI app, instrumented)"].append(
                    sum(got.values()) / posts)
                per_phase[k]["test client (environ, response; not server)"].append(total - inside)
        _print(kind, per_phase, plain)
    finally:
        for name in names.values():
            subprocess.run(["dropdb", *inproc.PG, "--if-exists", "--force", name], capture_output=True)


def _print(kind: str, per_phase: dict, plain: dict) -> None:
    us = {k: {name: statistics.median(values) * 1e6 for name, values in phases.items()}
          for k, phases in per_phase.items()}
    app, bare = us[kind], us["bare"]
    names = sorted(set(app) | set(bare), key=lambda n: (n.startswith(("=", "test client")), -app.get(n, 0.0)))
    print(f"phase | {kind} CPU us | bare CPU us | gap us   (medians; load {os.getloadavg()[0]:.2f})")
    for name in names:
        a, b = app.get(name, 0.0), bare.get(name, 0.0)
        print(f"{name} | {a:7.0f} | {b:7.0f} | {a - b:+7.0f}")
    print(f"uninstrumented CPU per POST (test client included): {kind} "
          f"{statistics.median(plain[kind]) * 1e6:.0f} us, bare {statistics.median(plain['bare']) * 1e6:.0f} us")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100, help="POSTs per batch")
    parser.add_argument("--batches", type=int, default=7)
    parser.add_argument("--kind", default="app-open", choices=inproc.KINDS[1:])
    args = parser.parse_args()
    run(args.kind, args.posts, args.batches)


if __name__ == "__main__":
    main()
