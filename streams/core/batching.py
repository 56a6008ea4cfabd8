"""Batches sized by words, not articles: what one ``nlp.pipe`` call in the worker codes.

The worker takes up to ``nlp.batch_size`` records at a time from the raw topic and codes
them in one ``process_batch`` call, so every article of a batch waits for the slowest: a
3,000-word story held fifteen short ones for seconds. :func:`word_batches` cuts such a take
into consecutive runs of at most ``max_words`` words (title + body, whitespace tokens), in
input order; an article longer than that is coded alone. Each run is coded and its results
sent before the next starts, so a short article's latency is its own run's, not the take's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def words(title: str | None, body: str | None) -> int:
    return len((title or "").split()) + len((body or "").split())


def word_batches(items: Sequence[T], size: Callable[[T], int], max_words: int) -> list[list[T]]:
    """Consecutive runs of ``items`` whose sizes add up to at most ``max_words`` (a longer
    item forms a run of its own); every item once, in order."""
    out: list[list[T]] = []
    run: list[T] = []
    total = 0
    for item in items:
        n = size(item)
        if run and total + n > max_words:
            out.append(run)
            run, total = [], 0
        run.append(item)
        total += n
    if run:
        out.append(run)
    return out


__all__ = ["word_batches", "words"]
