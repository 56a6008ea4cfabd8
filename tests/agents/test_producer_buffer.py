"""The commit's flush of faust's producer buffer must wait for every buffered table write."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from agentkit import fresh_app

SLOW_S = 0.25  # one send slower than faust's 0.1 s flush patience, as on a busy event loop


class SlowChannel:
    def __init__(self, sent: list[int]) -> None:
        self.sent = sent

    async def publish_message(self, fut: Any, wait: bool = False) -> None:
        await asyncio.sleep(SLOW_S)
        self.sent.append(fut.n)


def pending(n: int, channel: SlowChannel) -> Any:
    return SimpleNamespace(n=n, message=SimpleNamespace(channel=channel))


def test_flush_returns_only_once_every_buffered_write_is_handed_to_the_producer() -> None:
    app, _, _ = fresh_app()
    buffer = app.producer.buffer
    sent: list[int] = []
    channel = SlowChannel(sent)

    async def scenario() -> tuple[int, int, list[int]]:
        await buffer.start()
        try:
            for n in range(3):
                buffer.put(pending(n, channel))
            # faust's own bounded flush gives up after one slow send with writes still buffered
            await buffer.flush_atmost(None)
            left_by_faust = buffer.size
            for n in range(3, 6):
                buffer.put(pending(n, channel))
            await buffer.flush()
            return left_by_faust, buffer.size, list(sent)
        finally:
            await buffer.stop()

    # the buffer is a mode Service bound to the app's loop, so run there
    left_by_faust, left, sent_at_return = buffer.loop.run_until_complete(scenario())
    assert left_by_faust > 0, "faust-streaming's flush no longer gives up early: the wrapper may be obsolete"
    assert left == 0
    assert sent_at_return == list(range(6))


class FakeCluster:
    def leader_for_partition(self, tp: Any) -> int | None:
        return None if tp.partition == 3 else 1

    def brokers(self) -> set[int]:
        return {1}

    def partitions_for_topic(self, topic: str) -> set[int]:
        return {0}


def test_records_waiting_for_a_leaderless_partition_are_reported(caplog: Any) -> None:
    from faust.types import TP

    from streams.adapters.faust_app import _log_leaderless_batches

    waiting = {TP("t-changelog", 3): ["batch"], TP("t-changelog", 0): ["batch"], TP("other", 3): []}
    inner = SimpleNamespace(
        _message_accumulator=SimpleNamespace(_batches=waiting), client=SimpleNamespace(cluster=FakeCluster())
    )
    app = SimpleNamespace(producer=SimpleNamespace(_producer=inner))
    with caplog.at_level("WARNING"):
        _log_leaderless_batches(app)  # type: ignore[arg-type]
    assert "t-changelog[3] with no known leader" in caplog.text
    assert "{'t-changelog': [0]}" in caplog.text
    assert "other" not in caplog.text
