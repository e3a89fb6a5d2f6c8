"""Request ids and structured logs: every log line of a request carries its id, as JSON in production.

nginx gives each request an id (X-Request-ID, deploy/nginx/events_app.conf); the app keeps it (or makes
one), returns it in the response and puts it on every log record, so one registration can be followed
from nginx through gunicorn to the app's own lines on any host. LOG_FORMAT=json writes one JSON object
per line; tokens are redacted by log_redaction's filter as in plain text.
"""
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from flask import g, has_request_context, request

HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id() -> str:
    return getattr(g, "request_id", "-") if has_request_context() else "-"


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id (and the exception, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id()),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _take_request_id() -> None:
    offered = request.headers.get(HEADER, "")
    g.request_id = offered if _SAFE_ID.fullmatch(offered) else uuid.uuid4().hex


def _return_request_id(response):
    response.headers.setdefault(HEADER, current_request_id())
    return response


def init_app(app) -> None:
    """Request ids on every request; with LOG_FORMAT=json, the root logger writes JSON lines to stderr."""
    app.before_request(_take_request_id)
    app.after_request(_return_request_id)
    if app.config.get("LOG_FORMAT") != "json":
        return  # development and tests keep Python's (and pytest's) own handlers
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.INFO)
