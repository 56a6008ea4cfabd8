"""Stories and alerts fed by the worker's ledger, so that they follow a re-coding (issue 18).

On a worker app (``create_app``), ``attach_alerting`` hands over to :func:`attach`: instead
of reading the events topic, the story, watch and window agents receive, per article and per
key they keep state under, *all* of the article's changes at once — its current events and
the ids a re-coding retracted — from the ledger agent (``tallies.revisions``):

    ledger ─(block key)─▶ <app>-blocks  ─canonical─▶ canonical topic (merged away or no report left:
           │                                                         a tombstone)
           ─(article)───▶ <app>-watch   ─watch─────▶ alerts topic (raised once per article, dyad, code;
           │                                                       withdrawn when no event supports it)
           └(dyad)──────▶ <app>-dyadwin ─windows───▶ alerts topic (retracted events out before new ones in;
                                                                   fired alerts that no longer hold withdrawn)

Every table is written only by the agent reading the topic keyed by its key (co-partitioned).
Each message is idempotent: the same coding again changes no state and sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import faust
from faust.types.tables import TableT

from schemas.alerts import Alert
from schemas.events import DiplomaticEvent
from streams.adapters import block_parts, retention, trimming
from streams.core import alert_revisions
from streams.core import alerts as rules_core
from streams.core import canonical as canon
from streams.core.alerts import DyadWindowState
from streams.core.similarity import MergeParams

log = logging.getLogger(__name__)

STORY = "story"
WATCH = "watch"
WINDOW = "window"


def fed_by_ledger(app: faust.App) -> bool:
    """True on a worker app built by ``create_app`` (it has a ledger to feed the agents)."""
    wiring = getattr(app, "wiring", None)
    return wiring is not None and hasattr(wiring, "sinks")


def cells(wired: Any, *, block_days: int) -> Callable[[DiplomaticEvent], list[tuple[str, str, Any]]]:
    """An event's cells in the story, watch and window state (the ledger retracts them on a re-coding)."""
    watching = bool(wired.rules.watch_rules)
    windowing = bool(wired.rules.window_rules)

    def of(event: DiplomaticEvent) -> list[tuple[str, str, Any]]:
        out: list[tuple[str, str, Any]] = [(STORY, canon.block_key(event, block_days=block_days), None)]
        if watching:
            out.append((WATCH, event.article_id, None))
        dyad = rules_core.dyad_key(event) if windowing else None
        if dyad is not None and rules_core.event_time(event) is not None:
            out.append((WINDOW, dyad, None))
        return out

    return of


def attach(
    app: faust.App,
    wired: Any,
    *,
    block_days: int,
    params: MergeParams,
    emit: Callable[[Alert], Awaitable[None]],
    clock: Callable[[], datetime],
    internal: Callable[[str], Any],
    table: Callable[[str], TableT],
    stories_days: float = 0.0,
    check_s: float = 300.0,
) -> None:
    """Define the ledger-fed canonical, watch and window agents on ``app`` (see the module doc)."""
    w = app.wiring  # type: ignore[attr-defined]
    watch_topic = internal("watch")
    watches = table("watches")
    w.sinks.update({STORY: wired.story_topic, WATCH: watch_topic, WINDOW: wired.dyad_topic})
    w.extra_cells.append(cells(wired, block_days=block_days))
    watch_rules = wired.rules.watch_rules
    window_rules = wired.rules.window_rules
    gaps = w.progress.gaps  # the worker's guard against records faust skips (streams.adapters.record_gaps)

    @app.agent(wired.story_topic, name="wirewatch.alerts.canonical")
    async def canonical(stream: Any) -> Any:
        """One article's reports in a block in, its retracted ones out; publish what changed.

        ``streams.core.canonical``: the retracted reports leave their canonical events (which may
        split), the article's current ones are folded in (a report already there changes
        nothing); changed canonical events are published, vanished ones get a tombstone.
        """
        async for key, message in gaps.items(app, "alerts.canonical", stream):
            if retention.is_retention(message):  # the retention timer's: forget an old block (issue 12)
                if trimming.on_block_message(wired.blocks, key, message, block_days=block_days):
                    log.info("block %s forgotten: its days ended before the stories' retention window", key)
                yield None
                continue
            stored = block_parts.load(wired.blocks, key)  # a big block is kept in bounded parts
            before = canon.from_json(stored.value) if stored.value is not None else None
            after = before
            for event_id in message["retracts"]:
                if after is not None:
                    after = canon.retract(after, event_id)
            for event in _events(message):
                after = canon.add(after, event, params=params, block=key)
            if after is None or after == before:
                yield None
                continue
            upserts, gone = canon.changes(before, after)
            for story in upserts:
                await wired.canonical_topic.send(
                    key=story.story_id.encode("utf-8"), value=story.model_dump_json().encode("utf-8")
                )
            for story_id in gone:
                await wired.canonical_topic.send(key=story_id.encode("utf-8"), value=None)
            if after.members:
                block_parts.save(wired.blocks, key, canon.to_json(after), stored)
            else:
                block_parts.delete(wired.blocks, key, stored)
                log.info("block %s emptied: every report was retracted", key)
            yield {"upserts": upserts, "gone": gone}

    @app.agent(watch_topic, name="wirewatch.alerts.watch")
    async def watch(stream: Any) -> Any:
        """Watch alerts per article: raised once per (article, dyad, code), withdrawn when unsupported."""
        async for article_id, message in gaps.items(app, "alerts.watch", stream):
            if retention.is_retention(message):  # the ledger forgot the article: so does its watch state
                if watches.get(article_id) is not None:
                    del watches[article_id]
                yield 0, 0
                continue
            stored = watches.get(article_id)
            state, raised, withdrawn = alert_revisions.revise_watch(
                stored, _events(message), rules=watch_rules, now=clock()
            )
            for alert in [*raised, *withdrawn]:  # before the state: a crash repeats an alert, never loses one
                await emit(alert)
            if state != (stored or {"alerts": {}, "support": {}}):
                watches[article_id] = state
            yield len(raised), len(withdrawn)

    @app.agent(wired.dyad_topic, name="wirewatch.alerts.windows")
    async def windows(stream: Any) -> Any:
        """Window rules per dyad: the article's retracted events leave before its new ones count."""
        async for key, message in gaps.items(app, "alerts.windows", stream):
            stored = wired.windows.get(key)
            state = DyadWindowState.model_validate(stored) if stored is not None else None
            new_state, raised, withdrawn = alert_revisions.revise_window(
                state, upserts=_events(message), retracts=message["retracts"], rules=window_rules, now=clock()
            )
            for alert in [*withdrawn, *raised]:
                await emit(alert)
            if new_state is not None and new_state != state:
                wired.windows[key] = new_state.model_dump(mode="json")
            yield len(raised), len(withdrawn)

    if stories_days > 0:

        @app.timer(interval=check_s)
        async def trim_the_stories() -> None:  # the story blocks' retention window (issue 12)
            await trimming.trim_blocks(
                app, wired.blocks, wired.story_topic, days=stories_days, block_days=block_days
            )

    wired.agents.update(canonical=canonical, watch=watch, windows=windows)
    wired.watches = watches


def _events(message: dict[str, Any]) -> list[DiplomaticEvent]:
    return [DiplomaticEvent.model_validate(payload) for payload in message.get("upserts", [])]
