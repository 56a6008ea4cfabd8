"""Guards against records faust-streaming 0.15.3 fetches but never hands to the agent.

Around a restart or rebalance faust can read a record, never deliver it (its queue
cleared, its generation stale, its read offset overtaken by a seek) and go on with
later ones; then either commits stop (a gap at the head of the acked offsets) or,
for a one-record gap, faust commits past it (faust-streaming issues #216, #221,
#596, #606). The worker looked idle while articles were left uncoded.

Two checks, both pure and cheap, used by the process agent:

* ``OffsetContinuity``: per raw partition, the next offset the agent should see.
  A batch that jumps past it asks for a seek back, so the skipped records come
  again (the records after them are still coded: everything downstream is keyed
  by deterministic ids, so a second pass changes nothing). A gap that is still
  there after one seek back is real (transaction markers, compaction) and accepted.
* ``stalled``: the agent coded nothing for a while although the group's committed
  offsets are behind the end of the topic: the caller rewinds to the committed
  offsets, which re-delivers whatever was fetched and dropped.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field


@dataclass
class OffsetContinuity:
    """The next expected offset per partition, within one consumer generation."""

    _next: dict[Hashable, int] = field(default_factory=dict)
    _generation: dict[Hashable, int] = field(default_factory=dict)
    _sought: dict[Hashable, int] = field(default_factory=dict)

    def observe(self, tp: Hashable, offset: int, *, generation: int, committed: int | None) -> int | None:
        """Record that ``offset`` of ``tp`` reached the agent; return an offset to seek back to, if any.

        ``committed`` is the group's committed offset for ``tp`` as the consumer knows it; it
        is the starting point after a (re)assignment.
        """
        if self._generation.get(tp) != generation:
            self._generation[tp] = generation
            self._next[tp] = committed if committed is not None else offset
            self._sought.pop(tp, None)
        expected = self._next[tp]
        if offset > expected and self._sought.get(tp) != expected:
            self._sought[tp] = expected
            return expected
        self._next[tp] = max(expected, offset + 1)
        return None

    def forget(self) -> None:
        """Start over (after a rewind to the committed offsets)."""
        self._next.clear()
        self._generation.clear()
        self._sought.clear()


def stalled(
    *,
    idle_s: float,
    busy: bool,
    committed: Mapping[Hashable, int | None],
    ends: Mapping[Hashable, int | None],
    patience_s: float,
) -> list[Hashable]:
    """The partitions left behind: records after the committed offset, and nothing coded for ``patience_s``.

    ``busy``: a batch is being coded right now (a slow batch is not a stall).
    ``committed`` None means the group never committed there: everything from 0 is behind.
    """
    if busy or idle_s < patience_s:
        return []
    return [tp for tp, end in ends.items() if end is not None and (committed.get(tp) or 0) < end]
