"""HTTP views may never starve the coding (issue 12).

The worker's event loop also drives the agents, the consumer's heartbeats and the
commits; a view that scans a whole table on it stops all of them for as long as the
scan takes, and a flood of such requests stopped the coding altogether. So:

- parameters (ranges, limits) are checked before any work (``http_query``);
- a table scan runs on a thread (``ViewGuard.run``), not on the event loop;
- at most ``concurrency`` scans run at once on a worker, and at most ``queue`` more
  wait for a slot: any further request is answered at once with 503 and a
  ``Retry-After`` instead of piling up (``Busy``);
- a scan that does not finish within ``timeout_s`` is answered with 503 too (the
  thread finishes its work and is dropped).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

CONCURRENCY = 2
QUEUE = 8
TIMEOUT_S = 20.0
RETRY_AFTER_S = 2


class Busy(Exception):
    """The worker is already running as many view scans as it allows."""


class ViewGuard:
    def __init__(
        self, *, concurrency: int = CONCURRENCY, queue: int = QUEUE, timeout_s: float = TIMEOUT_S
    ) -> None:
        self.concurrency = concurrency
        self.queue = queue
        self.timeout_s = timeout_s
        self._slots: asyncio.Semaphore | None = None
        self.waiting = 0
        self.refused = 0

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on a thread, once a slot is free; ``Busy`` when too many wait already."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.concurrency)  # made on the loop that uses it
        if self._slots.locked() and self.waiting >= self.queue:
            self.refused += 1
            raise Busy(
                f"the worker is answering {self.concurrency + self.waiting} heavy queries; retry shortly"
            )
        self.waiting += 1
        try:
            await asyncio.wait_for(self._slots.acquire(), self.timeout_s)
        except TimeoutError:
            self.refused += 1
            raise Busy("no view slot became free in time; retry shortly") from None
        finally:
            self.waiting -= 1
        try:
            return await asyncio.wait_for(asyncio.to_thread(fn, *args), self.timeout_s)
        except TimeoutError:
            raise Busy(f"the query did not finish within {self.timeout_s:.0f} s; narrow it") from None
        finally:
            self._slots.release()


def guard_of(app: Any) -> ViewGuard:
    """The app's one guard (made on first use)."""
    guard = getattr(app, "_wirewatch_view_guard", None)
    if guard is None:
        guard = ViewGuard()
        app._wirewatch_view_guard = guard
    return guard


def busy_response(view: Any, exc: Busy) -> Any:
    return view.json(
        {"error": str(exc), "status": 503}, status=503, headers={"Retry-After": str(RETRY_AFTER_S)}
    )
