"""Mail's receivers for the domain signals (events_app/signals.py): each queues the delegate's email."""
from events_app import signals  # noqa: F401 - receivers connect to these
from events_app.mail import messages


def queue_visa_letter_ready(registration, **_) -> None:
    """Queue the delegate's email saying their visa letter can be downloaded."""
    messages.visa_letter_ready(registration)


def connect() -> None:
    """Connect mail's receivers to the domain signals (idempotent; called by create_app)."""
    signals.visa_letter_released.connect(queue_visa_letter_ready)
