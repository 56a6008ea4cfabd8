"""A minimal faust-streaming agent reads one topic of the real broker and writes another."""

from __future__ import annotations

import asyncio
import uuid

import faust
import pytest
from kafka import KafkaConsumer, KafkaProducer

from streams.adapters import topic_admin
from streams.adapters.kafka_clients import faust_app_kwargs
from streams.settings import KafkaSettings

pytestmark = pytest.mark.integration


def _consume(bootstrap: str, topic: str, n: int, group: str) -> list[tuple[bytes, bytes]]:
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        consumer_timeout_ms=30_000,
    )
    try:
        out = []
        for record in consumer:
            out.append((record.key, record.value))
            if len(out) == n:
                break
        return out
    finally:
        consumer.close()


def test_faust_agent_round_trip(kafka_bootstrap, unique_topic, tmp_path):
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    source, sink = unique_topic("faust-in"), unique_topic("faust-out")
    topic_admin.ensure_topics(kafka, topic_admin.specs([source, sink]))

    # a fresh app per test (a shared global app leaks state between tests: robinhood/faust#331)
    app = faust.App(
        f"wwtest-{uuid.uuid4().hex[:10]}",
        **faust_app_kwargs(kafka),
        store="memory://",
        autodiscover=False,
        web_enabled=False,
        datadir=str(tmp_path / "faust"),
        topic_partitions=1,
    )
    in_topic = app.topic(source, key_serializer="raw", value_serializer="raw")
    out_topic = app.topic(sink, key_serializer="raw", value_serializer="raw")

    @app.agent(in_topic)
    async def shout(stream):
        async for event in stream.events():
            await out_topic.send(key=event.key, value=event.value.upper() + b"!")
            yield event.value

    sent = [(f"k{i}".encode(), f"article {i}".encode()) for i in range(8)]

    async def scenario() -> list[tuple[bytes, bytes]]:
        await asyncio.wait_for(app.start(), timeout=60)  # returns once the group is joined
        try:
            producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
            for key, value in sent:
                producer.send(source, key=key, value=value)
            producer.flush(timeout=30)
            producer.close()
            # kafka-python blocks: keep it off the loop that runs the agent
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                None, _consume, kafka_bootstrap, sink, len(sent), unique_topic("g")
            )
        finally:
            await asyncio.wait_for(app.stop(), timeout=60)

    received = asyncio.run(scenario())

    assert received == [(k, v.upper() + b"!") for k, v in sent]
