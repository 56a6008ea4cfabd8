"""A real worker's ``/metrics`` scraped and parsed, its lag against the broker's, its heartbeat line."""

from __future__ import annotations

import re
import urllib.request

import pytest
from kafka import KafkaAdminClient
from prometheus_client.parser import text_string_to_metric_families
from streamkit import SAMPLE, StreamEnv, TopicReader, Worker, group_caught_up, poll, publish

from schemas import RawArticle
from streams.adapters.lag import group_lag
from streams.core.pipeline import CODER_VERSION

pytestmark = [pytest.mark.integration, pytest.mark.timeout(420)]


def scrape(url: str) -> dict[str, list]:
    """Metric family name → its samples, parsed with prometheus_client's own text parser."""
    with urllib.request.urlopen(f"{url}/metrics", timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = response.read().decode("utf-8")
    return {family.name: family.samples for family in text_string_to_metric_families(text)}


def value(families: dict[str, list], sample_name: str, **labels: str) -> float:
    family = sample_name.removesuffix("_total").removesuffix("_count").removesuffix("_sum")
    matches = [s.value for s in families.get(family, []) if s.name == sample_name
               and all(s.labels.get(k) == v for k, v in labels.items())]  # fmt: skip
    assert matches, f"no sample {sample_name}{labels or ''}"
    return sum(matches)


def test_metrics_lag_and_heartbeat_of_a_running_worker(kafka_bootstrap, tmp_path):
    env = StreamEnv(kafka_bootstrap, tmp_path)
    env.create_topics()
    articles = [RawArticle.model_validate_json(line) for line in SAMPLE.read_text().splitlines() if line]
    worker = Worker(env, extra_env={"WIREWATCH_APP__HEARTBEAT_S": "2"}).start()
    events = TopicReader(kafka_bootstrap, env.topics["events"])
    try:
        worker.wait_healthy()
        before = scrape(worker.url)
        assert value(before, "wirewatch_articles_total") == 0
        info = [s for s in before["wirewatch_coder_info"] if s.value == 1]
        assert [s.labels["coder_version"] for s in info] == [CODER_VERSION]

        publish(kafka_bootstrap, env.topics["raw"],
                [(a.id.encode(), a.model_dump_json().encode()) for a in articles]
                + [(b"poison", b"\xff not json"), (b"invalid", b'{"id": 7}')])  # fmt: skip

        def settled():
            families = scrape(worker.url)
            done = value(families, "wirewatch_articles_total") == len(articles)
            dead = sum(s.value for s in families["wirewatch_dead_letters"] if s.name.endswith("_total"))
            return families if done and dead == 2 else None

        families = poll(settled, timeout_s=180, what="6 articles and 2 dead letters in /metrics")

        def all_events_read() -> bool:
            events.read()
            return len(events.records) == value(scrape(worker.url), "wirewatch_events_total")

        poll(all_events_read, timeout_s=30, what="the events topic holding wirewatch_events_total records")
        families = scrape(worker.url)
        assert value(families, "wirewatch_events_total") == len(events.records) > 0
        assert value(families, "wirewatch_dead_letters_total", code="DL001", stage="decode") == 1
        assert value(families, "wirewatch_dead_letters_total", code="DL002") == 1
        # every coded article was cleaned; the codable ones parsed, extracted and classified
        assert value(families, "wirewatch_stage_seconds_count", stage="clean") == len(articles)
        parsed = value(families, "wirewatch_stage_seconds_count", stage="parse")
        assert 0 < parsed <= len(articles)
        assert value(families, "wirewatch_stage_seconds_count", stage="classify") == parsed
        assert value(families, "wirewatch_batch_size_sum") == len(articles) + 2  # every raw record
        assert value(families, "wirewatch_last_batch_timestamp_seconds") > 0
        assert "faust_messages_received" in families  # faust-streaming's own sensor is on the same page

        # once the group has committed everything, the worker's lag gauges agree with the broker's
        raw_topic = env.topics["raw"]
        poll(
            lambda: group_caught_up(kafka_bootstrap, env.app_id, [raw_topic]),
            timeout_s=60,
            what="the worker's commits reaching the end of the raw topic",
        )

        def lag_agrees():
            gauges = {(s.labels["topic"], int(s.labels["partition"])): s.value
                      for s in scrape(worker.url)["wirewatch_consumer_lag"]}  # fmt: skip
            admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
            try:
                _, rows = group_lag(admin, env.app_id, [raw_topic])
            finally:
                admin.close()
            broker = {(r.topic, r.partition): float(r.lag) for r in rows if r.lag is not None}
            ours = {k: v for k, v in gauges.items() if k[0] == raw_topic}
            return (ours, broker) if ours == broker and len(ours) == env.partitions else None

        ours, broker = poll(lag_agrees, timeout_s=60, what="wirewatch_consumer_lag equal to the broker's lag")
        assert sorted(p for _, p in ours) == list(range(env.partitions))
        tables = {s.labels["table"]: s.value for s in scrape(worker.url)["wirewatch_table_keys"]}
        assert tables["ledger"] == len(articles)  # one ledger entry per coded article

        heartbeat = re.compile(
            rf"heartbeat: {len(articles)} articles \(\+\d+, [\d.]+/s\), \d+ events "
            r"\(\+\d+, [\d.]+/s\), 2 dead letters; raw lag 0 over 2 partition\(s\)"
        )
        poll(
            lambda: heartbeat.search(worker.log_path.read_text(errors="replace")),
            timeout_s=30,
            what="a heartbeat line with the totals",
        )
    finally:
        events.close()
        code = worker.stop()
    assert code == 0, worker.log_tail()
