"""Outgoing email: the outbox, the messages, and the sender that delivers them."""
