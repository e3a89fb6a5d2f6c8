"""Attendee lists, sign-in sheets, certificates and visa letters: renderers, queries, services, views, commands."""
