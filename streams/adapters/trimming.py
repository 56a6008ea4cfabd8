"""The worker's side of the retention windows (``streams.adapters.retention``, issue 12).

A faust table may be written only while an agent handles a message keyed like it (the change
goes to that message's changelog partition; a timer has no message). So a timer on each worker
scans its own table partitions, and for every expired key *sends* a retention message keyed by
it on the topic of the agent that owns the table: the ledger topic for the ledger, the blocks
topic for the story blocks. That agent checks the entry once more (it may have been re-coded
since) and deletes it, which writes a tombstone to the table's changelog: the compacted
changelog drops the entry, and a restarted worker, rebuilding the table from the changelog or
from its RocksDB files, does not bring it back. A retention message is idempotent: sent twice,
or for a key already gone, it changes nothing.

When the ledger forgets an article, the watch-alert state of that article goes with it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from streams.adapters import block_parts, retention

log = logging.getLogger(__name__)

# At most this many retention messages per pass (the rest on the next one); values read per yield.
MAX_PER_PASS = 10_000
CHUNK = 500


def busy(app: Any) -> bool:
    return bool(getattr(app, "rebalancing", False) or getattr(app, "in_recovery", False))


async def times_of(
    table: Any, time_of: Callable[[str, Any], Any], *, read_values: bool = True
) -> list[tuple[str, datetime | None]]:
    """``(key, time)`` of every key in this worker's partitions of ``table``, yielding to the loop."""
    keys = list(table.keys())
    out: list[tuple[str, datetime | None]] = []
    for n, key in enumerate(keys):
        value = table.get(key) if read_values else None
        if read_values and value is None:
            continue
        out.append((key, time_of(key, value)))
        if n % CHUNK == CHUNK - 1:
            await asyncio.sleep(0)
    return out


def ledger_time(_key: str, value: Any) -> datetime | None:
    return retention.parse_time(value.get(retention.AT)) if isinstance(value, dict) else None


async def trim_ledger(app: Any, w: Any, *, days: float, wall: datetime | None = None) -> retention.Expiry:
    """One pass over the ledger: retention messages for expired articles, a time for unstamped ones."""
    if busy(app):
        return retention.Expiry()
    wall = wall or datetime.now(UTC)
    found = retention.expiry(await times_of(w.ledger, ledger_time), days=days, wall=wall)
    if found.cutoff is not None:
        for key in found.expired[:MAX_PER_PASS]:
            await w.ledger_topic.send(key=key, value=retention.trim_message(found.cutoff))
    for key in found.unstamped[:MAX_PER_PASS]:  # written before retention: its window starts now
        await w.ledger_topic.send(key=key, value=retention.stamp_message(wall))
    if found.expired or found.unstamped:
        log.info(
            "retention: ledger: %d article(s) older than %s (clock %s, window %g days) to forget, "
            "%d to stamp",
            len(found.expired),
            found.cutoff,
            found.now,
            days,
            len(found.unstamped),
        )
    return found


async def on_ledger_message(w: Any, article_id: str, message: dict[str, Any]) -> bool:
    """The ledger agent's handling of a retention message; True when the entry was deleted."""
    value = w.ledger.get(article_id)
    stamp = retention.stamp_of(message)
    if stamp is not None:
        if value is not None and retention.AT not in value:
            w.ledger[article_id] = {**value, retention.AT: retention.iso(stamp)}
        return False
    if not retention.ledger_expired(value, retention.cutoff_of(message)):
        return False
    del w.ledger[article_id]
    watch = w.sinks.get("watch")
    if watch is not None:
        await watch.send(key=article_id, value=message)
    return True


async def trim_blocks(
    app: Any, blocks: Any, topic: Any, *, days: float, block_days: int, wall: datetime | None = None
) -> retention.Expiry:
    """One pass over the story blocks: retention messages for blocks whose days ended before the cutoff."""
    if busy(app):
        return retention.Expiry()
    times = await times_of(
        blocks, lambda key, _: retention.block_end(key, block_days=block_days), read_values=False
    )
    times = [(key, end) for key, end in times if not block_parts.is_part(key)]  # parts go with their block
    found = retention.expiry(times, days=days, wall=wall or datetime.now(UTC))
    if found.cutoff is not None:
        for key in found.expired[:MAX_PER_PASS]:
            await topic.send(key=key, value=retention.trim_message(found.cutoff))
        if found.expired:
            log.info(
                "retention: stories: %d block(s) ended before %s (clock %s, window %g days) to forget",
                len(found.expired),
                found.cutoff,
                found.now,
                days,
            )
    return found


def on_block_message(blocks: Any, key: str, message: dict[str, Any], *, block_days: int) -> bool:
    """The canonical agent's handling of a retention message; True when the block was deleted."""
    if block_parts.is_part(key) or not retention.block_expired(
        key, retention.cutoff_of(message), block_days=block_days
    ):
        return False
    stored = block_parts.load(blocks, key)
    if stored.head is None:
        return False
    block_parts.delete(blocks, key, stored)  # the block and its parts: a tombstone each
    return True
