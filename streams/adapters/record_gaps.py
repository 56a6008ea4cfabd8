"""Every agent's guard against records faust fetched but never handed to it (``continuity``).

The process agent has guarded the raw topic since faust-streaming 0.15.3 was seen skipping a
record after a restart and committing past it (#606). The agents that keep the tables (ledger,
tally, and the ledger-fed alert and story agents) were not guarded, and the same skip there
loses a table update for good: the crash test once ended with the events topic complete and
one event missing from a dyad-day (issue 12). ``RecordGaps`` keeps one ``OffsetContinuity`` per
agent, seeks an agent's partition back when a record jumps past the one expected, and answers
the commit cap for every guarded partition, so no commit passes a record none of them coded.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any

from streams.adapters import faust_patches
from streams.adapters.continuity import OffsetContinuity

log = logging.getLogger(__name__)


class RecordGaps:
    """One offset-continuity tracker per agent, and what they say together."""

    def __init__(self) -> None:
        self._trackers: dict[str, OffsetContinuity] = {}

    def tracker(self, agent: str) -> OffsetContinuity:
        return self._trackers.setdefault(agent, OffsetContinuity())

    def hole(self, tp: Any) -> int | None:
        """The first skipped, not yet coded offset of ``tp`` any agent knows of (None: none)."""
        holes = [h for t in self._trackers.values() if (h := t.hole(tp)) is not None]
        return min(holes) if holes else None

    def forget(self) -> None:
        """Start over everywhere (after a rewind to the committed offsets)."""
        for tracker in self._trackers.values():
            tracker.forget()

    async def check(self, app: Any, agent: str, events: Sequence[Any]) -> None:
        """A batch (or one record) reached ``agent``: settle what earlier ones filled, seek back on a skip."""
        tracker = self.tracker(agent)
        tracker.settle()
        for event in events:
            msg = event.message
            committed = faust_patches.committed_offset(app.consumer, msg.tp)
            back = tracker.observe(
                msg.tp, msg.offset, generation=getattr(msg, "generation_id", 0), committed=committed
            )
            if back is None:
                continue
            log.warning(
                "%s[%d]: offsets %d..%d were fetched but never reached the agent %s (faust); "
                "seeking back to %d to take them",
                msg.topic,
                msg.partition,
                back,
                msg.offset - 1,
                agent,
                back,
            )
            # faust may have recorded the skipped offsets as a read gap (compaction), which it
            # counts as acknowledged: take them out so no commit passes them before they are taken.
            faust_patches.chop_read_gap(app.consumer, msg.tp, back, msg.offset)
            await app.consumer.seek(msg.tp, back)

    async def items(self, app: Any, agent: str, stream: Any) -> AsyncIterator[tuple[Any, Any]]:
        """``stream.items()`` with the guard: each record is checked before the agent takes it.

        faust acknowledges a record when the agent asks for the next one, which this generator
        does only after the agent's body has run, so acknowledgement timing is unchanged.
        """
        async for event in stream.events():
            await self.check(app, agent, (event,))
            yield event.key, event.value
