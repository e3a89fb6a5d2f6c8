"""Mail benchmark: what queueing a confirmation costs in the request, and what the worker delivers per second.

On a fresh PostgreSQL database (migrated), in-process: N registrations (names in several scripts, the
delegates' languages mixed) of an event that needs approval (so no attachments: the figures are the
email's own cost); then

- queue: `mail.messages.registration_received(registration)` N times, each call timed (wall and CPU),
  inside one transaction committed at the end, as the registration POST calls it;
- worker: `deliver_due()` (what `flask mail send` runs) over those N messages to a local aiosmtpd sink
  (a separate process that accepts and discards), timed as a whole: messages per second.

    .venv/bin/python bench/bench_mail.py --postgres postgresql://postgres@127.0.0.1:5432/DB [--count 300]

The database is emptied (every table dropped) and migrated first: give it a database of its own.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NAMES = [("សុខ ចាន់ធី", "km", "KH"), ("สมชาย ใจดี", "th", "TH"), ("Nguyễn Thị Hương", "vi", "VN"),
         ("အောင်မြင့်ထွန်း", "my", "MM"), ("李明华", "zh_Hans", "CN"), ("Mary Santos", "en", "PH")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_app(url: str, port: int):
    from config import TestingConfig
    from events_app import create_app

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        MAIL_SERVER = "127.0.0.1"
        MAIL_PORT = port
        MAIL_SEND_AFTER_COMMIT = False
        MAIL_SUPPRESS_SEND = False
        MAIL_DEFAULT_SENDER = "Bench <events@bench.example>"

    return create_app(Config)


def reset(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def run(args) -> dict:
    import flask_migrate

    from events_app.events.services import create_event
    from events_app.extensions import db
    from events_app.mail import messages
    from events_app.mail.sender import deliver_due
    from events_app.registration import services

    url = args.postgres.replace("postgresql://", "postgresql+psycopg://", 1)
    reset(url)
    port = free_port()
    sink = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                             "-c", "aiosmtpd.handlers.Sink"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        app = make_app(url, port)
        with app.app_context():
            flask_migrate.upgrade(directory=str(ROOT / "migrations"))
            event = create_event("bench-mail", title="Regional Symposium on Labour Migration",
                                 starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 3), approval_required=True)
            event.venue, event.city, event.country = "UN Conference Centre", "Bangkok", "TH"
            registrations = []
            for i in range(args.count):
                name, locale, country = NAMES[i % len(NAMES)]
                data = {"full_name": f"{name} {i}", "name_latin": "", "email": f"bench-{i}@example.org",
                        "organisation": "Mekong Migration Network", "stakeholder_group": "ngo",
                        "country": country, "data_consent": True, "locale": locale}
                registrations.append(services.register(event, data, notify=False).registration)
            db.session.commit()
            for registration in registrations:  # loaded, as the request has them
                registration.event  # noqa: B018
            wall, cpu = [], []
            for registration in registrations:
                w0, c0 = time.perf_counter(), time.process_time()
                messages.registration_received(registration)
                wall.append(time.perf_counter() - w0)
                cpu.append(time.process_time() - c0)
            db.session.commit()
            db.session.remove()

            _wait_for(port)
            claiming = _time_claims()
            w0, c0 = time.perf_counter(), time.process_time()
            report = deliver_due()
            worker_wall, worker_cpu = time.perf_counter() - w0, time.process_time() - c0
    finally:
        sink.terminate()
        sink.wait()
    return {"count": args.count, "queue_ms": statistics.median(wall) * 1000,
            "queue_mean_ms": statistics.fmean(wall) * 1000, "queue_cpu_ms": statistics.fmean(cpu) * 1000,
            "sent": len(report.sent),
            "per_second": len(report.sent) / worker_wall, "worker_cpu_ms": worker_cpu * 1000 / max(len(report.sent), 1),
            "claim_ms": claiming[0] * 1000 / max(len(report.sent), 1),
            "claim_cpu_ms": claiming[1] * 1000 / max(len(report.sent), 1)}


def _time_claims() -> list[float]:
    """Wrap the sender's claim (where the worker now writes the messages) to add up its wall and CPU time."""
    from events_app.mail import sender

    spent, claim = [0.0, 0.0], sender.claim

    def timed(**kwargs):
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            return claim(**kwargs)
        finally:
            spent[0] += time.perf_counter() - w0
            spent[1] += time.process_time() - c0

    sender.claim = timed
    return spent


def _wait_for(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the SMTP sink did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, help="a PostgreSQL URL of a database of its own (emptied)")
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    r = run(args)
    print(f"machine: {os.cpu_count()} cores; {r['count']} registration_received calls")
    print(f"queue: median {r['queue_ms']:.2f} ms, mean {r['queue_mean_ms']:.2f} ms, "
          f"CPU {r['queue_cpu_ms']:.2f} ms a call")
    print(f"worker: {r['sent']} sent, {r['per_second']:.1f} messages/s, CPU {r['worker_cpu_ms']:.2f} ms a message; "
          f"claiming {r['claim_ms']:.2f} ms (CPU {r['claim_cpu_ms']:.2f} ms) a message")


if __name__ == "__main__":
    main()
