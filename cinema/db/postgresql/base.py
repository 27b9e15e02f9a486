"""Django's PostgreSQL backend with a health check that costs no round trip.

With CONN_HEALTH_CHECKS Django sends `SELECT 1` before the first query of
every request that reuses a connection (~0.5 ms; the whole of a cached seat
map's database time). A server that ends a connection (a restart, an admin's
pg_terminate_backend, idle timeouts) writes to it before it goes (the FATAL
message, then end of file): an idle connection with something to read is one
the server gave up, and only then is it replaced. After errors Django still
asks `is_usable()`, the real round trip.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self) -> None:
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if not self._still_open():
            self.close()
        self.health_check_done = True

    def _still_open(self) -> bool:
        connection = self.connection
        if connection.closed or connection.broken:
            return False
        if connection.info.transaction_status != TransactionStatus.IDLE:
            return self.is_usable()
        readable, _, _ = select.select([connection.fileno()], [], [], 0)
        return not readable
