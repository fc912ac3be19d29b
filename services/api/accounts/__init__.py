"""Accounts over HTTP: signing in and out (`/auth`), the caller's own account (`/me`), and user management
(`/users`), each a thin edge over `services.commands.accounts` and `services.commands.sign_in`."""
