"""Delegate tables uploaded on the web, kept server-side between the preview and the confirmation.

Each upload is one file in instance/uploads/ named `<event id>.<random token>.<safe original name>`:
the token (128 random bits) is the only handle the browser gets, and it finds the file only for
the event it was uploaded to. The confirmation reads the same file again: a preview is never re-posted.
"""
import re
import secrets
import time
from pathlib import Path

from flask import current_app
from werkzeug.utils import secure_filename

from events_app.delegate_files.tables import TableError, check_size, table_rows

KEEP_SECONDS = 24 * 3600  # an upload never confirmed is removed a day later
TOKEN = re.compile(r"[A-Za-z0-9_-]{22}\Z")


def max_bytes() -> int:
    """The largest table that may be imported (IMPORT_MAX_BYTES)."""
    return current_app.config["IMPORT_MAX_BYTES"]


def max_rows() -> int:
    """The most delegates one import may hold (IMPORT_MAX_ROWS)."""
    return current_app.config["IMPORT_MAX_ROWS"]


def read_upload(stream, filename: str) -> bytes:
    """An uploaded file's bytes, reading at most one byte past the limit; TableError when it is larger."""
    data = stream.read(max_bytes() + 1)
    check_size(len(data), max_bytes(), filename or "the file")
    return data


def uploads_folder() -> Path:
    """instance/uploads/, made on first use."""
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_upload(event_id: int, data: bytes, filename: str) -> str:
    """Store an uploaded table for this event; returns its token. Uploads older than a day are removed."""
    _remove_stale()
    token = secrets.token_urlsafe(16)
    name = secure_filename(filename) or "delegates.csv"
    path = uploads_folder() / f"{event_id}.{token}.{name}"
    path.write_bytes(data)
    path.chmod(0o600)  # personal data: readable by the app's user only
    return token


def upload_path(event_id: int, token: str) -> Path | None:
    """The kept upload of this event with this token, or None (unknown, malformed, or another event's)."""
    if not TOKEN.match(token or ""):
        return None
    found = sorted(uploads_folder().glob(f"{event_id}.{token}.*"))
    return found[0] if found else None


def original_name(path: Path) -> str:
    """The name the organiser's file had (as made safe on upload)."""
    return path.name.split(".", 2)[2]


def upload_rows(path: Path) -> list[dict[str, str]]:
    """The kept upload's rows (as read_table gives them); TableError beyond IMPORT_MAX_ROWS rows."""
    rows = table_rows(path.read_bytes(), original_name(path), max_rows=max_rows())
    while rows and not any((value or "").strip() for value in rows[-1].values()):
        rows.pop()
    if not rows:
        raise TableError(f"{original_name(path)} has a header row but no delegates")
    return rows


def discard(path: Path | None) -> None:
    """Remove a kept upload (after its import, or when abandoned)."""
    if path is not None:
        path.unlink(missing_ok=True)


def _remove_stale() -> None:
    limit = time.time() - KEEP_SECONDS
    for path in uploads_folder().glob("*.*.*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue  # removed meanwhile by another request
