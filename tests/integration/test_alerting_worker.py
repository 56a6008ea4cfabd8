"""The worker with alerting on the real broker: canonical stories, alerts and webhook from the sample wire.

Expected values come from the offline coder and the pure functions (``dedup.merge``,
``alerts.evaluate_watch``), so the test checks the streaming wiring, not the coder:
the latest canonical record per story equals the offline fold, the alert ids equal
the offline rule evaluation, and publishing the same articles again (a replay)
adds no canonical record and no alert.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml
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


class Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


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

    # The example rules plus a webhook: a real HTTP server in this process receives every alert.
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    Hook.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    rules_file = tmp_path / "rules.yaml"
    config = yaml.safe_load(RULES.read_text())
    config["webhook"] = {"url": f"http://127.0.0.1:{server.server_address[1]}/alerts", "backoff_s": 0.1}
    rules_file.write_text(yaml.safe_dump(config))

    worker = Worker(env, extra_env={"WIREWATCH_APP__ALERTS_CONFIG": str(rules_file)}).start()
    canonical = TopicReader(kafka_bootstrap, env.topics["canonical"])
    alert_reader = TopicReader(kafka_bootstrap, env.topics["alerts"])
    # the ledger feeds stories and alerts (issue 18): their internal topics are what the group consumes
    topics = [*pipeline_topics(env), *(f"{env.app_id}-{s}" for s in ("stories", "watch", "dyadwin"))]
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
        poll(lambda: {a["alert_id"] for a in Hook.received} == expected_alerts, timeout_s=60, what="webhook")
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
        assert len(Hook.received) == len(expected_alerts)  # each alert delivered once
    finally:
        server.shutdown()
        canonical.close()
        alert_reader.close()
        code = worker.stop()
    assert code == 0, worker.log_tail()
