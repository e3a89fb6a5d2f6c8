"""The address every link in an email starts with."""
from flask import current_app, has_request_context, request


def base_url() -> str:
    """BASE_URL; in development without it, the address of the request being answered, if any."""
    if current_app.config.get("BASE_URL_FROM_REQUEST") and has_request_context():
        return request.host_url.rstrip("/")
    return current_app.config["BASE_URL"]
