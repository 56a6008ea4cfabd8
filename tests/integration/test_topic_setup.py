"""Every topic the worker touches exists, with a leader, before faust starts (issue 12: the producer hang).

The hang: a worker's producer that sent to an internal topic faust had just created kept
finding no leader for it for minutes. The worker now creates them all first; here we check
that it did create every one (nothing was left for faust or the broker to auto-create) and
that the changelogs compact early, and that ``topic_admin`` (the one module creating topics)
returns only once every partition has a leader.
"""

from __future__ import annotations

import pytest
from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType
from streamkit import StreamEnv, TopicReader, Worker, encode, poll, publish, seed_article

from streams.adapters import topic_admin
from streams.adapters.kafka_clients import admin_client
from streams.settings import KafkaSettings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(420)]


def test_the_worker_creates_every_internal_topic_before_it_starts(kafka_bootstrap, tmp_path):
    env = StreamEnv(kafka_bootstrap, tmp_path)
    env.create_topics()
    worker = Worker(env).start()
    events = TopicReader(kafka_bootstrap, env.topics["events"])
    try:
        worker.wait_healthy()
        publish(kafka_bootstrap, env.topics["raw"], [encode(seed_article())])
        poll(lambda: events.read() or events.records, timeout_s=120, what="the seed's events")
        log = worker.log_path.read_text(encoding="utf-8", errors="replace")
        line = next(line for line in log.splitlines() if line.startswith("created internal topics: "))
        created = set(line.split(": ", 1)[1].split(", "))
        admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
        try:
            internal = {t for t in admin.list_topics() if t.startswith(env.app_id)}
            changelogs = sorted(t for t in created if t.endswith("-changelog"))
            configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, changelogs[0])])
        finally:
            admin.close()
        assert internal == created, f"created by someone else: {sorted(internal - created)}"
        assert {f"{env.app_id}-{t}-changelog" for t in ("ledger", "dyads", "actors", "events")} <= created
        assert f"{env.app_id}-__assignor-__leader" in created
        entries = {name: c["value"] for name, c in configs["topic"][changelogs[0]].items()}
        assert entries.get("cleanup.policy") == "compact"
        assert entries.get("min.cleanable.dirty.ratio") == "0.1" and entries.get("segment.ms") == "600000"
        assert "no known leader" not in log, worker.log_tail(40)
    finally:
        events.close()
        code = worker.stop()
    assert code == 0, worker.log_tail()


def test_topic_admin_creates_the_missing_topics_and_returns_once_each_has_its_leaders(
    kafka_bootstrap, unique_topic
):
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    old, table, plain = unique_topic("old"), unique_topic("table-changelog"), unique_topic("plain")
    assert topic_admin.ensure_topics(kafka, topic_admin.specs([old], partitions=2)) == [old]
    wanted = [
        topic_admin.TopicSpec(old, 4),  # exists with 2: reported, left alone, not waited for
        topic_admin.TopicSpec(table, 3, 1, topic_admin.CHANGELOG_CONFIG),
        topic_admin.TopicSpec(plain, 5),
    ]
    with admin_client(kafka) as admin:
        results = topic_admin.create_topics(admin, wanted, timeout_s=60)
        described = admin.describe_topics([table, plain])  # at once: no wait between return and use
        infos = {i.name: i for i in topic_admin.describe_topics(admin, [old, table, plain])}
    assert [(r.name, r.status) for r in results] == [(old, "exists"), (table, "created"), (plain, "created")]
    assert results[0].detail == "has 2 partitions, settings say 4"
    assert topic_admin.leaderless(described, wanted[1:]) == []
    assert [infos[n].partitions for n in (old, table, plain)] == [2, 3, 5]
    assert all(p.leader >= 0 for n in (table, plain) for p in infos[n].partition_list)
    changelog = topic_admin.CHANGELOG_CONFIG
    assert {k: infos[table].configs.get(k) for k in changelog} == changelog
    assert topic_admin.ensure_topics(kafka, wanted) == []  # a second run creates nothing
