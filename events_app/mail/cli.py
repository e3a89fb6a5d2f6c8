"""`flask mail ...`: deliver the outbox."""
from flask.cli import AppGroup

mail_cli = AppGroup("mail", help="Deliver queued email.")
