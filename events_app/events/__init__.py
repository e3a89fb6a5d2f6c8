"""Events: the public event pages, event creation and settings."""
