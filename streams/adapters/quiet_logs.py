"""Repeated log lines rate-limited with counts, and no traceback for a client's bad request (issue 12).

A 15 s broker outage wrote ~2,550 error lines (aiokafka and faust retry in tight loops,
each failure logged), and every over-long URL logged a full aiohttp traceback. The
filter here, put on the root logger's handlers once the worker's logging is set up,
lets ``BURST`` lines of one kind (logger, level, message template) through per
``WINDOW_S`` seconds, drops the rest, and says how many it dropped on the next line of
that kind that passes. A request aiohttp could not parse (line too long, bad method …)
is logged as one warning line without its traceback.
"""

from __future__ import annotations

import logging
import time
from typing import Any

WINDOW_S = 30.0
BURST = 5


class RateLimit(logging.Filter):
    def __init__(
        self, *, window_s: float = WINDOW_S, burst: int = BURST, clock: Any = time.monotonic
    ) -> None:
        super().__init__()
        self.window_s = window_s
        self.burst = burst
        self.clock = clock
        self._seen: dict[tuple[str, int, str], list[float]] = {}  # key → [window start, passed, dropped]

    def filter(self, record: logging.LogRecord) -> bool:
        _one_line_bad_request(record)
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, record.levelno, str(record.msg))
        now = self.clock()
        state = self._seen.get(key)
        if state is None or now - state[0] >= self.window_s:
            dropped = int(state[2]) if state else 0
            self._seen[key] = [now, 1, 0]
            if dropped:
                record.msg = (
                    f"{record.msg} [{dropped} more like this in the last {self.window_s:.0f} s not shown]"
                )
            if len(self._seen) > 10_000:  # bounded: forget the oldest kinds
                for old in sorted(self._seen, key=lambda k: self._seen[k][0])[:5_000]:
                    del self._seen[old]
            return True
        if state[1] < self.burst:
            state[1] += 1
            return True
        state[2] += 1
        return False


def _one_line_bad_request(record: logging.LogRecord) -> None:
    if not record.name.startswith("aiohttp") or not record.exc_info:
        return
    exc = record.exc_info[1]
    try:
        from aiohttp.http_exceptions import HttpProcessingError
    except ImportError:  # pragma: no cover
        return
    if isinstance(exc, HttpProcessingError):
        record.msg = "bad HTTP request refused: %s"
        record.args = (f"{type(exc).__name__}: {str(exc)[:200]}",)
        record.exc_info = None
        record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"


def install(root: logging.Logger | None = None) -> RateLimit:
    """Put one ``RateLimit`` on every handler of ``root`` (the root logger by default)."""
    root = root or logging.getLogger()
    flt = next((f for h in root.handlers for f in h.filters if isinstance(f, RateLimit)), None) or RateLimit()
    for handler in root.handlers:
        if flt not in handler.filters:
            handler.addFilter(flt)
    return flt
