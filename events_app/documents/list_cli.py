"""Nothing here: the routes and commands that lived here are in documents/lists/ (imported by documents.views and
documents.cli). Kept only while create_app and events_app/cli.py import this path; delete with that import.
"""
