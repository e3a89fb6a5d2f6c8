"""Mail's receivers for the domain signals (events_app/signals.py): each queues the delegate's email."""
from events_app import signals  # noqa: F401 - receivers connect to these


def connect() -> None:
    """Connect mail's receivers to the domain signals (idempotent; called by create_app)."""
