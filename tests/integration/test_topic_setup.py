"""Every topic the worker touches exists, with a leader, before faust starts (issue 12: the producer hang).

The hang: a worker's producer that sent to an internal topic faust had just created kept
finding no leader for it for minutes. The worker now creates them all first; here we check
that it did create every one (nothing was left for faust or the broker to auto-create) and
that the changelogs compact early.
"""

from __future__ import annotations

import pytest
from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType
from streamkit import StreamEnv, TopicReader, Worker, encode, poll, publish, seed_article

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
