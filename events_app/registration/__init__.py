"""Registrations: the delegate data dictionary, the status lifecycle, private links."""
