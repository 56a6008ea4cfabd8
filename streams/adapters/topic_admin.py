"""Create the worker's external topics before it subscribes, with the configured partitions.

A broker with ``auto.create.topics.enable`` would otherwise create them on first
use with its own default partition count (often 1), and a topic's partition count
fixes how many workers can share the work.
"""

from __future__ import annotations

import logging

from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from streams.adapters.kafka_clients import admin_kwargs, unreachable
from streams.errors import BrokerError
from streams.settings import Settings

log = logging.getLogger(__name__)

# Table-like topics: only the latest record per key matters.
COMPACTED = {"canonical", "event_sets"}


def worker_topics(settings: Settings) -> dict[str, str]:
    t = settings.topics
    return {"raw": t.raw, "clean": t.clean, "events": t.events, "event_sets": t.event_sets,
            "canonical": t.canonical,
            "deadletter": t.deadletter, "alerts": t.alerts}


def ensure_topics(settings: Settings, *, timeout_s: float = 30.0) -> list[str]:
    """Create whichever of the worker's topics are missing; return the names created."""
    wanted = worker_topics(settings)
    try:
        admin = KafkaAdminClient(**admin_kwargs(settings.kafka, request_timeout_ms=int(timeout_s * 1000)))
    except (KafkaError, OSError) as exc:
        raise unreachable(settings.kafka, exc) from exc
    try:
        existing = set(admin.list_topics())
        missing = [
            NewTopic(
                name=name,
                num_partitions=settings.topics.partitions,
                replication_factor=settings.topics.replication_factor,
                topic_configs={"cleanup.policy": "compact"} if role in COMPACTED else {},
            )
            for role, name in wanted.items()
            if name not in existing
        ]
        if missing:
            try:
                admin.create_topics(missing, timeout_ms=int(timeout_s * 1000))
            except TopicAlreadyExistsError:
                pass  # another worker created it between our listing and our request
        created = [topic.name for topic in missing]
        if created:
            log.info("created topics %s with %d partitions", created, settings.topics.partitions)
        return created
    except KafkaError as exc:
        raise BrokerError(f"cannot create topics on {settings.kafka.bootstrap_servers}: {exc}") from exc
    finally:
        admin.close()
