"""Application factory: create_app wires config, extensions, blueprints, errors and commands."""
import logging
import os

from flask import Flask, render_template, request, send_from_directory
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh as refresh_locale

from events_app import body_limits, log_redaction, request_log, routing, security_headers


def create_app(config_class=None) -> Flask:
    """Build the Flask app for the given config class (APP_ENV's by default)."""
    # Imported here, not at the top: config.py reads booleans with events_app.choices.parse_boolean.
    from config import INSTANCE_DIR, ProductionConfig, config_from_environment

    config_class = config_class or config_from_environment()
    if config_class is ProductionConfig:
        ProductionConfig.check()
    app = Flask(__name__, template_folder="../templates", instance_relative_config=False)
    app.config.from_object(config_class)
    app.instance_path = str(INSTANCE_DIR)
    request_log.init_app(app)  # first: every later hook's log lines carry the request id
    routing.register(app)  # before any route: `<int:…>` ids are bounded (404, not a database error)
    register_extensions(app)
    body_limits.init_app(app)
    register_blueprints(app)
    register_favicon(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_hooks()
    security_headers.init_app(app)
    logging.getLogger("events_app").setLevel(logging.INFO)
    log_redaction.install()
    if app.config["PROXY_FIX"]:  # behind nginx: trust that many hops of X-Forwarded-*
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def register_extensions(app: Flask) -> None:
    """Initialise every extension instance from extensions.py on this app."""
    from events_app import database, i18n
    from events_app.auth.sessions import load_user
    from events_app.extensions import babel, csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    migrations = os.path.join(os.path.dirname(app.root_path), "migrations")
    migrate.init_app(app, db, directory=migrations, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    # Flask-Babel keeps the locale on `g`, which a request shares with an app context already pushed
    # (a CLI command's, a test's): choose afresh for every request.
    app.before_request(refresh_locale)
    app.after_request(i18n.remember)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.user_loader(load_user)

    database.configure(app)
    _import_models()


def _import_models() -> None:
    # Every table must be known to the metadata before Alembic compares it with the database.
    import events_app.api.models  # noqa: F401
    import events_app.attendance.models  # noqa: F401
    import events_app.audit.models  # noqa: F401
    import events_app.events.models  # noqa: F401
    import events_app.jobs.models  # noqa: F401
    import events_app.mail.models  # noqa: F401
    import events_app.registration.models  # noqa: F401


def _select_locale():
    """The request's language (events_app/i18n.py); the workspace is English, a private page the delegate's."""
    from flask import has_request_context

    from events_app import i18n

    if not has_request_context():  # commands and workers: mail sets its locale explicitly
        return i18n.DEFAULT_LOCALE
    if i18n.is_workspace(request.path):
        return i18n.DEFAULT_LOCALE
    return i18n.negotiate(asked=request.args.get("lang"), stored=_delegate_locale(),
                          remembered=request.cookies.get(i18n.COOKIE), accepted=list(request.accept_languages))


def _delegate_locale() -> str | None:
    """On /r/<token>/… pages, the language the delegate registered in."""
    from events_app.extensions import db
    from events_app.registration.models import Registration

    token = (request.view_args or {}).get("token") if request.path.startswith("/r/") else None
    if not token:
        return None
    return db.session.scalar(db.select(Registration.locale).where(Registration.token == token))


def register_blueprints(app: Flask) -> None:
    """One blueprint per domain, URL prefixes given here."""
    # Route modules that add to another module's blueprint must be imported before registration.
    import events_app.documents.badges.desk_badge  # noqa: F401
    import events_app.manage.event_views  # noqa: F401
    import events_app.manage.invitation_views  # noqa: F401
    import events_app.manage.users_views  # noqa: F401
    from events_app.api import init_app as init_api
    from events_app.attendance.views import bp as attendance_bp
    from events_app.auth.views import bp as auth_bp
    from events_app.documents.views import bp as documents_bp
    from events_app.events.views import bp as events_bp
    from events_app.mail.views import bp as mail_bp
    from events_app.manage.views import bp as manage_bp
    from events_app.recommendations import init_app as init_recommendations
    from events_app.registration.views import bp as registration_bp

    app.register_blueprint(events_bp)
    app.register_blueprint(registration_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(manage_bp, url_prefix="/manage")
    app.register_blueprint(documents_bp, url_prefix="/manage")
    app.register_blueprint(mail_bp, url_prefix="/manage")
    app.register_blueprint(attendance_bp, url_prefix="/checkin")
    init_recommendations(app)  # its pages under /manage and /r, and `flask documents recommendations`
    init_api(app)  # /api/v1 and its pages in the workspace (/manage/api…)
    from events_app import health

    health.init_app(app)


FAVICON_MAX_AGE = 7 * 24 * 3600  # a week: browsers ask for it on every page otherwise


def register_favicon(app: Flask) -> None:
    """Answer /favicon.ico, which browsers request by that path whatever the page links."""

    @app.route("/favicon.ico")
    def favicon():
        response = send_from_directory(app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                                       max_age=FAVICON_MAX_AGE)
        response.cache_control.public = True
        return response


def register_errorhandlers(app: Flask) -> None:
    """Friendly pages for the errors people meet; never a traceback."""
    from flask_wtf.csrf import CSRFError

    messages = {
        400: _l("The request could not be understood."),
        403: _l("You do not have access to this page."),
        404: _l("We could not find that page. The link may be mistyped or no longer valid."),
        405: _l("That action is not allowed here."),
        413: _l("That file is too large. Please send a smaller one."),
        429: _l("Too many requests. Please wait a moment and try again."),
        500: _l("Something went wrong on our side. Please try again."),
    }

    def render_error(error):
        code = getattr(error, "code", 500) or 500
        if request.path.startswith("/api/"):
            from events_app.api.errors import handle_http_error

            return handle_http_error(error)
        return render_template("errors/error.html", code=code, message=messages.get(code)), code

    for code in messages:
        app.register_error_handler(code, render_error)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = _("This form has expired or was sent from another page. Please go back, reload and try again.")
        return render_template("errors/error.html", code=400, message=message), 400


def register_template_helpers(app: Flask) -> None:
    """Filters and globals used across templates."""
    from events_app import formatting
    from events_app.events import access

    formatting.register(app)
    access.register(app)


def register_hooks() -> None:
    """Higher packages act on the domain signals that lower ones send (events_app/signals.py)."""
    from events_app.mail import hooks as mail_hooks

    mail_hooks.connect()


def register_commands(app: Flask) -> None:
    """flask commands, see INTERFACES.md."""
    from events_app import cli
    from events_app.jobs.cli import jobs_cli

    cli.add_commands(app)
    app.cli.add_command(jobs_cli)
