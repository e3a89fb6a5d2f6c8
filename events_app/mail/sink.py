"""A local SMTP sink for development: every message it receives becomes one .eml file in a folder.

`make run` starts it beside the app (scripts/serve_dev.py) so that a newcomer can read the mail the
app sends, in instance/mail/, without a mail server. Development only: it accepts mail for anyone.
"""
import secrets
import socket
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.controller import Controller


class FolderHandler:
    """aiosmtpd handler that writes each message, as received, to `<folder>/<time>-<random>.eml`."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        name = f"{datetime.now(UTC):%Y%m%d-%H%M%S-%f}-{secrets.token_hex(3)}.eml"
        partial = self.folder / f".{name}.part"
        partial.write_bytes(envelope.original_content or envelope.content)
        partial.rename(self.folder / name)  # a reader never sees half a message
        return "250 Message accepted for delivery"


def start_sink(folder: Path, *, host: str = "127.0.0.1", port: int = 8025) -> Controller:
    """Start the sink in a thread on host:port (a free port when that one is taken); stop() it when done."""
    if not _port_is_free(host, port):
        port = _free_port(host)
    controller = Controller(FolderHandler(folder), hostname=host, port=port)
    controller.start()
    return controller


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]
