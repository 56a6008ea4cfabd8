"""The one place topics are created: the worker's, faust's internal ones, `wirewatch topics`, bench, tests.

``create_topics`` (an open admin client) and ``ensure_topics`` (it opens one) take
``TopicSpec`` lists; ``worker_specs``, ``role_specs``, ``app_specs`` and ``specs`` build
them. No other module calls kafka-python's ``create_topics`` (tests/unit/test_boundaries.py).

Why the worker creates its topics first:

- A broker with ``auto.create.topics.enable`` would otherwise create them on first use
  with its own default partition count (often 1), and a topic's partition count fixes
  how many workers can share the work; faust also subscribes only to topics that exist
  when its group forms (an auto-created one is noticed at the next metadata refresh).
- The producer hang (issue 12, docs/streaming.md "Known problems"): faust declares its
  internal topics (table changelogs, the ledger and tally topics, the assignor's leader
  topic) while the worker starts, and a producer that sent to a topic in the seconds
  after it was created could keep a metadata snapshot with no leader for it: aiokafka
  then retried "no known leader" for minutes, every commit waited on the flush, and the
  worker coded nothing. So every topic is created up front, with the admin client, and
  ``create_topics`` waits until the broker reports a leader for each of its partitions:
  the worker's producer never sees a topic that is still being born.

Changelog topics get compaction that runs early (``CHANGELOG_CONFIG``): a table value
is rewritten on every update, and with the broker defaults nothing is compacted before
a 1 GiB segment rolls, so a long run kept every old version on disk.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient
from kafka.errors import KafkaError

from streams.adapters.kafka_clients import admin_client
from streams.errors import BrokerError
from streams.settings import KafkaSettings, Settings

log = logging.getLogger(__name__)

# Table-like topics: only the latest record per key matters.
COMPACTED = {"canonical", "event_sets"}
ROLES = ("raw", "clean", "events", "event_sets", "canonical", "deadletter", "alerts")

# A changelog segment rolls after 10 minutes (or 64 MiB) and is compacted once a tenth of it is stale.
CHANGELOG_CONFIG = {
    "cleanup.policy": "compact",
    "segment.ms": str(10 * 60 * 1000),
    "segment.bytes": str(64 * 1024 * 1024),
    "min.cleanable.dirty.ratio": "0.1",
    "delete.retention.ms": str(60 * 60 * 1000),
}

_ERR_TOPIC_EXISTS = 36  # Kafka protocol error code


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    replication_factor: int = 1
    configs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CreateResult:
    name: str
    status: str  # created | exists
    detail: str = ""


# --- specs ---------------------------------------------------------------------------------------


def worker_topics(settings: Settings) -> dict[str, str]:
    """The worker's external topics by role (``ROLES``): role → name."""
    t = settings.topics
    return {role: getattr(t, role) for role in ROLES}


def role_specs(names: Mapping[str, str], *, partitions: int, replication_factor: int = 1) -> list[TopicSpec]:
    """Specs for topics named by role (``worker_topics``' shape): the table-like roles compacted."""
    return [
        TopicSpec(
            name, partitions, replication_factor, {"cleanup.policy": "compact"} if role in COMPACTED else {}
        )
        for role, name in names.items()
    ]


def worker_specs(settings: Settings) -> list[TopicSpec]:
    """Every external topic the worker reads or writes, as ``settings`` configures it."""
    t = settings.topics
    return role_specs(
        worker_topics(settings), partitions=t.partitions, replication_factor=t.replication_factor
    )


def specs(
    names: Iterable[str],
    *,
    partitions: int = 1,
    replication_factor: int = 1,
    configs: Mapping[str, str] | None = None,
) -> list[TopicSpec]:
    """The same spec for each of ``names`` (bench and test topics)."""
    return [TopicSpec(name, partitions, replication_factor, dict(configs or {})) for name in names]


def _names(channel: Any) -> list[str]:
    topics = getattr(channel, "topics", None)  # an in-memory app.channel() has none
    return [name for name in topics or () if isinstance(name, str)]


def app_specs(app: Any, settings: Settings) -> list[TopicSpec]:
    """Every topic ``app`` (an unstarted faust app built by ``create_app``) reads, writes or keeps."""
    found: dict[str, TopicSpec] = {}
    default = settings.topics.partitions
    replication = settings.topics.replication_factor

    def add(channel: Any, configs: dict[str, str] | None = None) -> None:
        for name in _names(channel):
            partitions = getattr(channel, "partitions", None) or default
            found.setdefault(name, TopicSpec(name, partitions, replication, dict(configs or {})))

    for table in app.tables.values():
        add(table.changelog_topic, CHANGELOG_CONFIG)
    for agent in app.agents.values():
        add(agent.channel)
    if not app.conf.topic_disable_leader:
        name = f"{app.conf.id}-__assignor-__leader"
        found.setdefault(name, TopicSpec(name, 1, replication))
    return sorted(found.values(), key=lambda spec: spec.name)


# --- creating ------------------------------------------------------------------------------------


def create_topics(
    admin: KafkaAdminClient, wanted: Sequence[TopicSpec], *, timeout_s: float = 60.0
) -> list[CreateResult]:
    """Create every missing topic of ``wanted`` and wait until each partition has a leader.

    An existing topic is left alone and reported as it is (its partitions and configs
    against the spec's, in ``detail``); one another client creates between our request
    and its answer counts as existing. Results come in the order of ``wanted``.
    """
    if not wanted:
        return []
    by_name = {s.name: s for s in wanted}
    request = {
        s.name: {
            "num_partitions": s.partitions,
            "replication_factor": s.replication_factor,
            "configs": s.configs,
        }
        for s in by_name.values()
    }
    response = admin.create_topics(request, timeout_ms=int(timeout_s * 1000), raise_errors=False)
    created, existing = [], []
    for topic in response["topics"]:
        name, code = topic["name"], topic["error_code"]
        if code == 0:
            created.append(name)
        elif code == _ERR_TOPIC_EXISTS:
            existing.append(name)
        else:
            raise BrokerError(f"cannot create topic {name}: {topic.get('error_message') or f'error {code}'}")
    if created:
        log.info("created topics %s", created)
    _wait_for_leaders(
        admin, [by_name[n] for n in created], [by_name[n] for n in existing], timeout_s=timeout_s
    )
    results = [CreateResult(name, "created", _spec_text(by_name[name])) for name in created]
    for info in describe_topics(admin, existing) if existing else []:
        spec = by_name[info.name]
        notes = []
        if info.partitions != spec.partitions:
            notes.append(f"has {info.partitions} partitions, settings say {spec.partitions}")
        for key, value in spec.configs.items():
            if info.configs.get(key) != value:
                notes.append(f"{key}={info.configs.get(key, 'default')}, settings say {value}")
        if notes:
            log.warning("topic %s exists but %s", info.name, "; ".join(notes))
        results.append(CreateResult(info.name, "exists", "; ".join(notes) or _spec_text(spec)))
    order = {name: i for i, name in enumerate(by_name)}
    return sorted(results, key=lambda r: order[r.name])


def ensure_topics(kafka: KafkaSettings, wanted: Sequence[TopicSpec], *, timeout_s: float = 60.0) -> list[str]:
    """``create_topics`` on a client of its own; return the names it created."""
    try:
        with admin_client(kafka, request_timeout_ms=int(timeout_s * 1000)) as admin:
            results = create_topics(admin, wanted, timeout_s=timeout_s)
    except KafkaError as exc:
        raise BrokerError(f"cannot create topics on {kafka.bootstrap_servers}: {exc}") from exc
    return [r.name for r in results if r.status == "created"]


def _spec_text(spec: TopicSpec) -> str:
    configs = "".join(f", {k}={v}" for k, v in spec.configs.items())
    return f"{spec.partitions} partitions, replication {spec.replication_factor}{configs}"


def leaderless(
    described: list[dict[str, Any]], created: Sequence[TopicSpec], existing: Sequence[TopicSpec] = ()
) -> list[str]:
    """The topics ``describe_topics`` shows missing or with a partition without a leader.

    A topic of ``created`` must also have the spec's partitions (the broker may show
    them one by one); one of ``existing`` keeps the partitions it has (a mismatch is
    reported by ``create_topics``, not waited for).
    """
    by_name = {topic.get("name", topic.get("topic")): topic for topic in described}  # kafka-python 3 / 2
    waiting = []
    for spec, new in [*((s, True) for s in created), *((s, False) for s in existing)]:
        topic = by_name.get(spec.name)
        partitions = (topic or {}).get("partitions") or []
        if (
            topic is None
            or topic.get("error_code", 0) != 0
            or not partitions
            or (new and len(partitions) < spec.partitions)
            or any(p.get("leader_id", p.get("leader", -1)) in (None, -1) for p in partitions)
        ):
            waiting.append(spec.name)
    return waiting


def _wait_for_leaders(
    admin: KafkaAdminClient, created: Sequence[TopicSpec], existing: Sequence[TopicSpec], *, timeout_s: float
) -> None:
    names = [spec.name for spec in (*created, *existing)]
    if not names:
        return
    deadline = time.monotonic() + timeout_s
    waiting = names
    while True:
        try:
            waiting = leaderless(admin.describe_topics(names), created, existing)
        except KafkaError as exc:  # a topic not yet known to the broker it asked
            log.debug("describe_topics: %s", exc)
        if not waiting:
            return
        if time.monotonic() > deadline:
            raise BrokerError(f"topics without a leader after {timeout_s:.0f} s: {', '.join(waiting[:5])}")
        time.sleep(0.2)


# --- describing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartitionInfo:
    partition: int
    leader: int
    replicas: list[int]
    isr: list[int]


@dataclass(frozen=True)
class TopicInfo:
    name: str
    exists: bool
    partition_list: list[PartitionInfo]
    configs: dict[str, str]

    @property
    def partitions(self) -> int:
        return len(self.partition_list)


def describe_topics(admin: KafkaAdminClient, names: Sequence[str]) -> list[TopicInfo]:
    """Partitions, leaders, replicas and the topic's non-default configs."""
    metadata = {t["name"]: t for t in admin.describe_topics(list(names))}
    present = [n for n in names if metadata.get(n, {}).get("error_code") == 0]
    configs: dict[str, dict[str, Any]] = {}
    if present:
        resources = [ConfigResource(ConfigResourceType.TOPIC, n) for n in present]
        configs = admin.describe_configs(resources).get("topic", {})
    infos = []
    for name in names:
        meta = metadata.get(name)
        if meta is None or meta["error_code"] != 0:
            infos.append(TopicInfo(name, False, [], {}))
            continue
        parts = sorted(
            (
                PartitionInfo(
                    p["partition_index"], p["leader_id"], list(p["replica_nodes"]), list(p["isr_nodes"])
                )
                for p in meta["partitions"]
            ),
            key=lambda p: p.partition,
        )
        values = {k: str(v["value"]) for k, v in configs.get(name, {}).items()}
        infos.append(TopicInfo(name, True, parts, values))
    return infos
