from __future__ import annotations

from django.db import IntegrityError, migrations


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """Raw SQL for a constraint Django cannot declare, applied on PostgreSQL only.

    SQLite, the embedded default, skips it; there the services are the guard.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def is_violation(error: IntegrityError, *, constraint: str, sqlite_columns: str) -> bool:
    """Whether `error` is the violation of `constraint`: by its name on PostgreSQL;
    SQLite names the columns instead ("UNIQUE constraint failed: <sqlite_columns>")."""
    diag = getattr(error.__cause__, "diag", None)
    if diag is not None:
        return diag.constraint_name == constraint
    return str(error).endswith(f"constraint failed: {sqlite_columns}")
