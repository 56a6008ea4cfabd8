"""Stories and alerts fed by the worker's ledger, so that they follow a re-coding (issue 18).

On a worker app (``create_app``), ``attach_alerting`` hands over to :func:`attach`: instead
of reading the events topic, the story, watch and window agents receive, per article and per
key they keep state under, *all* of the article's changes at once — its current events and
the ids a re-coding retracted — from the ledger agent (``tallies.revisions``):

    ledger ─(story key)─▶ <app>-stories ─canonical─▶ canonical topic (no report left: a tombstone)
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
from schemas.canonical import CanonicalEvent
from schemas.events import DiplomaticEvent
from streams.core import alert_revisions, dedup, story_revisions
from streams.core import alerts as rules_core
from streams.core.alerts import DyadWindowState

log = logging.getLogger(__name__)

STORY = "story"
WATCH = "watch"
WINDOW = "window"


def fed_by_ledger(app: faust.App) -> bool:
    """True on a worker app built by ``create_app`` (it has a ledger to feed the agents)."""
    wiring = getattr(app, "wiring", None)
    return wiring is not None and hasattr(wiring, "sinks")


def cells(wired: Any, *, window_hours: int) -> Callable[[DiplomaticEvent], list[tuple[str, str, Any]]]:
    """An event's cells in the story, watch and window state (the ledger retracts them on a re-coding)."""
    watching = bool(wired.rules.watch_rules)
    windowing = bool(wired.rules.window_rules)

    def of(event: DiplomaticEvent) -> list[tuple[str, str, Any]]:
        out: list[tuple[str, str, Any]] = [(STORY, dedup.story_key(event, window_hours=window_hours), None)]
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
    window_hours: int,
    emit: Callable[[Alert], Awaitable[None]],
    clock: Callable[[], datetime],
    internal: Callable[[str], Any],
    table: Callable[[str], TableT],
) -> None:
    """Define the ledger-fed canonical, watch and window agents on ``app`` (see the module doc)."""
    w = app.wiring  # type: ignore[attr-defined]
    watch_topic = internal("watch")
    watches = table("watches")
    w.sinks.update({STORY: wired.story_topic, WATCH: watch_topic, WINDOW: wired.dyad_topic})
    w.extra_cells.append(cells(wired, window_hours=window_hours))
    watch_rules = wired.rules.watch_rules
    window_rules = wired.rules.window_rules

    @app.agent(wired.story_topic, name="wirewatch.alerts.canonical")
    async def canonical(stream: Any) -> Any:
        """One article's reports of one story in, its retracted ones out; publish what changed."""
        async for key, message in stream.items():
            stored = wired.stories.get(key)
            previous = CanonicalEvent.model_validate(stored) if stored is not None else None
            story = story_revisions.revise(
                previous, article_id=message["article_id"], upserts=_events(message),
                retracts=message["retracts"], window_hours=window_hours,
            )
            if story == previous:
                yield None
                continue
            if story is None:
                assert previous is not None
                await wired.canonical_topic.send(key=previous.story_id.encode("utf-8"), value=None)
                del wired.stories[key]
                log.info("story %s withdrawn: every report was retracted", previous.story_id)
            else:
                await wired.canonical_topic.send(key=story.story_id.encode("utf-8"),
                                                 value=story.model_dump_json().encode("utf-8"))
                wired.stories[key] = story.model_dump(mode="json")
            yield story

    @app.agent(watch_topic, name="wirewatch.alerts.watch")
    async def watch(stream: Any) -> Any:
        """Watch alerts per article: raised once per (article, dyad, code), withdrawn when unsupported."""
        async for article_id, message in stream.items():
            stored = watches.get(article_id)
            state, raised, withdrawn = alert_revisions.revise_watch(
                stored, _events(message), rules=watch_rules, now=clock())
            for alert in [*raised, *withdrawn]:  # before the state: a crash repeats an alert, never loses one
                await emit(alert)
            if state != (stored or {"alerts": {}, "support": {}}):
                watches[article_id] = state
            yield len(raised), len(withdrawn)

    @app.agent(wired.dyad_topic, name="wirewatch.alerts.windows")
    async def windows(stream: Any) -> Any:
        """Window rules per dyad: the article's retracted events leave before its new ones count."""
        async for key, message in stream.items():
            stored = wired.windows.get(key)
            state = DyadWindowState.model_validate(stored) if stored is not None else None
            new_state, raised, withdrawn = alert_revisions.revise_window(
                state, upserts=_events(message), retracts=message["retracts"], rules=window_rules,
                now=clock())
            for alert in [*withdrawn, *raised]:
                await emit(alert)
            if new_state is not None and new_state != state:
                wired.windows[key] = new_state.model_dump(mode="json")
            yield len(raised), len(withdrawn)

    wired.agents.update(canonical=canonical, watch=watch, windows=windows)
    wired.watches = watches


def _events(message: dict[str, Any]) -> list[DiplomaticEvent]:
    return [DiplomaticEvent.model_validate(payload) for payload in message.get("upserts", [])]
