"""Records go through the real broker and come back unchanged, in order, with their keys."""

from __future__ import annotations

import pytest
from kafka import KafkaConsumer, KafkaProducer

pytestmark = pytest.mark.integration


def test_produce_consume_round_trip_with_keys(kafka_bootstrap, unique_topic):
    topic = unique_topic("roundtrip")
    sent = [(f"key-{i % 3}".encode(), f"value {i} — ünïcode".encode()) for i in range(25)]

    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all", linger_ms=5)
    try:
        for key, value in sent:
            producer.send(topic, key=key, value=value)
        producer.flush(timeout=30)
    finally:
        producer.close()

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=kafka_bootstrap,
        group_id=unique_topic("group"),
        auto_offset_reset="earliest",
        consumer_timeout_ms=15_000,
    )
    try:
        received = []
        for record in consumer:
            received.append((record.key, record.value))
            if len(received) == len(sent):
                break
    finally:
        consumer.close()

    # one partition (num.partitions=1 on the test broker): order is preserved end to end
    assert received == sent
