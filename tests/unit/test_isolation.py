"""The one batch-isolation policy (``streams.adapters.isolation``), run in a thread and awaited alike."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from schemas import RawArticle
from streams.adapters import isolation


def raws(*ids: str) -> list[RawArticle]:
    return [RawArticle(id=i, body=f"Body {i}.") for i in ids]


class Coder:
    """Codes an article into its id; a batch holding a ``bad`` article raises, so does that article."""

    def __init__(self, bad: dict[str, BaseException] | None = None) -> None:
        self.bad = bad or {}
        self.calls: list[tuple[str, list[str]]] = []

    def process_batch(self, batch: Sequence[RawArticle]) -> list[str]:
        self.calls.append(("batch", [r.id for r in batch]))
        for raw in batch:
            if raw.id in self.bad:
                raise self.bad[raw.id]
        return [raw.id for raw in batch]

    def process(self, raw: RawArticle) -> str:
        self.calls.append(("one", [raw.id]))
        if raw.id in self.bad:
            raise self.bad[raw.id]
        return raw.id


def run_async(coder: Coder, batch: list[RawArticle], failures: list | None = None) -> list:
    async def whole(rs: Sequence[RawArticle]) -> list[str]:
        return coder.process_batch(rs)

    async def one(raw: RawArticle) -> str:
        return coder.process(raw)

    on_failure = None if failures is None else (lambda step, exc: failures.append((step, exc)))
    return asyncio.run(isolation.run_async(batch, whole, one, on_failure=on_failure))


def test_a_batch_that_codes_is_coded_whole_once() -> None:
    coder = Coder()
    assert isolation.run(raws("a", "b"), coder.process_batch, coder.process) == ["a", "b"]
    assert coder.calls == [("batch", ["a", "b"])]
    assert run_async(Coder(), raws("a", "b")) == ["a", "b"]


def test_a_failed_batch_is_coded_one_by_one_and_the_failure_is_its_articles_value() -> None:
    boom = RuntimeError("parser exploded")
    coder = Coder({"b": boom})
    failures: list = []
    got = isolation.run(
        raws("a", "b", "c"),
        coder.process_batch,
        coder.process,
        on_failure=lambda step, exc: failures.append((step, exc)),
    )
    assert got == ["a", boom, "c"]
    assert coder.calls == [("batch", ["a", "b", "c"]), ("one", ["a"]), ("one", ["b"]), ("one", ["c"])]
    assert [(type(step).__name__, exc) for step, exc in failures] == [("Whole", boom), ("One", boom)]
    assert failures[1][0].raw.id == "b"
    async_failures: list = []
    assert run_async(Coder({"b": boom}), raws("a", "b", "c"), async_failures) == got
    assert [(type(s).__name__, e) for s, e in async_failures] == [("Whole", boom), ("One", boom)]


def test_the_worker_keeps_any_base_exception_as_the_articles_value_but_a_cancellation() -> None:
    exit_ = SystemExit(3)
    assert run_async(Coder({"a": exit_}), raws("a", "b")) == [exit_, "b"]
    with pytest.raises(asyncio.CancelledError):
        run_async(Coder({"b": asyncio.CancelledError()}), raws("a", "b"))


def test_wirewatch_code_lets_an_interrupt_through() -> None:
    coder = Coder({"a": KeyboardInterrupt()})
    with pytest.raises(KeyboardInterrupt):
        isolation.run(raws("a", "b"), coder.process_batch, coder.process)
    assert coder.calls == [("batch", ["a", "b"])]  # not retried one by one


def test_the_policy_closed_unfinished_ends_quietly() -> None:
    steps = isolation.policy(raws("a", "b"))
    assert isinstance(next(steps), isolation.Whole)
    assert isinstance(steps.throw(RuntimeError("batch")), isolation.One)
    steps.close()  # a caller that gives up: GeneratorExit is not taken for a failed article
