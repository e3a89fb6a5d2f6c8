"""Request bodies are limited whatever their encoding, chunked included.

Werkzeug checks MAX_CONTENT_LENGTH against the Content-Length header; a chunked body has none, so it was
read (up to 8 MB, silently cut short) instead of refused, and an urlencoded form may be as large as an
upload (Werkzeug applies MAX_FORM_MEMORY_SIZE to multipart fields only). This hook runs before any
other (CSRF reads the form): a plain form may be MAX_FORM_MEMORY_SIZE (500 KB), anything else
MAX_CONTENT_LENGTH (11 MB: logos, imports); a body without a length is read up to its limit and answered
413 beyond it, else handed on with its length.
"""
import tempfile

from flask import abort, current_app, request

CHUNK = 64 * 1024
IN_MEMORY = 1024 * 1024  # beyond this the body waits in a temporary file


def _limit() -> int:
    config = current_app.config
    if request.mimetype == "application/x-www-form-urlencoded" and config.get("MAX_FORM_MEMORY_SIZE"):
        return config["MAX_FORM_MEMORY_SIZE"]
    return config.get("MAX_CONTENT_LENGTH") or 0


def _limit_body():
    environ = request.environ
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    limit = _limit()
    if request.content_length is not None:
        if limit and request.content_length > limit:
            abort(413)
        return None
    if "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower() and not environ.get(
            "wsgi.input_terminated"):
        return None
    source, body, size = environ["wsgi.input"], tempfile.SpooledTemporaryFile(max_size=IN_MEMORY), 0
    while True:
        chunk = source.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if limit and size > limit:
            body.close()
            abort(413)
        body.write(chunk)
    body.seek(0)
    environ["wsgi.input"], environ["CONTENT_LENGTH"] = body, str(size)
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ["wsgi.input_terminated"] = False
    return None


def init_app(app) -> None:
    """Register first, so the body is measured before anything reads the form."""
    app.before_request_funcs.setdefault(None, []).insert(0, _limit_body)
