"""``wirewatch lag`` against the broker's own ``kafka-consumer-groups --describe`` (real broker and tool)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from kafka import KafkaConsumer, KafkaProducer

from streams import cli
from streams.adapters import topic_admin
from streams.settings import KafkaSettings

pytestmark = pytest.mark.integration


def _kafka_consumer_groups(bootstrap: str, group: str) -> dict[tuple[str, int], dict[str, str]]:
    """Kafka's tool, run through `wirewatch broker tool`, parsed: (topic, partition) → its columns."""
    proc = subprocess.run(
        [sys.executable, "-m", "streams.cli", "broker", "tool", "kafka-consumer-groups",
         "--bootstrap-server", bootstrap, "--describe", "--group", group],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = [line.split() for line in proc.stdout.splitlines() if line.strip()]
    header_at = next(i for i, cols in enumerate(lines) if cols[:2] == ["GROUP", "TOPIC"])
    header = lines[header_at]
    rows = {}
    for cols in lines[header_at + 1 :]:
        row = dict(zip(header, cols, strict=True))
        rows[(row["TOPIC"], int(row["PARTITION"]))] = row
    return rows


def _wirewatch_lag(capsys, bootstrap: str, group: str) -> dict[tuple[str, int], dict]:
    assert cli.main(["lag", "--bootstrap", bootstrap, "--group", group, "--json"]) == 0
    out = capsys.readouterr().out
    return {(r["topic"], r["partition"]): r for r in map(json.loads, out.splitlines())}


def _dash(value: int | None) -> str:
    return "-" if value is None else str(value)


def test_lag_matches_kafka_consumer_groups(kafka_bootstrap, unique_topic, capsys) -> None:
    topic, group = unique_topic("lag"), unique_topic("group")
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    topic_admin.ensure_topics(kafka, topic_admin.specs([topic], partitions=3))
    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap)
    for partition, count in ((0, 7), (1, 12), (2, 3)):
        for i in range(count):
            producer.send(topic, value=f"{partition}-{i}".encode(), partition=partition)
    producer.flush()
    producer.close()

    consumer = KafkaConsumer(
        topic, bootstrap_servers=kafka_bootstrap, group_id=group, enable_auto_commit=False,
        auto_offset_reset="earliest", max_poll_records=4,
    )  # fmt: skip
    try:
        read = 0
        while read < 8:  # some of the 22 records, so every partition has its own lag
            read += sum(len(batch) for batch in consumer.poll(timeout_ms=1000).values())
        consumer.commit()
        # an active member: both tools must name it as the owner of every partition
        ours = _wirewatch_lag(capsys, kafka_bootstrap, group)
        theirs = _kafka_consumer_groups(kafka_bootstrap, group)
        assert set(ours) == set(theirs) == {(topic, p) for p in range(3)}
        for key, row in ours.items():
            kafka_row = theirs[key]
            assert _dash(row["committed"]) == kafka_row["CURRENT-OFFSET"], key
            assert str(row["log_end"]) == kafka_row["LOG-END-OFFSET"], key
            assert _dash(row["lag"]) == kafka_row["LAG"], key
            assert row["member"] == kafka_row["CONSUMER-ID"], key
        assert sum(r["log_end"] for r in ours.values()) == 22
        assert sum(r["backlog"] for r in ours.values()) == 22 - read
    finally:
        consumer.close()

    # the group is empty now; the table names no member, and the totals still agree
    ours = _wirewatch_lag(capsys, kafka_bootstrap, group)
    theirs = _kafka_consumer_groups(kafka_bootstrap, group)
    assert {k: (_dash(r["committed"]), _dash(r["lag"])) for k, r in ours.items()} == {
        k: (r["CURRENT-OFFSET"], r["LAG"]) for k, r in theirs.items()
    }
    assert all(r["member"] is None for r in ours.values())
    assert cli.main(["lag", "--bootstrap", kafka_bootstrap, "--group", group]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == [
        "GROUP",
        "TOPIC",
        "PARTITION",
        "CURRENT-OFFSET",
        "LOG-END-OFFSET",
        "LAG",
        "CONSUMER-ID",
        "HOST",
        "CLIENT-ID",
    ]
    assert table[-1] == f"group {group} (Empty): {22 - read} record(s) behind across 3 partition(s)"


def test_lag_of_an_unknown_group_is_one_line(kafka_bootstrap, unique_topic, capsys) -> None:
    group = unique_topic("nobody")
    assert cli.main(["lag", "--bootstrap", kafka_bootstrap, "--group", group]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"consumer group {group!r}" in err and "WIREWATCH_APP__ID" in err
