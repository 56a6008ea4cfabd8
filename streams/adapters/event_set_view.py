"""Reading the event-set topic: the latest set per article, as a compacted topic's consumer sees it."""

from __future__ import annotations

import logging
import time
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from pydantic import ValidationError

from schemas.event_sets import EventSet
from streams.adapters.replay_plan import Coded

log = logging.getLogger(__name__)


def latest_sets(
    consumer: KafkaConsumer, topic: str, *, timeout_s: float = 60.0
) -> dict[str, EventSet] | None:
    """Article id → its latest event set, read from the start to the current end; None: no such topic."""
    parts = consumer.partitions_for_topic(topic)
    if not parts:
        return None
    tps = [TopicPartition(topic, p) for p in sorted(parts)]
    consumer.assign(tps)
    consumer.seek_to_beginning(*tps)
    ends: dict[Any, int] = consumer.end_offsets(tps)
    out: dict[str, EventSet] = {}
    deadline = time.monotonic() + timeout_s
    while any(consumer.position(tp) < end for tp, end in ends.items()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{topic}: not read to its end within {timeout_s:.0f} s")
        for records in consumer.poll(timeout_ms=500, max_records=5000).values():
            for record in records:
                if record.value is None:  # a tombstone: the article's set deleted
                    out.pop(record.key.decode("utf-8", "replace") if record.key else "", None)
                    continue
                try:
                    item = EventSet.model_validate_json(record.value)
                except ValidationError as exc:
                    log.warning(
                        "%s[%d]@%d is not an event set, skipped: %s",
                        topic,
                        record.partition,
                        record.offset,
                        str(exc).splitlines()[0],
                    )
                    continue
                out[item.article_id] = item
    return out


def coded_versions(sets: dict[str, EventSet]) -> dict[str, Coded]:
    """Per coder version: how many articles' latest sets it made, their events, its fingerprints."""
    acc: dict[str, dict[str, Any]] = {}
    for item in sets.values():
        slot = acc.setdefault(item.coder_version, {"articles": 0, "events": 0, "fingerprints": set()})
        slot["articles"] += 1
        slot["events"] += len(item.event_ids)
        if item.coder_fingerprint:
            slot["fingerprints"].add(item.coder_fingerprint)
    return {
        v: Coded(articles=s["articles"], events=s["events"], fingerprints=frozenset(s["fingerprints"]))
        for v, s in sorted(acc.items())
    }
