"""The worker with alerting on the real broker: canonical stories, alerts and webhook from the sample wire.

Expected values come from the offline coder and the pure functions
(``canonical.cluster``, the offline ``wirewatch stories``; ``alerts.evaluate_watch``),
so the test checks the streaming wiring, not the coder: the latest canonical record
per story (tombstones dropped) equals the offline result, the alert ids equal the
offline rule evaluation, and publishing the same articles again (a replay) adds no
canonical record and no alert. A second test publishes the sample wire and four
outlets' reports of one launch in two shuffled orders: the canonical topic ends as
the offline result, and the second pass (a replay) publishes nothing.
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
    http_get,
    pipeline_topics,
    poll,
    publish,
    sample_articles,
)

from schemas import RawArticle
from schemas.alerts import Alert
from schemas.canonical import CanonicalEvent
from streams.adapters.alerting import load_rules
from streams.adapters.nlp import load_coder
from streams.core import alerts
from streams.core import canonical as canonical_core

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

RULES = REPO / "deploy" / "alerts.example.yaml"
FIELDS = ("story_key", "mention_count", "sources", "article_ids", "event_ids", "representative_event_id")


def latest_by_key(reader: TopicReader) -> dict[str, CanonicalEvent]:
    """The compacted topic's current state: the latest record per key, tombstones (null) dropped."""
    reader.read()
    latest = {r.key.decode(): r.value for r in reader.records}
    return {k: CanonicalEvent.model_validate_json(v) for k, v in latest.items() if v is not None}


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
    expected = {s.story_id: s for s in canonical_core.cluster(events)}
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
    topics = [*pipeline_topics(env), *(f"{env.app_id}-{s}" for s in ("blocks", "watch", "dyadwin"))]
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
        server.server_close()  # else its socket is an unraisable ResourceWarning at exit
        canonical.close()
        alert_reader.close()
        code = worker.stop()
    assert code == 0, worker.log_tail()


# Four outlets' reports of one launch (phrased differently), besides the sample wire.
LAUNCH = (
    (
        "Outlet A",
        "North Korea fires missile over Japan",
        "TOKYO — North Korea fired a ballistic missile over northern Japan on Friday, the Japanese "
        "government said. The missile flew over Hokkaido and landed in the Pacific Ocean.",
    ),
    (
        "Outlet B",
        "Pyongyang launches missile over Hokkaido",
        "SEOUL — North Korea launched a ballistic missile over Japan's Hokkaido island on Friday, South "
        "Korea's military said. The missile fell into the Pacific Ocean.",
    ),
    (
        "Outlet C",
        "Missile flies over Japan",
        "North Korea fired a ballistic missile that flew over Hokkaido on Friday before falling into the "
        "Pacific Ocean, officials in Tokyo said.",
    ),
    (
        "Outlet D",
        "Japan says North Korean missile passed over Hokkaido",
        "North Korea on Friday fired a ballistic missile over Japan, the second such launch over Hokkaido "
        "in a month, Japanese officials said.",
    ),
)


def launch_articles() -> list[RawArticle]:
    return [
        RawArticle(
            id=f"launch-{i}",
            source=source,
            title=title,
            body=body,
            published_at=datetime(2017, 9, 15, 8, tzinfo=UTC),
        )
        for i, (source, title, body) in enumerate(LAUNCH)
    ]


def test_canonical_topic_equals_offline_in_any_order_and_a_replay_adds_nothing(kafka_bootstrap, tmp_path):
    import random

    env = StreamEnv(kafka_bootstrap, tmp_path)
    env.create_topics()
    raws = sample_articles() + launch_articles()
    events = [e for o in load_coder().process_batch(raws) for e in o.events]
    expected = {s.story_id: s for s in canonical_core.cluster(events)}
    assert any(len(s.sources) >= 3 for s in expected.values()), "the launch merges across outlets"

    def shuffled(seed: int) -> list[tuple[bytes, bytes]]:
        order = list(raws)
        random.Random(seed).shuffle(order)
        return [encode(raw) for raw in order]

    # 2017 and 2022 articles side by side: a retention pass (30 days) would forget the 2017 stories
    keep = {"WIREWATCH_RETENTION__LEDGER_DAYS": "0", "WIREWATCH_RETENTION__STORIES_DAYS": "0"}
    worker = Worker(env, extra_env=keep).start()
    canonical = TopicReader(kafka_bootstrap, env.topics["canonical"])
    topics = [*pipeline_topics(env), f"{env.app_id}-blocks"]  # no alert rules: no watch, no window cells
    try:
        worker.wait_healthy()
        first, second = shuffled(1), shuffled(2)
        assert first != second
        publish(kafka_bootstrap, env.topics["raw"], first)
        poll(
            lambda: (s := latest_by_key(canonical)) and s.keys() == expected.keys() and s,
            timeout_s=240,
            what="the canonical events of the shuffled articles",
        )
        poll(lambda: group_caught_up(kafka_bootstrap, env.app_id, topics), timeout_s=180, what="caught up")
        assert latest_by_key(canonical) == expected  # every field, merge confidence included
        published = len(canonical.records)

        publish(kafka_bootstrap, env.topics["raw"], second)  # a replay, in another order
        poll(lambda: group_caught_up(kafka_bootstrap, env.app_id, topics), timeout_s=240, what="replay")
        assert latest_by_key(canonical) == expected
        assert len(canonical.records) == published  # nothing re-published

        status, body = http_get(f"{worker.url}/stories?limit=5000")
        assert status == 200
        assert {s["story_id"] for s in body["stories"]} == set(expected)
        biggest = max(expected.values(), key=lambda s: (len(s.event_ids), s.story_id))
        status, one = http_get(f"{worker.url}/stories/{biggest.story_id}")
        assert status == 200
        assert sorted(r["event_id"] for r in one["reports"]) == biggest.event_ids
        assert one["story"]["mention_count"] == biggest.mention_count
        status, missing = http_get(f"{worker.url}/stories/sty-20170911f15-{'0' * 20}")
        assert status == 404 and "unknown story" in missing["error"]
        status, bad = http_get(f"{worker.url}/stories/nonsense")
        assert status == 400
    finally:
        canonical.close()
        code = worker.stop()
    assert code == 0, worker.log_tail()
