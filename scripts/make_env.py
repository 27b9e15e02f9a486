"""Print a `.env` for a local try-out: a fresh secret key, plain HTTP on this machine."""

from __future__ import annotations

import secrets

print(
    '# Local try-out settings written by `make run`; see README.md "Configuration".\n'
    f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n"
    "DJANGO_HTTPS=off\n"
    "DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost\n"
    "# Mail is printed by the task worker; smtp://user:password@host:587 sends it for real.\n"
    "EMAIL_URL=consolemail://\n"
    '# Refuse choices that strand a single seat (README.md "Configuration").\n'
    "ORPHAN_SEAT_RULE=on\n"
)
