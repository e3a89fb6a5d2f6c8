"""Probes for load balancers and service managers: /healthz (the process) and /readyz (what it needs).

Both answer JSON, are never rate-limited or cached (security_headers: no-store), set no cookie and
name no host, URL or password: a failing check says only which dependency failed.
"""
import logging

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from events_app.extensions import db, limiter

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """The process is alive and answering."""
    return jsonify(status="ok")


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """The database answers, and Redis too where the rate limits are kept there: 200, else 503."""
    checks = {"database": _check(_database)}
    storage = current_app.config.get("RATELIMIT_STORAGE_URI", "")
    if storage.startswith(("redis://", "rediss://", "redis+")):
        checks["redis"] = _check(lambda: _redis(storage))
    ready = all(result == "ok" for result in checks.values())
    response = jsonify(status="ready" if ready else "unavailable", checks=checks)
    response.status_code = 200 if ready else 503
    return response


def _check(probe) -> str:
    try:
        probe()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"; the kind is logged
        log.warning("readiness check failed: %s", type(error).__name__)
        return "unavailable"
    return "ok"


def _database() -> None:
    try:
        db.session.execute(text("SELECT 1"))
    finally:
        db.session.rollback()


def _redis(uri: str) -> None:
    import redis  # Flask-Limiter's own dependency for redis:// storage

    client = redis.Redis.from_url(uri, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def init_app(app) -> None:
    app.register_blueprint(bp)
