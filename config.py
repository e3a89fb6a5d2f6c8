"""Configuration classes read from the environment (Development, Testing, Production)."""
import os
from pathlib import Path

from events_app.choices import parse_boolean
from events_app.i18n import LOCALES

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return parse_boolean(value)
    except ValueError as error:
        raise RuntimeError(f"{name}: {error}") from None


def normalise_database_url(url: str) -> str:
    """Point postgres URLs at psycopg 3, whatever spelling the environment uses."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    """Settings shared by every environment; development defaults need nothing installed."""

    APP_ENV = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    # Old keys, comma-separated, still accepted for sessions and encrypted fields during a key change.
    SECRET_KEY_FALLBACKS = [key for key in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if key]
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'events_app.sqlite'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    BASE_URL_FROM_REQUEST = False  # see DevelopmentConfig
    # Delegate tables (web and `flask delegates import`): refused above these, before being read whole.
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "10000"))
    # Any request body (logos, imports): a larger one is refused with the 413 page before it is read.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(IMPORT_MAX_BYTES + 1024 * 1024)))
    WTF_CSRF_TIME_LIMIT = None  # a form left open on a phone all morning must still submit

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "events@localhost")
    MAIL_REPLY_TO = os.environ.get("MAIL_REPLY_TO")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))
    MAIL_SEND_AFTER_COMMIT = _bool("MAIL_SEND_AFTER_COMMIT", False)
    # A queued long job runs in a thread of the web process right after its commit (development only).
    JOBS_RUN_AFTER_COMMIT = _bool("JOBS_RUN_AFTER_COMMIT", False)
    # A badge run of more badges than this is a job with a progress page, not one long request.
    BADGE_RUN_INLINE_LIMIT = int(os.environ.get("BADGE_RUN_INLINE_LIMIT", "200"))
    MAIL_SUPPRESS_SEND = _bool("MAIL_SUPPRESS_SEND", False)
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))
    MAIL_RETRY_BASE_SECONDS = float(os.environ.get("MAIL_RETRY_BASE_SECONDS", "60"))
    MAIL_RETRY_MAX_SECONDS = float(os.environ.get("MAIL_RETRY_MAX_SECONDS", "21600"))
    MAIL_LEASE_SECONDS = float(os.environ.get("MAIL_LEASE_SECONDS", str(max(300.0, 12 * MAIL_TIMEOUT))))
    MAIL_BATCH_SIZE = int(os.environ.get("MAIL_BATCH_SIZE", "50"))
    MAIL_POLL_SECONDS = float(os.environ.get("MAIL_POLL_SECONDS", "5"))
    # Days before an event on which the worker queues reminders (unset: only `flask mail reminders`).
    MAIL_REMINDER_DAYS = int(os.environ["MAIL_REMINDER_DAYS"]) if os.environ.get("MAIL_REMINDER_DAYS") else None

    # How many proxies (nginx) stand in front and set X-Forwarded-For/-Proto/-Host; 0: none trusted.
    PROXY_FIX = int(os.environ.get("PROXY_FIX", "0"))
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # json: one JSON object per line, with the request id
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    # redis://host:6379 shares the limits between app processes (needs the `redis` package).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "events_app")  # several apps on one Redis
    RATELIMIT_HEADERS_ENABLED = True
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600 per minute")  # per API token (README: the JSON API)
    API_CORS_ORIGINS = os.environ.get("API_CORS_ORIGINS", "")  # CORS stays off unless origins are named

    FONT_DIRS = [p for p in os.environ.get("FONT_DIRS", "").split(os.pathsep) if p]
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = list(LOCALES)  # events_app/i18n.py
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")  # compiled by `make translations`
    PRIVACY_VISA_DAYS = int(os.environ.get("PRIVACY_VISA_DAYS", "30"))  # passport details, after the event ends
    PRIVACY_MAIL_DAYS = int(os.environ.get("PRIVACY_MAIL_DAYS", "90"))  # bodies of sent email
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A workspace session ends after this long without a request, and this long after sign-in whatever happens.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "60"))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    # Failed sign-ins allowed per email (known or not) before it pauses, in the limiter's storage; empty: no pause.
    LOGIN_FAILURE_LIMITS = os.environ.get("LOGIN_FAILURE_LIMITS", "5 per 15 minutes; 20 per day")
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))  # sent only in production over HTTPS


class DevelopmentConfig(Config):
    """Local development: SQLite in instance/, mail tried right after the commit into the local sink."""

    DEBUG = True
    MAIL_SEND_AFTER_COMMIT = _bool("MAIL_SEND_AFTER_COMMIT", True)
    JOBS_RUN_AFTER_COMMIT = _bool("JOBS_RUN_AFTER_COMMIT", True)
    # `make run` starts an SMTP sink here that keeps every message in instance/mail/ (scripts/serve_dev.py).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "8025"))
    # Without BASE_URL, links made while answering a request use the address it was sent to
    # (`flask run --port 5101` links to :5101); the mail worker has no request and uses BASE_URL.
    BASE_URL_FROM_REQUEST = not os.environ.get("BASE_URL")


class TestingConfig(Config):
    """The test suite: TEST_DATABASE_URL or a throw-away SQLite file; CSRF stays on."""

    APP_ENV = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105 - tests only
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("TEST_DATABASE_URL", "sqlite:///" + str(INSTANCE_DIR / "test.sqlite"))
    )
    RATELIMIT_ENABLED = False
    MAIL_SEND_AFTER_COMMIT = False
    JOBS_RUN_AFTER_COMMIT = False
    BASE_URL = "http://events.test"
    SERVER_NAME = None


class ProductionConfig(Config):
    """Production: refuses to start without a real SECRET_KEY and DATABASE_URL."""

    APP_ENV = "production"  # what `flask demo` and the HSTS header ask (app.config["APP_ENV"])
    # Cookies only over HTTPS. `make run-prod` serves plain HTTP on loopback and turns this off there.
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)

    @classmethod
    def check(cls) -> None:
        """Fail fast when production is started without its required settings."""
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "Production needs these environment variables: " + ", ".join(missing)
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_environment():
    """Pick the config class named by APP_ENV (development by default)."""
    name = os.environ.get("APP_ENV", os.environ.get("FLASK_ENV", "development")).lower()
    if name not in CONFIGS:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]
