"""The organisers workspace: events, delegate lists, approvals."""
