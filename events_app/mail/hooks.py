"""Mail's receivers for the domain signals (events_app/signals.py): each queues the delegate's email.

A receiver runs inside the sender's transaction, so the outbox row commits or rolls back with the
change that caused it (the outbox rule).
"""
from events_app import signals
from events_app.mail import messages


def _registration_received(registration, *, replaces: bool = False, **_kwargs) -> None:
    # replaces: its status was decided again before the commit; the confirmation queued first must not go.
    if replaces:
        messages.withdraw(registration, "registration_received")
    messages.registration_received(registration)


def _status_changed(registration, *, reason: str = "", previous=None, **_kwargs) -> None:
    messages.status_changed(registration, reason=reason, previous=previous)


def _details_changed(registration, *, changes=(), **_kwargs) -> None:
    messages.details_changed(registration, changes=changes)


def _link_requested(registration, **_kwargs) -> None:
    messages.lost_link(registration)


def _invitation_created(invitation, **_kwargs) -> None:
    messages.invitation(invitation)


def _visa_letter_released(registration, **_kwargs) -> None:
    messages.visa_letter_ready(registration)


def connect() -> None:
    """Connect mail's receivers to the domain signals (idempotent; called by create_app)."""
    signals.registration_received.connect(_registration_received, weak=False)
    signals.status_changed.connect(_status_changed, weak=False)
    signals.details_changed.connect(_details_changed, weak=False)
    signals.link_requested.connect(_link_requested, weak=False)
    signals.invitation_created.connect(_invitation_created, weak=False)
    signals.visa_letter_released.connect(_visa_letter_released, weak=False)
