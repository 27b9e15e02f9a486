from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

# The lines name no source file, thread or process, so no record gathers them: the
# logging HOWTO's "Optimization" settings, ~35 µs of a request's log line.
logging._srcfile = None
logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False

# Attributes every LogRecord has; anything else came in through `extra`.
STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JSONFormatter(logging.Formatter):
    """One JSON object per line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in STANDARD_ATTRIBUTES})
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
