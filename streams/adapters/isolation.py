"""One policy for coding a batch: the batch whole, and when that fails, each article alone (issue 13).

The worker (``processing.code_isolated``) and ``wirewatch code`` (``parallel.code_batch``,
the bench too) code a batch the same way: ``process_batch`` over the whole batch, and
when it raises, ``process`` on each article, so one bad article costs only itself; an
article's failure comes back as a value (its exception) in its place, beside the others'
outcomes. The policy is written once (``policy``), as a generator of the calls it wants
(``Whole``, ``One``); a caller runs it with its own way of making them: ``run`` calls
the coder in this thread and hands its ``Exception`` back to the policy, ``run_async``
awaits (the worker: on a thread, with a timeout) and hands back any ``BaseException``
but ``asyncio.CancelledError``, which ends the run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from schemas import RawArticle

Out = TypeVar("Out")  # an outcome: whatever the coder returns per article


@dataclass(frozen=True)
class Whole:
    """Code these articles together (``process_batch``)."""

    raws: Sequence[RawArticle]


@dataclass(frozen=True)
class One:
    """Code this article alone (``process``)."""

    raw: RawArticle


Step = Whole | One
# What the policy is told of a failed step (the worker logs it).
OnFailure = Callable[[Step, BaseException], None]


def policy(raws: Sequence[RawArticle]) -> Generator[Step, Any, list[Any]]:
    """The steps for ``raws``; its value: one outcome or exception per article, in input order."""
    try:
        outcomes = yield Whole(raws)
    except GeneratorExit:  # closed unfinished: the caller gave up (a cancelled worker)
        raise
    except BaseException:  # noqa: BLE001 - the batch failed: find the article, keep the others
        outcomes = None
    if outcomes is not None:
        return list(outcomes)
    results: list[Any] = []
    for raw in raws:
        try:
            results.append((yield One(raw)))
        except GeneratorExit:
            raise
        except BaseException as exc:  # noqa: BLE001 - the article's failure is its result
            results.append(exc)
    return results


def _next(
    steps: Generator[Step, Any, list[Any]], value: Any, failure: BaseException | None
) -> Step | list[Any]:
    try:
        return steps.send(value) if failure is None else steps.throw(failure)
    except StopIteration as done:
        result: list[Any] = done.value
        return result


def run(
    raws: Sequence[RawArticle],
    whole: Callable[[Sequence[RawArticle]], Sequence[Out]],
    one: Callable[[RawArticle], Out],
    *,
    on_failure: OnFailure | None = None,
) -> list[Out | Exception]:
    """``policy`` with the coder called in this thread; an ``Exception`` it raises goes to the policy."""
    steps = policy(raws)
    step: Step | list[Any] = next(steps)
    while not isinstance(step, list):
        value, failure = None, None
        try:
            value = whole(step.raws) if isinstance(step, Whole) else one(step.raw)
        except Exception as exc:  # noqa: BLE001 - the policy decides what a failure costs
            failure = exc
            if on_failure is not None:
                on_failure(step, exc)
        step = _next(steps, value, failure)
    return step


async def run_async(
    raws: Sequence[RawArticle],
    whole: Callable[[Sequence[RawArticle]], Awaitable[Sequence[Out]]],
    one: Callable[[RawArticle], Awaitable[Out]],
    *,
    on_failure: OnFailure | None = None,
) -> list[Out | BaseException]:
    """``policy`` with awaited coder calls; any ``BaseException`` but ``CancelledError`` goes to it."""
    steps = policy(raws)
    step: Step | list[Any] = next(steps)
    while not isinstance(step, list):
        value, failure = None, None
        try:
            value = await (whole(step.raws) if isinstance(step, Whole) else one(step.raw))
        except asyncio.CancelledError:
            steps.close()
            raise
        except BaseException as exc:  # noqa: BLE001 - whatever the coder raised (RecursionError, MemoryError …)
            failure = exc
            if on_failure is not None:
                on_failure(step, exc)
        step = _next(steps, value, failure)
    return step
