"""The events table (one flat row per event) and the worker's feed of the newest events.

The tally agent calls ``apply`` for every message of the ``event`` table: an upsert
writes the event's flat row under ``YYYY-MM-DD|event id``, a retraction (a re-coding
dropped the event) deletes the key. Each upsert is also put, newest first, on this
worker's ``RecentEvents``: what the live page shows as events arrive. The feed is
in memory and per worker (its table partitions); after a restart it starts from the
table, ordered by publication time, until new events arrive.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, MutableMapping
from datetime import UTC, datetime
from typing import Any

from streams.adapters import tallies

RECENT_SIZE = 500


class RecentEvents:
    """The newest event rows applied on this worker, newest first; each with ``received_at`` and ``seq``."""

    def __init__(self, size: int = RECENT_SIZE) -> None:
        self._rows: deque[dict[str, Any]] = deque(maxlen=size)
        self._seq = itertools.count(1)
        self.seeded = False

    def add(self, row: dict[str, Any], *, now: datetime | None = None) -> None:
        event_id = row.get("event_id")
        self.remove(event_id)  # a redelivered event moves to the front, once
        received = (now or datetime.now(UTC)).isoformat()
        self._rows.appendleft({**row, "received_at": received, "seq": next(self._seq)})

    def remove(self, event_id: str | None) -> None:
        kept = [row for row in self._rows if row.get("event_id") != event_id]
        if len(kept) != len(self._rows):
            self._rows = deque(kept, maxlen=self._rows.maxlen)

    def latest(self, limit: int) -> list[dict[str, Any]]:
        return list(itertools.islice(self._rows, limit))

    def seed(self, rows: Iterable[dict[str, Any]]) -> None:
        """Fill an empty feed from the table once (newest publication last in, so first out)."""
        self.seeded = True
        if self._rows:
            return
        ordered = sorted(rows, key=lambda r: (r.get("published_at") or "", r.get("event_id") or ""))
        for row in ordered[-(self._rows.maxlen or RECENT_SIZE) :]:
            self._rows.appendleft({**row, "received_at": None, "seq": next(self._seq)})


def apply(table: MutableMapping[str, Any], key: str, message: dict[str, Any], recent: RecentEvents) -> None:
    """One upsert or retraction of the events table (idempotent)."""
    if message["op"] == tallies.RETRACT:
        if key in table:
            del table[key]
        recent.remove(message.get("event_id"))
        return
    row = message["entry"]
    table[key] = row
    recent.add(row)


def in_range(key: str, start: str, end: str) -> bool:
    """Whether an events-table key's day lies in ``[start, end]`` (ISO dates compare as text)."""
    day = tallies.event_key_day(key)
    return day != tallies.UNDATED and start <= day <= end
