"""`flask documents ...`: the group that gathers the badges' and the list documents' commands."""
from flask.cli import AppGroup

from events_app.documents.badges.cli import badges_command
from events_app.documents.lists.cli import attendees_command, certificates_command, letters_command, signin_command

documents_cli = AppGroup("documents", help="Render PDF documents for an event.")
for _command in (badges_command, attendees_command, signin_command, certificates_command, letters_command):
    documents_cli.add_command(_command)
