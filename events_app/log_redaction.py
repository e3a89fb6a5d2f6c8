"""Keep private-link tokens and invitation codes out of access logs."""
import logging
import re

# /r/<token>..., /invite/<code>... and ?token=... in request lines.
_SECRET_PATH = re.compile(r"(/(?:r|invite|i)/)[A-Za-z0-9_-]{16,}")
_SECRET_QUERY = re.compile(r"((?:token|code|invitation)=)[A-Za-z0-9_-]{16,}")


def redact(text: str) -> str:
    """The text with every private token replaced by [redacted]."""
    return _SECRET_QUERY.sub(r"\1[redacted]", _SECRET_PATH.sub(r"\1[redacted]", text))


class RedactTokens(logging.Filter):
    """A logging filter that redacts tokens from the formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def install() -> None:
    """Attach the filter to the loggers that write request lines."""
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
