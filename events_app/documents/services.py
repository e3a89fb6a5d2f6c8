"""The documents other packages use: the ticket that mail attaches, the visa-letter release.

Kept only while mail/attachments.py and tests/registration import these names from here; they
move to documents.badges.services and documents.lists.services (see the documents branch's report).
"""
from events_app.documents.badges.services import ticket_pdf  # noqa: F401
