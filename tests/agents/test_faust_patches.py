"""Tripwires: one per workaround in ``streams.adapters.faust_patches``, on the real faust and aiokafka.

Each fails when upstream fixes the bug it works around (the patch may then go: read the
upstream change, drop the patch and its tripwire) or when the internal it touches moves
(the patch must follow it). A bug that only shows on a live broker is covered by the
integration tests named in the tripwire; here the internal's shape is checked.
"""

from __future__ import annotations

import asyncio
import inspect
import sys
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import faust
import pytest
from aiokafka import AIOKafkaProducer
from faust.transport.consumer import Consumer
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.transport.producer import ProducerBuffer
from faust.types import TP

from streams.adapters import faust_patches, web_setup
from streams.adapters.faust_app import create_app
from streams.errors import ConfigError
from streams.settings import AppSettings, Settings, TopicSettings

TRIPWIRE = "test_tripwire_"


def plain_app(**kwargs: Any) -> faust.App:
    """A faust app nothing of wirewatch has touched."""
    return faust.App(f"wwtest-{uuid.uuid4().hex[:10]}", store="memory://", autodiscover=False, **kwargs)


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def test_every_workaround_has_a_tripwire() -> None:
    here = sys.modules[__name__]
    tripwires = {name.removeprefix(TRIPWIRE) for name in dir(here) if name.startswith(TRIPWIRE)}
    assert tripwires == {w.name for w in faust_patches.WORKAROUNDS}


def test_every_workaround_names_what_upstream_does_wrong_and_where() -> None:
    for w in faust_patches.WORKAROUNDS:
        assert w.internals and w.wrong and w.upstream, w.name
        assert hasattr(faust_patches, w.name), f"{w.name} is not a function of faust_patches"
        assert "faust-streaming 0.15.3" in w.written_for


# --- the version check ---------------------------------------------------------------------------


def test_the_installed_versions_are_the_tested_ones() -> None:
    assert faust_patches.untested(faust_patches.installed_versions()) == []


def test_an_untested_version_is_refused_in_one_line() -> None:
    with pytest.raises(ConfigError) as caught:
        faust_patches.check_versions(
            allow_untested=False, versions={"faust-streaming": "0.16.0", "aiokafka": "0.14.0"}
        )
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("faust-streaming 0.16.0: the faust workarounds")
    assert "WIREWATCH_APP__ALLOW_UNTESTED_VERSIONS=1" in message


def test_a_setting_allows_an_untested_version() -> None:
    faust_patches.check_versions(
        allow_untested=True, versions={"faust-streaming": "0.16.0", "aiokafka": None}
    )


def test_create_app_refuses_an_untested_version(monkeypatch: pytest.MonkeyPatch) -> None:
    from agentkit import RuleCoder

    monkeypatch.setattr(
        faust_patches, "installed_versions", lambda: {"faust-streaming": "0.15.3", "aiokafka": "0.15.0"}
    )
    settings = Settings(
        app=AppSettings(id=f"wwtest-{uuid.uuid4().hex[:10]}"), topics=TopicSettings(partitions=1)
    )
    with pytest.raises(faust_patches.UntestedVersionError, match="^aiokafka 0.15.0: "):
        create_app(settings, coder=RuleCoder())
    allowed = Settings(
        app=AppSettings(id=settings.app.id, allow_untested_versions=True), topics=TopicSettings(partitions=1)
    )
    assert create_app(allowed, coder=RuleCoder()).conf.id == settings.app.id


# --- the tripwires -------------------------------------------------------------------------------


class SlowChannel:
    def __init__(self) -> None:
        self.sent: list[int] = []

    async def publish_message(self, fut: Any, wait: bool = False) -> None:
        await asyncio.sleep(0.25)  # slower than faust's 0.1 s flush patience, as on a busy loop
        self.sent.append(fut.n)


def test_tripwire_drain_producer_buffer_before_commit() -> None:
    # the internal: the sender task looks ``_send_pending`` up when it starts
    assert "send_pending = self._send_pending" in inspect.getsource(ProducerBuffer._handle_pending.fun)
    assert inspect.iscoroutinefunction(ProducerBuffer.flush_atmost)
    # the bug: faust's own flush returns with writes still buffered after one slow send
    buffer = plain_app().producer.buffer
    channel = SlowChannel()

    async def scenario() -> int:
        await buffer.start()
        try:
            for n in range(3):
                buffer.put(SimpleNamespace(n=n, message=SimpleNamespace(channel=channel)))  # type: ignore[arg-type]
            await buffer.flush()
            return buffer.size
        finally:
            while buffer.size or len(channel.sent) < 3:  # let the sender finish before stopping
                await asyncio.sleep(0.05)
            await buffer.stop()

    left = buffer.loop.run_until_complete(scenario())
    assert left > 0, (
        "faust's ProducerBuffer.flush now waits for every buffered write: "
        "drain_producer_buffer_before_commit may be obsolete"
    )


def _acked_state(tp: TP, committed: int, acked: list[int]) -> Any:
    from collections import defaultdict

    from intervaltree import IntervalTree

    return SimpleNamespace(
        _acked={tp: list(acked)},
        _acked_index={tp: set(acked)},
        _gap=defaultdict(IntervalTree),
        _committed_offset={tp: committed},
    )


def test_tripwire_cap_commits() -> None:
    tp = TP("raw", 0)
    assert list(inspect.signature(Consumer._new_offset).parameters) == ["self", "tp"]
    # faust-streaming#606: offset 2585 is still being coded (not acked), yet faust commits past it
    state = _acked_state(tp, committed=2585, acked=[2586, 2587, 2588, 2589])
    assert Consumer._new_offset(state, tp) == 2590, (
        "faust no longer commits past a one-record hole at the head of its acked offsets "
        "(faust-streaming#606 fixed?): re-examine cap_commits"
    )
    # and the patch sits where faust asks for the offset to commit, from when faust makes the consumer
    assert "self._consumer = self._new_consumer()" in inspect.getsource(faust.App.consumer.fget)
    app, _ = _patched_app()
    assert app._consumer is None  # not made before the app needs it
    assert app.consumer._new_offset.__qualname__.startswith("_cap_consumer")


def _patched_app() -> tuple[faust.App, Any]:
    from agentkit import fresh_app

    app, w, _ = fresh_app()
    return app, w


def test_tripwire_committed_offset(loop: asyncio.AbstractEventLoop) -> None:
    consumer = plain_app().consumer
    tp = TP("raw", 0)
    assert consumer._committed_offset[tp] is None  # a defaultdict faust keeps per partition
    assert faust_patches.committed_offset(consumer, tp) is None
    consumer._committed_offset[tp] = 41
    assert faust_patches.committed_offset(consumer, tp) == 41
    # faust updates it where it commits and where it seeks to the committed offsets
    assert "self._committed_offset.update" in inspect.getsource(Consumer._commit_offsets)
    assert "self._committed_offset.update" in inspect.getsource(Consumer.perform_seek)
    assert not any(name in vars(Consumer) for name in ("committed_offset", "committed_offsets")), (
        "faust now has a public accessor for its committed offsets: use it in committed_offset"
    )


def _consumer_with_a_read_gap(loop: asyncio.AbstractEventLoop) -> tuple[Any, TP]:
    """Offsets 10, 11 and 15 coded and acknowledged; 12..14 fetched but never delivered (a read gap)."""
    consumer = plain_app().consumer
    tp = TP("raw", 0)
    consumer._committed_offset[tp] = 10
    consumer._acked[tp].extend([10, 11, 15])
    consumer._acked_index[tp].update([10, 11, 15])
    loop.run_until_complete(consumer._add_gap(tp, 12, 14))
    assert sorted(consumer._gap[tp])[0].begin == 12
    return consumer, tp


def test_tripwire_chop_read_gap(loop: asyncio.AbstractEventLoop) -> None:
    # the bug: faust counts the read gap as acknowledged and commits past it
    consumer, tp = _consumer_with_a_read_gap(loop)
    assert consumer._new_offset(tp) == 16, (
        "faust no longer counts read gaps as acknowledged: chop_read_gap may be obsolete"
    )
    # the patch: with the gap chopped, the commit stops before the hole
    consumer, tp = _consumer_with_a_read_gap(loop)
    faust_patches.chop_read_gap(consumer, tp, 12, 15)
    assert not consumer._gap[tp]
    assert consumer._new_offset(tp) == 12


def test_tripwire_rewind_to_committed() -> None:
    # The stall itself shows only on a live broker (tests/integration/test_stream_replay.py);
    # here the internal: a coroutine seeking every assigned partition to its committed offset.
    assert inspect.iscoroutinefunction(Consumer.perform_seek)
    assert list(inspect.signature(Consumer.perform_seek).parameters) == ["self"]
    assert "self.seek_to_committed()" in inspect.getsource(Consumer.perform_seek)


def test_tripwire_leaderless_batches() -> None:
    assert faust_aiokafka.Producer._producer is None  # faust's driver keeps its AIOKafkaProducer there

    async def scenario() -> tuple[list[str], int, dict[str, list[int]]]:
        inner = AIOKafkaProducer(bootstrap_servers="127.0.0.1:1")  # never started: no connection
        try:
            inner._message_accumulator._batches[TP("t-changelog", 3)].append(object())
            return faust_patches.leaderless_batches(
                SimpleNamespace(producer=SimpleNamespace(_producer=inner))
            )  # type: ignore[arg-type]
        finally:
            await inner.stop()

    stuck, brokers, known = asyncio.run(scenario())
    assert stuck == ["t-changelog[3]"]
    assert brokers == 0
    assert known == {"t-changelog": []}


def test_tripwire_kafka_client() -> None:
    from agentkit import fresh_app

    assert faust_aiokafka.Producer._producer is None  # faust's driver keeps its AIOKafkaProducer there
    with pytest.raises(faust_patches.NotChecked):
        faust_patches.kafka_client(plain_app())  # an app install has not version-checked
    app, _, _ = fresh_app()
    assert faust_patches.kafka_client(app) is None  # the producer has not started

    async def scenario() -> None:
        inner = AIOKafkaProducer(bootstrap_servers="127.0.0.1:1")  # never started: no connection
        try:
            app.producer._producer = inner  # type: ignore[attr-defined]
            client = faust_patches.kafka_client(app)
            assert client is inner.client
            assert inspect.iscoroutinefunction(client.fetch_all_metadata)  # what /healthz awaits
        finally:
            await inner.stop()

    asyncio.run(scenario())


def test_tripwire_ensure_partitions_known() -> None:
    from faust.exceptions import NotReady

    with pytest.raises(NotReady):  # faust's driver: the AIOKafkaProducer once started, else NotReady
        plain_app().producer._ensure_producer()

    async def partition_of_an_unknown_topic() -> Any:
        producer = AIOKafkaProducer(bootstrap_servers="127.0.0.1:1")
        try:
            assert inspect.iscoroutinefunction(producer.partitions_for)
            return producer._partition("never-written-changelog", None, None, None, b"key", None)
        finally:
            await producer.stop()

    # the bug: the partitioner faust's router uses fails on a topic the producer's metadata lacks
    with pytest.raises(TypeError):
        asyncio.run(partition_of_an_unknown_topic())


def test_tripwire_drop_blueprint() -> None:
    app = plain_app(web_stats_enabled=False)
    enabled = [bp for _, bp in app.web.blueprints._enabled]
    assert web_setup._FAUST_INDEX in enabled, (
        "faust no longer mounts its index whenever statistics are off: drop_blueprint may be obsolete"
    )
    faust_patches.drop_blueprint(app, web_setup._FAUST_INDEX)
    assert web_setup._FAUST_INDEX not in [bp for _, bp in app.web.blueprints._enabled]
