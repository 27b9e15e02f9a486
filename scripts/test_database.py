"""Print the DATABASE_URL for the test run, and say on stderr which database it is.

DESIGN.md: DATABASE_URL when set, else a PostgreSQL answering on
127.0.0.1:5432 (the role and database `.ci/run` creates), else SQLite.
"""

from __future__ import annotations

import os
import sys

LOCAL_POSTGRES = "postgres://cinema:cinema@127.0.0.1:5432/cinema"
SQLITE = "sqlite:///db.sqlite3"


def local_postgres_answers() -> bool:
    try:
        import psycopg

        psycopg.connect(LOCAL_POSTGRES.replace("postgres://", "postgresql://"), connect_timeout=3).close()
    except Exception:  # any failure means "not available": fall back to SQLite
        return False
    return True


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    if url:
        source = "DATABASE_URL"
    elif local_postgres_answers():
        url, source = LOCAL_POSTGRES, "the PostgreSQL answering on 127.0.0.1:5432"
    else:
        url, source = SQLITE, "no PostgreSQL answered on 127.0.0.1:5432"
    engine = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    safe = url.split("@")[-1] if "@" in url else url
    print(f"Tests use {engine} ({safe}), from {source}.", file=sys.stderr)
    print(url)


if __name__ == "__main__":
    main()
