"""The gap guard every table-keeping agent iterates through (streams.adapters.record_gaps).

The consumer here is a stand-in holding the two attributes faust's consumer keeps
(``_committed_offset``, ``_gap``) and recording seeks: what the guard does with a stream
is pure bookkeeping; the real consumer is exercised by the crash and scale-out tests.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from streams.adapters.record_gaps import RecordGaps


@dataclass(frozen=True)
class Msg:
    tp: str
    offset: int
    topic: str = "ww-tally"
    partition: int = 0
    generation_id: int = 1


@dataclass
class Event:
    message: Msg
    key: Any
    value: Any


@dataclass
class Consumer:
    _committed_offset: dict[str, int] = field(default_factory=dict)
    _gap: dict[str, Any] = field(default_factory=dict)
    seeks: list[tuple[str, int]] = field(default_factory=list)

    async def seek(self, tp: str, offset: int) -> None:
        self.seeks.append((tp, offset))


@dataclass
class App:
    consumer: Consumer


class Stream:
    def __init__(self, offsets: list[int]) -> None:
        self.offsets = offsets

    async def events(self) -> Any:
        for n in self.offsets:
            yield Event(Msg("p0", n), key=f"k{n}", value={"n": n})


def take(gaps: RecordGaps, app: App, offsets: list[int], agent: str = "tally") -> list[Any]:
    async def run() -> list[Any]:
        return [item async for item in gaps.items(app, agent, Stream(offsets))]

    return asyncio.run(run())


def test_items_are_the_streams_keys_and_values_in_order() -> None:
    app = App(Consumer({"p0": 0}))
    assert take(RecordGaps(), app, [0, 1, 2]) == [("k0", {"n": 0}), ("k1", {"n": 1}), ("k2", {"n": 2})]
    assert app.consumer.seeks == []


def test_a_skipped_record_is_sought_back_and_holds_the_commit_until_it_comes() -> None:
    app = App(Consumer({"p0": 0}))
    gaps = RecordGaps()
    # offset 2 never reaches the agent; 3 does: seek back to 2, and the commit cap sees the hole
    take(gaps, app, [0, 1, 3])
    assert app.consumer.seeks == [("p0", 2)]
    assert gaps.hole("p0") == 2
    # the re-read brings 2 (and 3 again); once the next record is taken, the hole is settled
    take(gaps, app, [2, 3, 4])
    assert gaps.hole("p0") is None
    assert app.consumer.seeks == [("p0", 2)]


def test_each_agent_has_its_own_tracker_and_a_rewind_forgets_them_all() -> None:
    app = App(Consumer({"p0": 0}))
    gaps = RecordGaps()
    take(gaps, app, [0, 2], agent="ledger")
    take(gaps, app, [0, 1, 2, 3], agent="tally")  # another agent's records say nothing of the ledger's
    assert gaps.hole("p0") == 1
    gaps.forget()
    assert gaps.hole("p0") is None
