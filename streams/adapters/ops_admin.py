"""Kafka operations behind ``wirewatch publish|tail|replay|topics`` (kafka-python).

Plain functions over kafka-python clients built from ``KafkaSettings`` by
``streams.adapters.kafka_clients``, so the commands stay thin and the tests can
call them against a real broker.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, OffsetSpec, OffsetTimestamp
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata

from streams.adapters.kafka_clients import connected, consumer_kwargs, producer_kwargs
from streams.adapters.topic_admin import worker_topics
from streams.errors import BrokerError, ConfigError, InputError
from streams.settings import KafkaSettings, Settings

REPLAY_HEADER = "wirewatch-replay-of"


def resolve_topic(settings: Settings, name: str) -> str:
    """A topic name, or one of the aliases raw/clean/events/canonical/deadletter/alerts."""
    return worker_topics(settings).get(name, name)


# --- clients -------------------------------------------------------------------------------------


def producer_client(kafka: KafkaSettings, **overrides: Any) -> AbstractContextManager[KafkaProducer]:
    options = producer_kwargs(kafka, linger_ms=10, **overrides)
    return connected(kafka, lambda: KafkaProducer(**options), lambda producer: producer.close(timeout=30))


def consumer_client(kafka: KafkaSettings, **overrides: Any) -> AbstractContextManager[KafkaConsumer]:
    """A group-less consumer: it is assigned partitions explicitly and commits nothing."""
    options = consumer_kwargs(kafka, group_id=None, enable_auto_commit=False, **overrides)
    return connected(kafka, lambda: KafkaConsumer(**options), KafkaConsumer.close)


def partitions_of(consumer: KafkaConsumer, topic: str) -> list[TopicPartition]:
    parts = consumer.partitions_for_topic(topic)
    if not parts:
        raise InputError(f"topic {topic!r} does not exist (create it with `wirewatch topics create`)")
    return [TopicPartition(topic, p) for p in sorted(parts)]


# --- times ---------------------------------------------------------------------------------------

_RELATIVE = re.compile(r"^(\d+)\s*([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_time(text: str, *, now: datetime | None = None) -> datetime:
    """ISO 8601 (``2022-09-20``, ``2022-09-20T06:00:00Z``; no zone = UTC) or an age such as ``2h``, ``7d``."""
    value = text.strip()
    match = _RELATIVE.match(value)
    if match:
        amount, unit = int(match.group(1)), _UNITS[match.group(2)]
        return (now or datetime.now(UTC)) - timedelta(**{unit: amount})
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(
            f"cannot read time {text!r}: use ISO 8601 such as 2022-09-20 or 2022-09-20T06:00:00Z,"
            " or an age like 2h"
        ) from exc
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


# --- offsets -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartitionRange:
    partition: TopicPartition
    start: int
    stop: int  # exclusive

    @property
    def count(self) -> int:
        return max(0, self.stop - self.start)


def offset_ranges(
    admin: KafkaAdminClient,
    partitions: Sequence[TopicPartition],
    *,
    start: datetime | None,
    stop: datetime | None = None,
) -> list[PartitionRange]:
    """Per partition, the offsets of records with ``start <= timestamp < stop`` (None: log start / end).

    Record timestamps are the times records were written to the topic (CreateTime),
    not the articles' publication times.
    """
    earliest = admin.list_partition_offsets(dict.fromkeys(partitions, OffsetSpec.EARLIEST))
    latest = admin.list_partition_offsets(dict.fromkeys(partitions, OffsetSpec.LATEST))

    def at(when: datetime | None, default: dict[TopicPartition, Any]) -> dict[TopicPartition, int]:
        if when is None:
            return {tp: default[tp].offset for tp in partitions}
        found = admin.list_partition_offsets({tp: OffsetTimestamp(_ms(when)) for tp in partitions})
        # -1: no record at or after that time, i.e. the end of the log
        return {tp: (found[tp].offset if found[tp].offset >= 0 else latest[tp].offset) for tp in partitions}

    starts = at(start, earliest)
    stops = at(stop, latest)
    return [PartitionRange(tp, starts[tp], max(starts[tp], stops[tp])) for tp in partitions]


def group_state(admin: KafkaAdminClient, group: str, *, attempts: int = 10) -> tuple[str, int]:
    """(state, active members) of a consumer group; retried while the coordinator is being elected."""
    for attempt in range(attempts):
        try:
            info = admin.describe_groups([group])[group]
            return str(info.get("group_state") or "Dead"), len(info.get("members") or [])
        except KafkaError as exc:
            if not getattr(exc, "retriable", False) or attempt == attempts - 1:
                raise BrokerError(f"cannot describe consumer group {group!r}: {exc}") from exc
            time.sleep(0.5)
    raise AssertionError("unreachable")


def committed_offsets(
    admin: KafkaAdminClient, group: str, partitions: Sequence[TopicPartition]
) -> dict[TopicPartition, int | None]:
    offsets = admin.list_group_offsets({group: list(partitions)}).get(group, {})
    result: dict[TopicPartition, int | None] = {}
    for tp in partitions:
        meta = offsets.get(tp)
        result[tp] = meta.offset if meta is not None and meta.offset >= 0 else None
    return result


def reset_group(
    admin: KafkaAdminClient, group: str, ranges: Sequence[PartitionRange]
) -> list[tuple[PartitionRange, int | None]]:
    """Rewind ``group``'s committed offsets to each range's start; return (applied range, previous offset).

    Only ever rewinds: a partition whose group offset is already before the range
    start keeps it, so a replay never skips records the worker has not processed yet.
    The group must have no live members: Kafka rejects commits from outside an active
    group, and a running worker would overwrite them with its own position anyway.
    """
    state, members = group_state(admin, group)
    if members:
        raise BrokerError(
            f"consumer group {group!r} has {members} active member(s) (state {state}): stop the worker(s) "
            "first, or use `wirewatch replay --republish` while they run"
        )
    previous = committed_offsets(admin, group, [r.partition for r in ranges])
    applied = []
    for r in ranges:
        before = previous.get(r.partition)
        start = r.start if before is None else min(r.start, before)
        applied.append((PartitionRange(r.partition, start, max(start, r.stop)), before))
    errors = admin.alter_group_offsets(
        group, {r.partition: OffsetAndMetadata(r.start, "", -1) for r, _ in applied}
    )
    failed = {tp: err for tp, err in errors.items() if getattr(err, "errno", 0)}
    if failed:
        detail = ", ".join(f"{tp.topic}[{tp.partition}]: {err.__name__}" for tp, err in failed.items())
        raise BrokerError(f"could not reset the offsets of group {group!r}: {detail}")
    return applied


def republish(
    kafka: KafkaSettings,
    ranges: Sequence[PartitionRange],
    *,
    target: str,
    on_record: Callable[[], None] = lambda: None,
    poll_timeout_s: float = 30.0,
) -> int:
    """Copy the records in ``ranges`` to ``target`` (same key, value, headers + a replay header)."""
    wanted = [r for r in ranges if r.count]
    if not wanted:
        return 0
    sent = 0
    failures: list[BaseException] = []
    with consumer_client(kafka) as consumer, producer_client(kafka) as producer:
        consumer.assign([r.partition for r in wanted])
        for r in wanted:
            consumer.seek(r.partition, r.start)
        remaining = {r.partition: r.stop for r in wanted}
        idle_since = time.monotonic()
        while remaining:
            batch = consumer.poll(timeout_ms=500, max_records=500)
            if not batch:
                if time.monotonic() - idle_since > poll_timeout_s:
                    left = ", ".join(
                        f"{tp.partition}@{consumer.position(tp)}<{stop}" for tp, stop in remaining.items()
                    )
                    raise BrokerError(f"replay stalled: no records for {poll_timeout_s:.0f}s ({left})")
                continue
            idle_since = time.monotonic()
            for tp, records in batch.items():
                stop = remaining.get(tp)
                if stop is None:
                    continue
                for rec in records:
                    if rec.offset >= stop:
                        break
                    origin = f"{tp.topic}/{tp.partition}/{rec.offset}".encode()
                    headers = [*(rec.headers or []), (REPLAY_HEADER, origin)]
                    future = producer.send(target, key=rec.key, value=rec.value, headers=headers)
                    future.add_errback(failures.append)
                    sent += 1
                    on_record()
                if consumer.position(tp) >= stop or (records and records[-1].offset >= stop - 1):
                    remaining.pop(tp, None)
                    consumer.pause(tp)
        producer.flush(timeout=60)
    if failures:
        raise BrokerError(f"{len(failures)} of {sent} replayed records were not written: {failures[0]}")
    return sent
