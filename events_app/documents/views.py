"""Document downloads in the organisers' workspace."""
from flask import Blueprint

bp = Blueprint("documents", __name__)
