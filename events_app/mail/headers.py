"""Header safety (no value that reaches an email header may carry a line break) and the Message-ID."""
import secrets
from email.utils import make_msgid

# Every character Python's str.splitlines() and the email package treat as a line boundary;
# CR and LF are the ones SMTP cares about, the rest are refused so no header can be folded.
LINE_BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


class UnsafeHeaderError(ValueError):
    """A header value (subject, address, file name, extra header) holds a line break."""


def has_line_break(value: str) -> bool:
    """True when the text holds CR, LF or another line separator."""
    return any(char in LINE_BREAKS for char in value)


def safe_header(value: str, *, name: str = "header") -> str:
    """Return the value unchanged, or refuse it when it could inject another header."""
    if not isinstance(value, str):
        raise UnsafeHeaderError(f"{name} must be text")
    if has_line_break(value):
        raise UnsafeHeaderError(f"{name} must not contain a line break")
    return value


def one_line(value: str) -> str:
    """The text with every line break and control character made a space: for headers built from stored data."""
    return " ".join("".join(" " if char in LINE_BREAKS or ord(char) < 32 or ord(char) == 127 else char
                            for char in value).split())


def safe_headers(headers: dict[str, str]) -> dict[str, str]:
    """Check every name and value of extra headers (Flask-Mail does not check these)."""
    for key, value in headers.items():
        safe_header(key, name="header name")
        if not key or ":" in key or " " in key:
            raise UnsafeHeaderError("header name must be a single token")
        safe_header(value, name=key)
    return dict(headers)


def safe_recipient(address: str) -> str:
    """One email address, no line breaks, no list separators, no display-name tricks."""
    address = safe_header(address.strip(), name="recipient")
    if not address or any(char in address for char in ",;<>\"") or address.count("@") != 1:
        raise UnsafeHeaderError("recipient must be a single plain email address")
    return address


def sender_domain(address: str) -> str:
    """The domain of the sender's address ('Events <events@mekong.test>' -> 'mekong.test'), header-safe."""
    domain = address.rpartition("@")[2].strip(" >") or "localhost"
    return "".join(char for char in domain if char.isalnum() or char in ".-") or "localhost"


def new_message_id(sender: str) -> str:
    """A Message-ID no other message of any installation shares: 128 random bits at the sender's domain."""
    return make_msgid(idstring=secrets.token_hex(16), domain=sender_domain(sender))
