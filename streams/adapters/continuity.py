"""Guards against records faust-streaming 0.15.3 fetches but never hands to the agent.

Around a restart or rebalance faust can read a record, never deliver it (its queue
cleared, its generation stale, its read offset overtaken by a seek) and go on with
later ones; then either commits stop (a gap at the head of the acked offsets) or,
for a one-record gap, faust commits past it (faust-streaming issues #216, #221,
#596, #606). The worker looked idle while articles were left uncoded.

Two checks, both pure and cheap, used by every agent (through ``streams.adapters.record_gaps``):

* ``OffsetContinuity``: per partition an agent reads, the next offset it should see.
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
    """The next expected offset per partition, within one consumer generation.

    Call ``settle()`` when a batch starts (the previous batch is acknowledged by then),
    then ``observe()`` for each of its records.
    """

    _next: dict[Hashable, int] = field(default_factory=dict)
    _generation: dict[Hashable, int] = field(default_factory=dict)
    _sought: dict[Hashable, int] = field(default_factory=dict)
    _holes: dict[Hashable, int] = field(default_factory=dict)
    _highest: dict[Hashable, int] = field(default_factory=dict)
    _filled: set[Hashable] = field(default_factory=set)

    def observe(self, tp: Hashable, offset: int, *, generation: int, committed: int | None) -> int | None:
        """Record that ``offset`` of ``tp`` reached the agent; return an offset to seek back to, if any.

        ``committed`` is the group's committed offset for ``tp`` as the consumer knows it; it
        is the starting point after a (re)assignment.
        """
        if self._generation.get(tp) != generation:
            self._generation[tp] = generation
            self._next[tp] = committed if committed is not None else offset
            for seen in (self._sought, self._holes, self._highest):
                seen.pop(tp, None)
            self._filled.discard(tp)
        hole = self._holes.get(tp)
        # Records from before the seek back still arrive first; a step backwards means the
        # re-read has begun, and its first record is the hole's (or shows it does not exist).
        if hole is not None and offset <= self._highest[tp] and offset >= hole:
            self._filled.add(tp)
        expected = self._next[tp]
        self._highest[tp] = max(self._highest.get(tp, offset), offset)
        if offset > expected and self._sought.get(tp) != expected:
            self._sought[tp] = expected
            self._holes[tp] = expected
            self._filled.discard(tp)
            return expected
        self._next[tp] = max(expected, offset + 1)
        return None

    def settle(self) -> None:
        """Forget the holes whose records came again in a batch that is acknowledged now."""
        for tp in self._filled:
            self._holes.pop(tp, None)
        self._filled.clear()

    def hole(self, tp: Hashable) -> int | None:
        """The first offset of ``tp`` known to be skipped and not yet coded."""
        return self._holes.get(tp)

    def forget(self) -> None:
        """Start over (after a rewind to the committed offsets)."""
        for seen in (self._next, self._generation, self._sought, self._holes, self._highest):
            seen.clear()
        self._filled.clear()


def commit_cap(offset: int | None, *, hole: int | None, committed: int | None) -> int | None:
    """The offset faust may commit, given one it computed and a known hole.

    faust commits past a one-record gap at the head of its acknowledged offsets (#606); a
    hole the worker has sought back over must not be committed past until it is seen again.
    None: commit nothing now.
    """
    if offset is None or hole is None or offset <= hole:
        return offset
    if committed is not None and hole <= committed:
        return None
    return hole


def stalled(
    *,
    idle_s: float,
    busy: bool,
    committed: Mapping[Hashable, int | None],
    ends: Mapping[Hashable, int | None],
    patience_s: float,
    behind_s: float | None = None,
) -> list[Hashable]:
    """The partitions left behind: records after the committed offset, and nothing coded for ``patience_s``.

    ``busy``: a batch is being coded right now (a slow batch is not a stall).
    ``committed`` None means the group never committed there: everything from 0 is behind.
    ``behind_s``: for how long the group has been seen behind. After a long idle period the first
    new records (a ``replay --republish``) are work arriving, not a stall, until they have waited
    ``patience_s`` too; rewinding then would code them twice (issue 18).
    """
    if busy or idle_s < patience_s or (behind_s is not None and behind_s < patience_s):
        return []
    return [tp for tp, end in ends.items() if end is not None and (committed.get(tp) or 0) < end]
