"""The worker with alerting on the real broker: canonical stories, alerts and webhook from the sample wire.

Expected values come from the offline coder and the pure functions
(``canonical.cluster``, the offline ``wirewatch stories``; ``alerts.evaluate_watch``),
so the test checks the streaming wiring, not the coder: the latest canonical record
per story (tombstones dropped) equals the offline result, the alert ids equal the
offline rule evaluation, and publishing the same articles again (a replay) adds no
canonical record and no alert. A second test publishes the coded events straight
onto the events topic in two shuffled orders: the canonical topic ends the same as
the offline result each time, and the second pass publishes nothing.
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
        canonical.close()
        alert_reader.close()
        code = worker.stop()
    assert code == 0, worker.log_tail()


TEXTS = (
    "North Korea fired a ballistic missile over Hokkaido into the Pacific Ocean",
    "Pyongyang launched another ballistic missile over Japan's Hokkaido island",
    "Hackers stole the personal data of 143 million Equifax customers",
    "A truck ploughed into a crowd celebrating Bastille Day in Nice",
)


def synthetic_events(count: int, seed: int) -> list:
    """Reports of a few events by many outlets: neighbouring roots, one-sided dyads, days by a block edge."""
    import random
    from datetime import date, timedelta

    from schemas import Actor, Cameo, DiplomaticEvent, Evidence, Plover

    rng = random.Random(seed)
    codes = {"190": ("19", -10.0, 4), "194": ("19", -10.0, 4), "150": ("15", -7.2, 4), "111": ("11", -2.0, 3)}
    dyads = [("PRK", "JPN"), ("PRK", None), ("USA", None), ("FRA", "FRA"), ("CHN", "PRK")]
    out = []
    for i in range(count):
        code = rng.choice(sorted(codes))
        root, goldstein, quad = codes[code]
        src, tgt = rng.choice(dyads)
        text = rng.choice(TEXTS)
        day = date(2017, 9, 9) + timedelta(days=rng.randrange(6))  # 2017-09-11 starts a 7-day block
        out.append(DiplomaticEvent(
            event_id=f"syn{seed}-{i:03d}", article_id=f"syn-art-{i % (count // 2)}",
            article_source=f"outlet-{rng.randrange(12)}", article_title=text.split(" into ")[0],
            published_at=datetime(2017, 9, 15, tzinfo=UTC) + timedelta(hours=i),
            source=Actor(text=src, code=src, country=src),
            target=None if tgt is None else Actor(text=tgt, code=tgt, country=tgt),
            cameo=Cameo(code=code, root=root, name="test", goldstein=goldstein, quad_class=quad),
            plover=Plover(event="ASSAULT"), event_date=day,
            evidence=[Evidence(text=text, start=0, end=len(text))], confidence=rng.choice([0.6, 0.7, 0.8]),
            coder_version="test-1",
        ))
    return out


def test_canonical_topic_equals_offline_in_any_order_and_a_second_pass_adds_nothing(kafka_bootstrap,
                                                                                    tmp_path):
    import random

    env = StreamEnv(kafka_bootstrap, tmp_path)
    env.create_topics()
    raws = sample_articles()
    events = [e for o in load_coder().process_batch(raws) for e in o.events] + synthetic_events(80, 14)
    expected = {s.story_id: s for s in canonical_core.cluster(events)}
    assert sum(len(s.event_ids) > 2 for s in expected.values()) >= 3, "merges to get right"
    assert len(expected) < len(events)

    def shuffled(seed: int) -> list[tuple[bytes, bytes]]:
        order = list(events)
        random.Random(seed).shuffle(order)
        return [(e.event_id.encode(), e.model_dump_json().encode()) for e in order]

    worker = Worker(env).start()
    canonical = TopicReader(kafka_bootstrap, env.topics["canonical"])
    topics = [env.topics["events"], f"{env.app_id}-blocks"]
    try:
        worker.wait_healthy()
        first = shuffled(1)
        assert first != shuffled(2)
        publish(kafka_bootstrap, env.topics["events"], first)
        got = poll(lambda: (s := latest_by_key(canonical)) and s.keys() == expected.keys() and s,
                   timeout_s=180, what="the canonical events of the shuffled reports")
        poll(lambda: group_caught_up(kafka_bootstrap, env.app_id, topics), timeout_s=120, what="caught up")
        got = latest_by_key(canonical)
        assert got == expected  # every field, merge confidence included
        assert any(r.value is None for r in canonical.records), "a merge tombstoned an absorbed story"
        published = len(canonical.records)

        publish(kafka_bootstrap, env.topics["events"], shuffled(2))  # the same reports again, another order
        poll(lambda: group_caught_up(kafka_bootstrap, env.app_id, topics), timeout_s=180, what="second pass")
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
        status, missing = http_get(f"{worker.url}/stories/sty-20170911-{'0' * 20}")
        assert status == 404 and "unknown story" in missing["error"]
        status, bad = http_get(f"{worker.url}/stories/nonsense")
        assert status == 400
    finally:
        canonical.close()
        code = worker.stop()
    assert code == 0, worker.log_tail()
