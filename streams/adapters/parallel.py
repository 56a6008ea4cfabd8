"""Coding batches of articles in several processes: both cores for ``wirewatch code`` and the bench.

The parent loads the coder (spaCy model and codebook) once; the pool's processes are
forked from it, so they start in milliseconds with the loaded coder shared copy-on-write
instead of each loading it again. Batches are coded whole in one process (``nlp.pipe``
over the batch, as in one process) and their results come back in the order they were
submitted, so the output of ``--processes N`` is the output of one process, line for line
(``tests/pipeline/test_parallel_code.py``).

At most ``window`` batches are in flight (default: two per process), so reading a large
file or a pipe never queues more than a few batches in memory.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from streams.adapters import isolation

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

    from schemas.articles import RawArticle
    from streams.core.pipeline import Coder, Outcome

# (source, line number, raw article): where each article came from, for problem lines.
Item = tuple[str, int, "RawArticle"]


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    problems: list[tuple[str, int, str]] = field(default_factory=list)  # (source, line, reason)
    size: int = 0  # articles submitted


def code_batch(coder: Coder, batch: Sequence[Item], batch_size: int) -> BatchResult:
    """Code one batch by the one isolation policy (``isolation``): a failing article costs only
    itself (its reason is returned with its place, the others are coded)."""
    raws = [raw for _, _, raw in batch]
    results = isolation.run(
        raws, lambda whole: coder.process_batch(whole, batch_size=batch_size), coder.process
    )
    out = BatchResult([], size=len(batch))
    for (source, line_no, _), result in zip(batch, results, strict=True):
        if isinstance(result, Exception):
            out.problems.append((source, line_no, f"coding failed: {type(result).__name__}: {result}"))
        else:
            out.outcomes.append(result)
    return out


_CODER: Coder | None = None  # the forked processes' coder (inherited from the parent)


def _child_code(batch: Sequence[Item], batch_size: int) -> BatchResult:
    assert _CODER is not None, "the pool is forked after the coder is set"
    return code_batch(_CODER, batch, batch_size)


class BatchPool:
    """``processes`` forked coders; :meth:`submit` returns the results that are due, in order."""

    def __init__(self, coder: Coder, processes: int, *, window: int | None = None) -> None:
        global _CODER
        if processes < 2:
            raise ValueError("a pool needs at least 2 processes (1 codes in this process)")
        _CODER = coder
        self.processes = processes
        self.window = window or 2 * processes
        self._pool = multiprocessing.get_context("fork").Pool(processes)
        self._pending: deque[AsyncResult[BatchResult]] = deque()

    def pids(self) -> list[int]:
        return [p.pid for p in getattr(self._pool, "_pool", []) if p.pid is not None]

    def submit(self, batch: Sequence[Item], batch_size: int) -> list[BatchResult]:
        self._pending.append(self._pool.apply_async(_child_code, (list(batch), batch_size)))
        done = []
        while len(self._pending) > self.window or (self._pending and self._pending[0].ready()):
            done.append(self._pending.popleft().get())
        return done

    def drain(self) -> Iterator[BatchResult]:
        while self._pending:
            yield self._pending.popleft().get()

    def close(self) -> None:
        self._pool.close()
        self._pool.join()

    def terminate(self) -> None:
        self._pool.terminate()
        self._pool.join()

    def __enter__(self) -> BatchPool:
        return self

    def __exit__(self, exc_type: Any, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.terminate()


class Batches:
    """One interface for both: code in this process (``processes`` 1) or in a :class:`BatchPool`."""

    def __init__(self, coder: Coder, processes: int = 1, batch_size: int = 16) -> None:
        self.coder = coder
        self.batch_size = batch_size
        self.pool = BatchPool(coder, processes) if processes > 1 else None

    def submit(self, batch: Sequence[Item]) -> list[BatchResult]:
        if self.pool is None:
            return [code_batch(self.coder, batch, self.batch_size)]
        return self.pool.submit(batch, self.batch_size)

    def drain(self) -> Iterator[BatchResult]:
        if self.pool is not None:
            yield from self.pool.drain()

    def close(self, *, failed: bool = False) -> None:
        if self.pool is not None:
            self.pool.terminate() if failed else self.pool.close()
