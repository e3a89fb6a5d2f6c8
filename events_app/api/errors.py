"""The API's one error shape, {"error": {"code", "message", "fields"}}, for every failure (404, 405, 500 too)."""
from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from events_app.extensions import db

# A short, stable code per HTTP status, for clients to branch on when the endpoint gives no finer one.
CODES = {
    400: "bad_request", 401: "unauthorised", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid", 429: "rate_limited",
    500: "server_error",
}
MESSAGES = {
    400: "The request could not be understood.",
    404: "There is nothing at this address (or not for this token).",
    405: "This address does not take that method.",
    429: "Too many requests with this token: wait a moment and try again.",
    500: "Something went wrong on our side; the request changed nothing. Please try again.",
}


class ApiError(Exception):
    """A refusal with its status, code, message and (for invalid input) messages per field."""

    def __init__(self, status: int, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.fields = fields or {}


def error_response(status: int, message: str, *, code: str | None = None, fields: dict | None = None):
    """The JSON answer for a failure."""
    response = jsonify({"error": {"code": code or CODES.get(status, "error"), "message": message,
                                  "fields": fields or {}}})
    response.status_code = status
    return response


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def handle_api_error(error: ApiError):
    db.session.rollback()  # whatever the refused request had begun is not kept
    return error_response(error.status, error.message, code=error.code, fields=error.fields)


def handle_http_error(error: HTTPException | Exception):
    """Any HTTP error (or an unexpected exception, as 500) under /api/ in the one shape."""
    db.session.rollback()
    status = getattr(error, "code", None) or 500
    message = MESSAGES.get(status) or getattr(error, "description", None) or "Request refused."
    response = error_response(status, message)
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def pydantic_fields(errors: list[dict]) -> dict[str, list[str]]:
    """Pydantic's error list as {field path: [messages]} ("" for the body as a whole)."""
    fields: dict[str, list[str]] = {}
    for item in errors:
        path = ".".join(str(part) for part in item.get("loc", ()) if part != "__root__")
        fields.setdefault(path, []).append(item.get("msg", "invalid"))
    return fields


def form_fields(form) -> dict[str, list[str]]:
    """A WTForms form's errors as {field: [messages]}, the same messages the web form shows."""
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}
