"""Create every topic the app will touch, internal ones included, before the app starts.

The producer hang (issue 12, docs/streaming.md "Known problems"): faust declares its
internal topics (table changelogs, the ledger and tally topics, the assignor's leader
topic) while the worker starts, and a producer that sent to a topic in the seconds
after it was created could keep a metadata snapshot with no leader for it: aiokafka
then retried "no known leader" for minutes, every commit waited on the flush, and the
worker coded nothing. Creating all of them up front, with the admin client, and
waiting until the broker reports a leader for each of their partitions, means the
worker's producer never sees a topic that is still being born.

Changelog topics get compaction that runs early (``CHANGELOG_CONFIG``): a table
value is rewritten on every update, and with the broker defaults nothing is compacted
before a 1 GiB segment rolls, so a long run kept every old version on disk.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from streams.adapters.kafka_clients import admin_kwargs, unreachable
from streams.errors import BrokerError
from streams.settings import Settings

log = logging.getLogger(__name__)

# A changelog segment rolls after 10 minutes (or 64 MiB) and is compacted once a tenth of it is stale.
CHANGELOG_CONFIG = {
    "cleanup.policy": "compact",
    "segment.ms": str(10 * 60 * 1000),
    "segment.bytes": str(64 * 1024 * 1024),
    "min.cleanable.dirty.ratio": "0.1",
    "delete.retention.ms": str(60 * 60 * 1000),
}


@dataclass(frozen=True)
class Spec:
    name: str
    partitions: int
    config: dict[str, str]


def _names(channel: Any) -> list[str]:
    topics = getattr(channel, "topics", None)  # an in-memory app.channel() has none
    return [name for name in topics or () if isinstance(name, str)]


def app_topics(app: Any, settings: Settings) -> list[Spec]:
    """Every topic ``app`` (an unstarted faust app built by ``create_app``) reads, writes or keeps."""
    specs: dict[str, Spec] = {}
    default = settings.topics.partitions

    def add(channel: Any, config: dict[str, str] | None = None) -> None:
        for name in _names(channel):
            partitions = getattr(channel, "partitions", None) or default
            specs.setdefault(name, Spec(name, partitions, dict(config or {})))

    for table in app.tables.values():
        add(table.changelog_topic, CHANGELOG_CONFIG)
    for agent in app.agents.values():
        add(agent.channel)
    if not app.conf.topic_disable_leader:
        name = f"{app.conf.id}-__assignor-__leader"
        specs.setdefault(name, Spec(name, 1, {}))
    return sorted(specs.values(), key=lambda spec: spec.name)


def ensure_app_topics(app: Any, settings: Settings, *, timeout_s: float = 60.0) -> list[str]:
    """Create the missing ones of ``app_topics`` and wait for their leaders; return those created."""
    specs = app_topics(app, settings)
    try:
        admin = KafkaAdminClient(**admin_kwargs(settings.kafka, request_timeout_ms=int(timeout_s * 1000)))
    except (KafkaError, OSError) as exc:
        raise unreachable(settings.kafka, exc) from exc
    try:
        existing = set(admin.list_topics())
        missing = [spec for spec in specs if spec.name not in existing]
        if missing:
            try:
                admin.create_topics(
                    [
                        NewTopic(
                            name=spec.name,
                            num_partitions=spec.partitions,
                            replication_factor=settings.topics.replication_factor,
                            topic_configs=spec.config,
                        )
                        for spec in missing
                    ],
                    timeout_ms=int(timeout_s * 1000),
                )
            except TopicAlreadyExistsError:
                pass  # another worker of the group created one between our listing and our request
            log.info("created internal topics %s", [spec.name for spec in missing])
        _wait_for_leaders(admin, specs, timeout_s=timeout_s)
        return [spec.name for spec in missing]
    except KafkaError as exc:
        raise BrokerError(
            f"cannot create the worker's topics on {settings.kafka.bootstrap_servers}: {exc}"
        ) from exc
    finally:
        admin.close()


def leaderless(described: list[dict[str, Any]], specs: list[Spec]) -> list[str]:
    """The topics of ``specs`` that ``describe_topics`` shows missing, short of partitions or leaderless."""
    by_name = {topic.get("name", topic.get("topic")): topic for topic in described}  # kafka-python 3 / 2
    waiting = []
    for spec in specs:
        topic = by_name.get(spec.name)
        partitions = (topic or {}).get("partitions") or []
        if (
            topic is None
            or topic.get("error_code", 0) != 0
            or len(partitions) < spec.partitions
            or any(p.get("leader_id", p.get("leader", -1)) in (None, -1) for p in partitions)
        ):
            waiting.append(spec.name)
    return waiting


def _wait_for_leaders(admin: KafkaAdminClient, specs: list[Spec], *, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    waiting = [spec.name for spec in specs]
    while True:
        try:
            waiting = leaderless(admin.describe_topics([spec.name for spec in specs]), specs)
        except KafkaError as exc:  # a topic not yet known to the broker it asked
            log.debug("describe_topics: %s", exc)
        if not waiting:
            return
        if time.monotonic() > deadline:
            raise BrokerError(f"topics without a leader after {timeout_s:.0f} s: {', '.join(waiting[:5])}")
        time.sleep(0.2)
