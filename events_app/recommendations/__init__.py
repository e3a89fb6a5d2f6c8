"""Recommendations: themes and addressees, drafting, adoption, endorsement, and the published document."""


def init_app(app) -> None:
    """Register the recommendations pages and add `flask documents recommendations` to the documents group."""
    from events_app.recommendations.cli import add_commands
    from events_app.recommendations.participation import bp as participation_bp
    from events_app.recommendations.views import bp

    app.register_blueprint(bp, url_prefix="/manage")
    app.register_blueprint(participation_bp, url_prefix="/r")
    add_commands()
