"""What every API request goes through: the token, the scope, the event, the audit line, ETag and CORS."""
from flask import Blueprint, current_app, g, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from events_app.api import errors, tokens
from events_app.api.errors import ApiError
from events_app.audit import services as audit
from events_app.choices import EventRole, UserRole
from events_app.events import access
from events_app.events.models import Event
from events_app.extensions import csrf, db, limiter
from events_app.routing import MAX_ID

bp = Blueprint("api", __name__)
PUBLIC_ENDPOINTS = {"api.openapi"}  # the document itself is read without a token


def token_key() -> str:
    """The rate limit's key: the token (as its digest), else the client's address."""
    secret = _bearer()
    return "api-token:" + tokens.digest(secret) if secret else "api-ip:" + (request.remote_addr or "")


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


@bp.before_request
def authenticate():
    """Find the request's token; refuse a missing, unknown or revoked one, and cookie sessions."""
    _refuse_nul()
    if request.method == "OPTIONS" or request.endpoint in PUBLIC_ENDPOINTS:
        return
    secret = _bearer()
    if not secret:
        if request.headers.get("Authorization"):
            raise ApiError(401, "Send the token as `Authorization: Bearer <token>`.", code="token_malformed")
        if request.cookies.get(current_app.config.get("SESSION_COOKIE_NAME", "session")):
            raise ApiError(401, "The API does not take a signed-in session: send an API token.",
                           code="session_refused")
        raise ApiError(401, "This request needs an API token: `Authorization: Bearer <token>`.",
                       code="token_missing")
    token = tokens.authenticate(secret)
    if token is None:
        raise ApiError(401, "This token is unknown or was revoked.", code="token_invalid")
    g.api_token = token


def _refuse_nul() -> None:
    """No text in the API holds a NUL character, and PostgreSQL refuses one in a query: say so (400), not 500."""
    if "\x00" in request.path or "\x00" in request.query_string.decode("utf-8", "replace") \
            or "%00" in request.query_string.decode("ascii", "replace") or b"\\u0000" in request.get_data():
        raise ApiError(400, "Text may not contain NUL characters.")


@bp.after_request
def finish(response):
    """Write the request to the audit log (one row), then ETag on GETs and CORS when configured."""
    token = g.get("api_token")
    if token is not None:
        _log_use(token, response.status_code)
    if request.method == "GET" and response.status_code == 200 and not response.is_streamed:
        response.add_etag()
        response.make_conditional(request)
    _allow_origin(response)
    return response


def _log_use(token, status: int) -> None:
    """One audit row per request (who, what, the answer); a database that fails here does not hide the answer."""
    try:
        if status >= 400:
            db.session.rollback()
        audit.record("api.request", user=token.user, event=g.get("api_event"),
                     summary=f"{request.method} {request.path} -> {status} ({token.scope} token {token.prefix}…)")
        tokens.touch(token)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("the API request could not be written to the audit log")


def _allow_origin(response) -> None:
    """CORS is off unless API_CORS_ORIGINS names the origin (space- or comma-separated list)."""
    allowed = (current_app.config.get("API_CORS_ORIGINS") or "").replace(",", " ").split()
    origin = request.headers.get("Origin")
    if not origin or origin not in allowed:
        return
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, Idempotency-Key, If-None-Match"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, PATCH, DELETE, OPTIONS"
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    response.vary.add("Origin")


def current_token():
    return g.api_token


def current_user():
    return g.api_token.user


def require_scope(scope: str) -> None:
    """403 unless the request's token has `scope` (read, write or checkin)."""
    token = g.api_token
    if not tokens.allows(token, scope):
        raise ApiError(403, f"This token's scope ({token.scope}) does not allow {scope}.", code="scope")


def event_for(slug: str, scope: str, *roles: EventRole) -> Event:
    """The event if the token may act there: its scope, its one event, and its user's role (any of `roles`).

    Another event's existence is not revealed (404); a role there without the one needed is 403.
    """
    require_scope(scope)
    token, user = g.api_token, g.api_token.user
    event = db.session.scalar(db.select(Event).where(Event.slug == slug[:64]))
    if event is None or (token.event_id is not None and token.event_id != event.id) or not access.may(user, event):
        raise ApiError(404, "No such event for this token.")
    g.api_event = event
    if roles and not access.may(user, event, *roles):
        raise ApiError(403, "Your role at this event does not allow this.", code="role")
    return event


def sees_contacts(event: Event) -> bool:
    """Staff see no contact details (email, phone); organisers and admins do."""
    user = g.api_token.user
    return user.role == UserRole.ADMIN or access.role_at(user, event.id) == EventRole.ORGANISER


def visible_events():
    """A SELECT of the events this token may see."""
    token = g.api_token
    query = access.visible_events(token.user)
    return query.where(Event.id == token.event_id) if token.event_id is not None else query


def bounded_id(value: int) -> int:
    """404 for an id no row can have (beyond 32 bits)."""
    if not 1 <= value <= MAX_ID:
        raise ApiError(404, "No such registration.")
    return value


# One limit per token over the whole API (API_RATE_LIMIT, read per request).
limiter.limit(lambda: current_app.config.get("API_RATE_LIMIT", "600 per minute"), key_func=token_key)(bp)


def init_app(app) -> None:
    """Exempt the blueprint from CSRF (tokens, not cookies) and answer errors under /api/ in the one shape."""
    csrf.exempt(bp)
    app.register_error_handler(ApiError, errors.handle_api_error)

    def http_error(error: HTTPException):
        return errors.handle_http_error(error) if errors.is_api_request() else error

    app.register_error_handler(HTTPException, http_error)
