"""Security headers on every response: a strict Content-Security-Policy, no framing, no sniffing, no referrer,
no-store on private pages and documents, and HSTS in production over HTTPS."""
from flask import Flask, current_app, request

# No inline script or style anywhere (templates use classes from static/css; charts use SVG attributes), so
# an injected <script> or style="" does nothing even if some escaping were ever missed.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Private links carry their token in the path: never send it to another site.
    "Referrer-Policy": "no-referrer",
}
# The workspace, private pages and their documents (tickets, letters), sign-in and the desk hold personal data
# or tokens: no browser or proxy keeps a copy. The health probes must answer afresh each time too.
PRIVATE_PREFIXES = ("/manage", "/r/", "/auth/", "/checkin", "/api/", "/healthz", "/readyz")


def is_private(path: str) -> bool:
    """Whether a response to this path must never be stored by a browser or a proxy."""
    return path.startswith(PRIVATE_PREFIXES)


def add_headers(response):
    """after_request hook: the headers above on every response, no-store on private paths, HSTS over HTTPS."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if is_private(request.path):
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
        if not request.path.startswith("/api/"):  # API clients keep their own copy and revalidate it (If-None-Match)
            response.headers.pop("ETag", None)
    if current_app.config.get("APP_ENV") == "production" and request.is_secure:
        response.headers["Strict-Transport-Security"] = f"max-age={current_app.config['HSTS_SECONDS']}"
    return response


def init_app(app: Flask) -> None:
    """Add the headers to every response of this app."""
    app.after_request(add_headers)
