"""Races on PostgreSQL with real threads, each on its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def race(tasks: list[Callable[[], object]]) -> list[object]:
    """Run the tasks at once, one thread and connection each; return results or exceptions."""
    barrier = threading.Barrier(len(tasks))
    results: list[object] = [None] * len(tasks)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = tasks[index]()
        except Exception as error:  # recorded and asserted on by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(tasks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
