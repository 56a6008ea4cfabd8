"""What ``/healthz`` must know besides the partition assignment (issue 12).

``/healthz`` answered 200 while the broker was down: the assignment a worker holds
does not go away when the broker does. Here a timer asks the broker for metadata
every ``PROBE_S`` seconds (within ``PROBE_TIMEOUT_S``) and records when it last
answered, and it checks that processing is not stuck: records are waiting on the
worker's input partitions (end offsets past the committed ones) and no agent has
made progress for ``STUCK_S`` seconds. ``Health.problems`` says what is wrong, in
words, and the view answers 503 with them.

Repeated errors of a broker outage are logged once per ``quiet_logs`` window.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from streams.adapters import faust_patches

log = logging.getLogger(__name__)

PROBE_S = 5.0
PROBE_TIMEOUT_S = 5.0
BROKER_STALE_S = 15.0
STUCK_S = 180.0  # longer than a batch may take (the coder's timeouts: 2 × 60 s, then per article)


@dataclass
class Health:
    broker_ok_at: float | None = None
    broker_error: str | None = None
    behind: bool = False
    started: float = field(default_factory=time.monotonic)

    def problems(self, *, last_progress: float, now: float | None = None) -> list[str]:
        now = time.monotonic() if now is None else now
        out = []
        seen = self.broker_ok_at if self.broker_ok_at is not None else self.started
        if now - seen > BROKER_STALE_S:
            out.append(
                f"broker unreachable for {now - seen:.0f} s"
                + (f": {self.broker_error}" if self.broker_error else "")
            )
        if self.behind and now - last_progress > STUCK_S:
            out.append(f"processing stuck: records waiting and no progress for {now - last_progress:.0f} s")
        return out


async def probe(app: Any, health: Health, consumed: set[str], committed: Any) -> None:
    """One round: metadata from the broker, and whether records wait past the committed offsets."""
    try:
        client = faust_patches.kafka_client(app)
        if client is None:
            raise ConnectionError("the worker's producer has not started")
        await asyncio.wait_for(client.fetch_all_metadata(), PROBE_TIMEOUT_S)
        health.broker_ok_at = time.monotonic()
        health.broker_error = None
    except Exception as exc:  # noqa: BLE001 - any failure is "unreachable", said in /healthz
        health.broker_error = f"{type(exc).__name__}: {exc}"[:200]
        return
    try:
        tps = [tp for tp in app.consumer.assignment() if tp.topic in consumed]
        if not tps:
            health.behind = False
            return
        ends = await asyncio.wait_for(app.consumer.highwaters(*tps), PROBE_TIMEOUT_S)
        health.behind = any((committed(tp) or 0) < end for tp, end in ends.items() if end)
    except Exception:  # noqa: BLE001 - an unknown lag is not "stuck"
        log.debug("health probe: lag unknown", exc_info=True)
        health.behind = False


def attach(app: Any, health: Health, consumed: set[str], committed: Any) -> None:
    @app.timer(interval=PROBE_S)
    async def probe_the_broker() -> None:
        await probe(app, health, consumed, committed)
