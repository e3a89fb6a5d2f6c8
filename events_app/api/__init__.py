"""JSON API under /api/v1 with its OpenAPI 3.1 document; API tokens and their pages in the workspace."""


def init_app(app) -> None:
    """Register /api/v1 (token-authenticated, no CSRF) and the workspace's API pages (/manage/api…)."""
    # The route modules add to the blueprint, so they are imported before it is registered.
    from events_app.api import checkin_views, document_views, event_views, registration_views  # noqa: F401
    from events_app.api.pages import bp as pages_bp
    from events_app.api.requests import bp
    from events_app.api.requests import init_app as init_requests

    init_requests(app)
    app.register_blueprint(bp, url_prefix="/api/v1")
    app.register_blueprint(pages_bp, url_prefix="/manage")
