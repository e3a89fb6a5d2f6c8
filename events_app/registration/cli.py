"""Merge bridge only: events_app/cli.py (another branch's file) still imports `delegates_cli` from here.

The commands live in events_app.delegate_files.cli; delete this module when events_app/cli.py
imports them from there (and drop its entries in tests/test_architecture.py).
"""
from events_app.delegate_files.cli import delegates_cli

__all__ = ["delegates_cli"]
