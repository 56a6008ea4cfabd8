"""Pure parts of the worker's metrics and heartbeat: lag arithmetic, gauges that follow the assignment."""

from __future__ import annotations

from kafka import TopicPartition
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from streams.adapters.lag import PartitionLag, lag_of, render
from streams.adapters.observability import Heartbeat, WorkerMetrics

A0, A1, B0 = TopicPartition("a", 0), TopicPartition("a", 1), TopicPartition("b", 0)


def samples(registry: CollectorRegistry, family: str) -> dict[tuple, float]:
    text = generate_latest(registry).decode()
    return {tuple(sorted(s.labels.items())): s.value
            for f in text_string_to_metric_families(text) if f.name == family for s in f.samples}  # fmt: skip


def test_lag_is_end_minus_committed_and_a_partition_without_commit_counts_whole() -> None:
    assert lag_of({A0: 5, A1: None}, {A0: 9, A1: 4, B0: 2}) == {A0: 4, A1: 4, B0: 2}
    assert lag_of({A0: 12}, {A0: 9}) == {A0: 0}  # never negative (a commit past a compacted end)
    row = PartitionLag("a", 0, None, start=3, end=10)
    assert row.lag is None and row.backlog == 7  # kafka-consumer-groups prints '-' there
    assert PartitionLag("a", 1, 8, start=0, end=10).lag == 2


def test_render_has_kafka_consumer_groups_columns_and_a_total() -> None:
    text = render("g", "Stable", [PartitionLag("a", 0, 5, 0, 9, "m-1", "10.0.0.1", "c"),
                                  PartitionLag("a", 1, None, 2, 4)])  # fmt: skip
    lines = text.splitlines()
    assert lines[0].split() == ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG",
                                "CONSUMER-ID", "HOST", "CLIENT-ID"]  # fmt: skip
    assert lines[1].split() == ["g", "a", "0", "5", "9", "4", "m-1", "10.0.0.1", "c"]
    assert lines[2].split() == ["g", "a", "1", "-", "4", "-", "-", "-", "-"]
    assert lines[3] == "group g (Stable): 6 record(s) behind across 2 partition(s)"


def test_lag_gauges_follow_the_assignment() -> None:
    registry = CollectorRegistry()
    metrics = WorkerMetrics(registry, coder_version="c-1", model="m")
    metrics.set_lag({A0: 3, A1: 0})
    assert samples(registry, "wirewatch_consumer_lag") == {
        (("partition", "0"), ("topic", "a")): 3.0,
        (("partition", "1"), ("topic", "a")): 0.0,
    }
    metrics.set_lag({B0: 7})  # a rebalance moved a's partitions to another worker
    assert samples(registry, "wirewatch_consumer_lag") == {(("partition", "0"), ("topic", "b")): 7.0}


def test_counts_dead_letters_and_stage_times_land_in_their_metrics() -> None:
    registry = CollectorRegistry()
    metrics = WorkerMetrics(registry, coder_version="c-1", model="m")
    metrics.batch(4, {"articles": 3, "events": 5, "dead_letters": 1}, 0.2)
    metrics.dead_letter("DL001", "decode")
    metrics.coded({"clean": 0.001, "parse": 0.02})
    assert metrics.totals() == {"articles": 3.0, "events": 5.0, "dead": 1.0}
    text = generate_latest(registry).decode()
    assert 'wirewatch_stage_seconds_count{stage="parse"} 1.0' in text
    assert 'wirewatch_stage_seconds_count{stage="classify"} 0.0' in text  # every stage from the start
    assert 'wirewatch_dead_letters_total{code="DL001",stage="decode"} 1.0' in text
    assert 'wirewatch_coder_info{coder_version="c-1",model="m",version=' in text


def test_heartbeat_reports_totals_rates_and_lag() -> None:
    beat = Heartbeat(interval_s=30, last_at=100.0)
    assert not beat.due(120.0) and beat.due(130.0)
    line = beat.line({"articles": 60, "events": 90, "dead": 1}, {A0: 2, A1: 3, B0: 10}, "a",
                     {"ledger": 60}, now=130.0)  # fmt: skip
    assert line == (
        "heartbeat: 60 articles (+60, 2.0/s), 90 events (+90, 3.0/s), 1 dead letters; "
        "raw lag 5 over 2 partition(s), all lag 15; tables ledger=60"
    )
    line = beat.line({"articles": 75, "events": 90, "dead": 1}, {}, "a", {}, now=160.0)
    assert line.startswith("heartbeat: 75 articles (+15, 0.5/s), 90 events (+0, 0.0/s)")
    assert Heartbeat(interval_s=0).due(10**9) is False  # 0 turns it off
