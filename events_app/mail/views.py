"""The outbox in the organisers' workspace: queued, sent and failed email."""
from flask import Blueprint

bp = Blueprint("mail", __name__)
