"""Mail fixtures: a real SMTP server (aiosmtpd) on a free port, misbehaving servers, mail settings."""
import asyncio
import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    """One message as the SMTP server received it."""

    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()

    def attachment(self, content_type: str):
        for part in self.message.iter_attachments():
            if part.get_content_type() == content_type:
                return part
        return None


class RecordingHandler:
    """Accepts mail and keeps it; `replies` are answered to the first DATA commands instead of 250."""

    def __init__(self, replies=(), delay: float = 0.0):
        self.replies = list(replies)
        self.delay = delay
        self.received: list[Received] = []
        self.refused = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.replies:
                self.refused += 1
                return self.replies.pop(0)
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@dataclass
class SMTPServer:
    """A real SMTP server for a test; start() and stop() it to simulate an outage."""

    port: int
    handler: RecordingHandler = field(default_factory=RecordingHandler)
    controller: Controller | None = None

    def start(self) -> "SMTPServer":
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


@pytest.fixture()
def mail_settings(app):
    """Mail configuration for one test (a free port, a short timeout, immediate retries); restored after."""
    saved = dict(app.config)
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=free_port(),
        MAIL_TIMEOUT=1.0,
        MAIL_USE_TLS=False,
        MAIL_USE_SSL=False,
        MAIL_USERNAME=None,
        MAIL_PASSWORD=None,
        MAIL_DEFAULT_SENDER="Mekong Events <events@mekong.test>",
        MAIL_REPLY_TO="secretariat@mekong.test",
        MAIL_SUPPRESS_SEND=False,
        MAIL_SEND_AFTER_COMMIT=False,
        MAIL_RETRY_BASE_SECONDS=60,
        MAIL_MAX_ATTEMPTS=5,
    )
    yield app.config
    app.config.clear()
    app.config.update(saved)


@pytest.fixture()
def smtp_server(mail_settings):
    """A running SMTP server that accepts every message (port: MAIL_PORT)."""
    server = SMTPServer(port=mail_settings["MAIL_PORT"]).start()
    yield server
    server.stop()


@pytest.fixture()
def stopped_smtp_server(mail_settings):
    """An SMTP server on MAIL_PORT that is not running yet: start() it when the test wants."""
    server = SMTPServer(port=mail_settings["MAIL_PORT"])
    yield server
    server.stop()


@pytest.fixture()
def silent_server(mail_settings):
    """A TCP server on MAIL_PORT that accepts connections and never says a word."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", mail_settings["MAIL_PORT"]))
    listener.listen()
    listener.settimeout(0.2)
    accepted, stop = [], threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            accepted.append(Held(conn))  # held open, never answered

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield accepted
    stop.set()
    thread.join(2)
    for held in accepted:
        held.conn.close()
    listener.close()


class Held:
    """A connection the silent server accepted, and how long the client kept it open before closing it: the
    client's own wait, measured apart from the time it spends working (which a loaded machine stretches)."""

    def __init__(self, conn):
        self.conn, self.opened, self.seconds = conn, time.monotonic(), None
        threading.Thread(target=self._until_closed, daemon=True).start()

    def _until_closed(self):
        try:
            while self.conn.recv(1024):
                pass
        except OSError:
            pass
        self.seconds = time.monotonic() - self.opened


def poll_until(condition, timeout: float = 5.0) -> bool:
    """Poll `condition` until it is true or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return bool(condition())


@pytest.fixture()
def wait_until():
    """poll_until(condition, timeout): wait for something another thread does."""
    return poll_until


@pytest.fixture()
def register(make_registration):
    """Register a delegate through the registration service with its emails on (as the form does)."""

    def factory(event, **fields):
        return make_registration(event, notify=True, **fields)

    return factory


@pytest.fixture()
def symposium(make_event):
    """A three-day symposium in Bangkok with a venue and a contact address."""
    from datetime import date, timedelta

    starts = date.today() + timedelta(days=40)
    return make_event(slug="mekong-symposium", title="Regional Symposium on Labour Migration",
                      starts_on=starts, ends_on=starts + timedelta(days=2), venue="UN Conference Centre",
                      city="Bangkok", country="TH", timezone="Asia/Bangkok", contact_email="info@mekong.test")


def invite(event, *, email: str = "invitee@example.org", full_name: str = "Daw Aye Aye"):
    """An invitation to an invitation-only event, added to the session (as the invitations service does)."""
    from events_app.extensions import db
    from events_app.registration.models import Invitation

    invitation = Invitation(event_id=event.id, event=event, email=email, full_name=full_name)
    db.session.add(invitation)
    db.session.flush()
    return invitation
