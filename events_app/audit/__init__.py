"""The audit log: who did what to which event or delegate, and when."""
