"""The events blueprint (registration.event_pages adds the public event pages to it; health.py the probes)."""
from flask import Blueprint

bp = Blueprint("events", __name__)
