"""Authentication: users, roles and sign-in."""
