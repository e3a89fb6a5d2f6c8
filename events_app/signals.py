"""Domain events that lower packages announce and higher ones act on (ARCHITECTURE.md, convention 13).

A service sends a signal with the changed object as sender, in the same transaction as the change;
receivers (mail queues a message, ...) write their rows in that transaction too. Receivers are
connected in create_app by each higher package's `connect()`.
"""
from blinker import Namespace

_domain = Namespace()

# sender: the Registration. Sent after the change is flushed, only when the delegate is to be told.
registration_received = _domain.signal("registration-received")
status_changed = _domain.signal("status-changed")  # kwargs: reason, previous
details_changed = _domain.signal("details-changed")  # kwargs: changes (field labels)
link_requested = _domain.signal("link-requested")  # the private link is sent again (lost, new, or registered twice)
visa_letter_released = _domain.signal("visa-letter-released")
# sender: the Invitation.
invitation_created = _domain.signal("invitation-created")
