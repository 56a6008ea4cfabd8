"""The worker with alerting on the real broker: canonical stories and alerts from the sample wire.

Expected values come from the offline coder and the pure functions (``dedup.merge``,
``alerts.evaluate_watch``), so the test checks the streaming wiring, not the coder:
the latest canonical record per story equals the offline fold, the alert ids equal
the offline rule evaluation, and publishing the same articles again (a replay)
adds no canonical record and no alert.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from streamkit import (
    REPO,
    StreamEnv,
    TopicReader,
    Worker,
    encode,
    group_caught_up,
    pipeline_topics,
    poll,
    publish,
    sample_articles,
)

from schemas.alerts import Alert
from schemas.canonical import CanonicalEvent
from streams.adapters.alerting import load_rules
from streams.adapters.nlp import load_coder
from streams.core import alerts, dedup

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

RULES = REPO / "deploy" / "alerts.example.yaml"
FIELDS = ("story_key", "mention_count", "sources", "article_ids", "event_ids", "representative_event_id")


def latest_by_key(reader: TopicReader) -> dict[str, CanonicalEvent]:
    reader.read()
    return {r.key.decode(): CanonicalEvent.model_validate_json(r.value) for r in reader.records}


def summary(stories: dict[str, CanonicalEvent]) -> dict[str, tuple]:
    return {k: tuple(str(getattr(s, f)) for f in FIELDS) for k, s in stories.items()}


def test_sample_wire_gives_canonical_stories_and_alerts_and_a_replay_adds_none(kafka_bootstrap, tmp_path):
    env = StreamEnv(kafka_bootstrap, tmp_path)
    env.create_topics()
    raws = sample_articles()
    events = [e for o in load_coder().process_batch(raws) for e in o.events]
    by_key: dict[str, CanonicalEvent] = {}
    for event in events:
        key = dedup.story_key(event, window_hours=72)
        by_key[key] = dedup.merge(by_key.get(key), event, window_hours=72)
    expected = {s.story_id: s for s in by_key.values()}
    assert any(len(s.sources) >= 2 for s in expected.values()), "the sample has a two-outlet story"
    rules = load_rules(RULES)
    now = datetime.now(UTC)
    expected_alerts = {
        a.alert_id for e in events for a in alerts.evaluate_watch(rules.watch_rules, e, now=now)
    }
    assert expected_alerts

    worker = Worker(env, extra_env={"WIREWATCH_APP__ALERTS_CONFIG": str(RULES)}).start()
    canonical = TopicReader(kafka_bootstrap, env.topics["canonical"])
    alert_reader = TopicReader(kafka_bootstrap, env.topics["alerts"])
    topics = [*pipeline_topics(env), env.topics["events"], f"{env.app_id}-stories", f"{env.app_id}-dyadwin"]
    try:
        worker.wait_healthy()
        publish(kafka_bootstrap, env.topics["raw"], (encode(raw) for raw in raws))
        got = poll(
            lambda: (s := latest_by_key(canonical)) and summary(s) == summary(expected) and s,
            timeout_s=180,
            what="the canonical stories of the sample wire",
        )
        assert got.keys() == expected.keys()

        def alert_ids() -> set[str]:
            alert_reader.read()
            return {Alert.model_validate_json(r.value).alert_id for r in alert_reader.records}

        poll(lambda: alert_ids() == expected_alerts, timeout_s=60, what="the watch alerts")
        poll(lambda: group_caught_up(kafka_bootstrap, env.app_id, topics), timeout_s=120, what="caught up")
        stories_before, alerts_before = len(canonical.records), len(alert_reader.records)

        publish(kafka_bootstrap, env.topics["raw"], (encode(raw) for raw in raws))  # a replay
        poll(
            lambda: group_caught_up(kafka_bootstrap, env.app_id, topics),
            timeout_s=180,
            what="replay processed",
        )
        assert summary(latest_by_key(canonical)) == summary(expected)
        assert len(canonical.records) == stories_before  # nothing re-published
        assert alert_ids() == expected_alerts and len(alert_reader.records) == alerts_before
    finally:
        canonical.close()
        alert_reader.close()
        code = worker.stop()
    assert code == 0, worker.log_tail()
