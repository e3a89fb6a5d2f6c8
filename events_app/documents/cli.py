"""`flask documents ...`: render PDFs from the command line."""
from flask.cli import AppGroup

documents_cli = AppGroup("documents", help="Render PDF documents for an event.")
