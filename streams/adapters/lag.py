"""Consumer lag: how far a group's committed offsets are behind the end of each partition.

The same numbers as ``kafka-consumer-groups.sh --describe --group G``: per partition
the committed offset (CURRENT-OFFSET), the log end offset (LOG-END-OFFSET) and their
difference (LAG), with the member that holds the partition. Two sources:

- :func:`group_lag` asks the brokers (kafka-python admin client), for ``wirewatch lag``
  and for anyone outside the worker;
- :func:`worker_lag` asks a running faust worker's own consumer about the partitions
  assigned to it, for its ``/metrics``, its heartbeat and its ``/healthz``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kafka import TopicPartition
from kafka.admin import KafkaAdminClient, OffsetSpec
from kafka.errors import KafkaError

from streams.adapters import faust_patches
from streams.errors import BrokerError


@dataclass(frozen=True)
class PartitionLag:
    topic: str
    partition: int
    committed: int | None  # None: the group never committed an offset here
    start: int  # log start offset (records before it were deleted or compacted away)
    end: int  # log end offset: the offset the next record will get
    member: str | None = None
    host: str | None = None
    client_id: str | None = None

    @property
    def lag(self) -> int | None:
        """Records after the committed offset; None without a commit (kafka-consumer-groups: ``-``)."""
        return None if self.committed is None else max(0, self.end - self.committed)

    @property
    def backlog(self) -> int:
        """Records the group still has to read: the lag, or the whole log when it never committed."""
        return max(0, self.end - (self.start if self.committed is None else max(self.committed, self.start)))


def lag_of(committed: Mapping[Any, int | None], ends: Mapping[Any, int]) -> dict[Any, int]:
    """Per partition, ``end - committed`` (0 at least); a partition without a commit counts whole."""
    return {tp: max(0, end - (committed.get(tp) or 0)) for tp, end in ends.items()}


def _members(admin: KafkaAdminClient, group: str) -> tuple[str, dict[TopicPartition, dict[str, str]]]:
    """The group's state and, per assigned partition, the member holding it."""
    info = admin.describe_groups([group]).get(group) or {}
    owners: dict[TopicPartition, dict[str, str]] = {}
    for member in info.get("members") or []:
        assignment = member.get("member_assignment") or {}
        if not isinstance(assignment, dict):
            continue  # a protocol kafka-python does not decode: no owners shown
        for topic in assignment.get("assigned_partitions") or []:
            for partition in topic.get("partitions") or []:
                owners[TopicPartition(topic["topic"], partition)] = {
                    "member": member.get("member_id") or "",
                    "host": (member.get("client_host") or "").lstrip("/"),
                    "client_id": member.get("client_id") or "",
                }
    return str(info.get("group_state") or "Dead"), owners


def group_lag(
    admin: KafkaAdminClient, group: str, topics: Sequence[str] | None = None
) -> tuple[str, list[PartitionLag]]:
    """(group state, lag per partition) of every partition the group committed to or is assigned.

    ``topics`` narrows the result, and adds their partitions the group never committed to.
    """
    try:
        state, owners = _members(admin, group)
        committed = {
            tp: (meta.offset if meta.offset >= 0 else None)
            for tp, meta in (admin.list_group_offsets({group: None}).get(group) or {}).items()
        }
        partitions = set(committed) | set(owners)
        if topics:
            wanted = set(topics)
            partitions = {tp for tp in partitions if tp.topic in wanted}
            for meta in admin.describe_topics(list(wanted)):
                if meta.get("error_code") == 0:
                    partitions |= {
                        TopicPartition(meta["name"], p["partition_index"]) for p in meta["partitions"]
                    }
        if not partitions:
            return state, []
        ordered = sorted(partitions)
        ends = admin.list_partition_offsets(dict.fromkeys(ordered, OffsetSpec.LATEST))
        starts = admin.list_partition_offsets(dict.fromkeys(ordered, OffsetSpec.EARLIEST))
    except KafkaError as exc:
        raise BrokerError(f"cannot read the offsets of consumer group {group!r}: {exc}") from exc
    rows = []
    for tp in ordered:
        owner = owners.get(tp, {})
        rows.append(PartitionLag(
            tp.topic, tp.partition, committed.get(tp), starts[tp].offset, ends[tp].offset,
            owner.get("member"), owner.get("host"), owner.get("client_id"),
        ))  # fmt: skip
    return state, rows


def render(group: str, state: str, rows: Iterable[PartitionLag]) -> str:
    """The table ``kafka-consumer-groups --describe`` prints, plus a total line."""
    header = ("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID",
              "HOST", "CLIENT-ID")  # fmt: skip
    rows = list(rows)
    table = [header] + [
        (group, r.topic, str(r.partition), "-" if r.committed is None else str(r.committed), str(r.end),
         "-" if r.lag is None else str(r.lag), r.member or "-", r.host or "-", r.client_id or "-")
        for r in rows
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table]
    total = sum(r.backlog for r in rows)
    lines.append(f"group {group} ({state}): {total} record(s) behind across {len(rows)} partition(s)")
    return "\n".join(lines)


async def worker_lag(app: Any, topics: Iterable[str] | None = None) -> dict[Any, int]:
    """Lag of the partitions assigned to this faust worker: log end minus its committed offset.

    ``topics`` narrows it (default: every assigned partition). A partition this worker has
    not committed to yet counts from its current position, else from 0.
    """
    consumer = app.consumer
    wanted = set(topics) if topics is not None else None
    tps = [tp for tp in consumer.assignment() if wanted is None or tp.topic in wanted]
    if not tps:
        return {}
    ends = await consumer.highwaters(*tps)
    committed: dict[Any, int | None] = {}
    for tp in tps:
        offset = faust_patches.committed_offset(consumer, tp)
        if offset is None:
            try:
                offset = await asyncio.wait_for(consumer.position(tp), 2.0)
            except Exception:  # noqa: BLE001 - no position yet (starting, rebalancing)
                offset = None
        committed[tp] = offset
    return lag_of(committed, {tp: end for tp, end in ends.items() if end is not None and end >= 0})
