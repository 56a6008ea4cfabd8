"""Canonical events and alerts as Faust agents, plus webhook delivery.

``attach_alerting(app, settings=..., events_topic=...)`` adds, to an app built by
``create_app`` (pass it in ``attach=``) or to any faust App:

    events ──route──▶ <app>-blocks topic  (key = block key) ──canonical──▶ canonical topic
              │                                                   └─(watch rules, new reports)─▶ alerts topic
              └─────▶ <app>-dyadwin topic  (key = dyad)      ──windows────▶ alerts topic

Each table (``blocks``: block key → ``streams.core.canonical`` block state JSON;
``dyadwin``: dyad → DyadWindowState JSON) is written only by the agent that reads
the internal topic keyed by that table's key, so table and changelog partitions
match (faust "Co-partitioning Tables and Streams"). A block is a fixed bucket of
``app.canonical_block_days`` event days, so all reports that may merge meet on one
worker. The pure functions in ``streams.core.canonical`` and
``streams.core.alerts`` are idempotent on event id, so a redelivered or replayed
event changes neither table and emits no new canonical record and no alert.

The canonical topic is compacted and keyed by story id: each change of a block
publishes the canonical events whose members changed, and a tombstone (null
value) for every story id that vanished (two stories merged into the one with the
smaller member id, or a retraction split one). A message ``{"retract": EVENT_ID}``
on the blocks topic, keyed by the retracted event's block (:func:`retraction`),
takes a report out again (reprocessing). Only a crash between sending an alert and recording its event
can repeat an alert (at-least-once), with the same ``alert_id`` so consumers can
drop the repeat.

Webhook delivery runs beside the stream: agents only put alerts on a bounded queue
(full queue: the alert is logged and skipped for the webhook, it is still on the
alerts topic); a background task POSTs them with retries and exponential backoff;
failures are logged, never raised.
"""

from __future__ import annotations

import asyncio
import logging
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import faust
import yaml
from faust.types import ChannelT
from faust.types.tables import TableT
from pydantic import ValidationError

from schemas.alerts import Alert
from schemas.canonical import CanonicalEvent
from schemas.events import DiplomaticEvent
from streams.adapters import alert_feed, block_parts
from streams.core import alerts as rules_core
from streams.core import canonical as canon
from streams.core.similarity import MergeParams
from streams.errors import ConfigError
from streams.settings import Settings

log = logging.getLogger(__name__)


# --- rules file ----------------------------------------------------------------------------------


def load_rules(path: Path | str | None) -> rules_core.RuleSet:
    """The rules in a YAML (``.yaml``/``.yml``) or TOML (``.toml``) file; no path: no rules.

    Every problem becomes one ``ConfigError`` line naming the file and the field.
    """
    if path is None:
        return rules_core.RuleSet()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"alerts config {path}: cannot read: {exc.strerror or exc}") from exc
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        elif suffix == ".toml":
            data = tomllib.loads(text)
        else:
            raise ConfigError(
                f"alerts config {path}: unknown format {suffix or '(none)'}; use .yaml, .yml or .toml"
            )
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc
        raise ConfigError(f"alerts config {path}:{where} not valid YAML: {problem}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"alerts config {path}: not valid TOML: {exc}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"alerts config {path}: expected a mapping with 'rules' (and optional 'webhook')")
    try:
        return rules_core.RuleSet.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"alerts config {path}: {_first_error(exc, data)}") from exc


def _first_error(exc: ValidationError, data: dict[str, Any]) -> str:
    err = exc.errors()[0]
    loc = list(err["loc"])
    # Name a rule by its name rather than its index, and drop pydantic's union tags (watch/dyad_window).
    parts: list[str] = []
    for i, item in enumerate(loc):
        if parts == ["rules"] and isinstance(item, int):
            try:
                parts.append(f"{data['rules'][item].get('name', item)!s}")
            except (KeyError, IndexError, AttributeError, TypeError):
                parts.append(str(item))
        elif i == 2 and loc[0] == "rules" and item in ("watch", "dyad_window"):
            continue
        else:
            parts.append(str(item))
    where = ".".join(parts)
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    message = err["msg"].removeprefix("Value error, ")
    return f"{where}: {message}{more}" if where else f"{message}{more}"


# --- webhook -------------------------------------------------------------------------------------


class WebhookSender:
    """POST alerts as JSON to one URL: retries with exponential backoff, failures logged.

    The alerts come from the alerts topic (``streams.adapters.webhook_delivery``), so a
    restart resumes delivery; each POST carries ``Idempotency-Key: <alert id>``.
    """

    def __init__(self, hook: rules_core.Webhook) -> None:
        self.hook = hook
        self.delivered = 0
        self.failed = 0

    async def deliver(
        self, session: aiohttp.ClientSession, alert: Alert, *, stopping: Callable[[], bool] | None = None
    ) -> bool | None:
        """One alert, up to ``1 + retries`` attempts; True when the server answered 2xx.

        None (deferred: neither delivered nor given up on) when ``stopping()`` turns true between
        attempts or during a backoff: the worker is stopping or rebalancing, and faust waits for
        every alert in flight before it commits and lets go of its partitions (issue 12: a worker
        retrying against a dead receiver did not stop on SIGTERM for the whole retry budget).
        """
        body = alert.model_dump_json().encode("utf-8")
        headers = {"Content-Type": "application/json", "Idempotency-Key": alert.alert_id, **self.hook.headers}
        timeout = aiohttp.ClientTimeout(total=self.hook.timeout_s)
        attempts = 1 + self.hook.retries
        for attempt in range(1, attempts + 1):
            try:
                post = session.post(str(self.hook.url), data=body, headers=headers, timeout=timeout)
                async with post as resp:
                    if 200 <= resp.status < 300:
                        self.delivered += 1
                        return True
                    problem = f"HTTP {resp.status}"
                    if 400 <= resp.status < 500 and resp.status not in (408, 429):
                        attempts = attempt  # the request itself is wrong: retrying will not help
                        break
            except (aiohttp.ClientError, TimeoutError) as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if attempt < attempts:
                delay = self.hook.backoff_s * 2 ** (attempt - 1)
                log.info(
                    "webhook attempt %d/%d for %s failed (%s); retrying in %.2fs",
                    attempt,
                    attempts,
                    alert.alert_id,
                    problem,
                    delay,
                )
                if await _backoff(delay, stopping):
                    log.info(
                        "webhook delivery of %s deferred after %d attempt(s): the worker is stopping "
                        "or rebalancing",
                        alert.alert_id,
                        attempt,
                    )
                    return None
        self.failed += 1
        log.warning("webhook gave up on alert %s after %d attempt(s): %s", alert.alert_id, attempts, problem)
        return False


async def _backoff(delay: float, stopping: Callable[[], bool] | None, *, step: float = 0.25) -> bool:
    """Sleep ``delay`` seconds; True (at once) when ``stopping()`` turns true meanwhile."""
    if stopping is None:
        await asyncio.sleep(delay)
        return False
    end = time.monotonic() + delay
    while not stopping():
        left = end - time.monotonic()
        if left <= 0:
            return False
        await asyncio.sleep(min(step, left))
    return True


# --- agents --------------------------------------------------------------------------------------


@dataclass
class Alerting:
    """Handles on what ``attach_alerting`` declared, for tests and views."""

    rules: rules_core.RuleSet
    story_topic: ChannelT
    dyad_topic: ChannelT
    canonical_topic: ChannelT
    alerts_topic: ChannelT
    blocks: TableT
    windows: TableT
    webhook: WebhookSender | None
    agents: dict[str, Any] = field(default_factory=dict)
    watches: TableT | None = None  # article → watch alerts raised (when fed by the ledger)


Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def attach_alerting(
    app: faust.App,
    *,
    settings: Settings,
    events_topic: ChannelT,
    rules: rules_core.RuleSet | None = None,
    channels: dict[str, ChannelT] | None = None,
    clock: Clock = _utcnow,
) -> Alerting:
    """Add the canonical-event and alert agents to ``app``.

    ``rules`` default to the file ``settings.app.alerts_config`` (none: no alert
    rules, canonical events only). ``channels`` replaces topics by name
    (``blocks``, ``dyadwin``, ``canonical``, ``alerts``), e.g. with in-memory
    ``app.channel()``s in agent tests.
    """
    ruleset = rules if rules is not None else load_rules(settings.app.alerts_config)
    block_days = settings.app.canonical_block_days
    params = MergeParams()
    if settings.app.canonical_threshold is not None:
        params = MergeParams(threshold=settings.app.canonical_threshold)
    partitions = settings.topics.partitions
    channels = channels or {}

    def internal(suffix: str) -> ChannelT:
        return channels.get(suffix) or app.topic(
            f"{settings.app.id}-{suffix}",
            internal=True,
            partitions=partitions,
            key_serializer="json",
            value_serializer="json",
        )

    def output(name: str, topic_name: str, **config: Any) -> ChannelT:
        return channels.get(name) or app.topic(
            topic_name,
            partitions=partitions,
            key_serializer="raw",
            value_serializer="raw",
            config=config or None,
        )

    def table(name: str) -> TableT:
        return app.Table(
            name,
            default=None,
            partitions=partitions,
            schema=faust.Schema(key_serializer="json", value_serializer="json"),
        )

    wired = Alerting(
        rules=ruleset,
        story_topic=internal("blocks"),
        dyad_topic=internal("dyadwin"),
        canonical_topic=output("canonical", settings.topics.canonical, **{"cleanup.policy": "compact"}),
        alerts_topic=output("alerts", settings.topics.alerts),
        blocks=table("blocks"),
        windows=table("dyadwin"),
        webhook=WebhookSender(ruleset.webhook) if ruleset.webhook is not None else None,
    )
    watch_rules = ruleset.watch_rules
    window_rules = ruleset.window_rules

    async def emit(alert: Alert) -> None:
        await wired.alerts_topic.send(key=alert.alert_id.encode("utf-8"), value=_encode(alert))
        log.info("alert %s", alert.message)  # the webhook agent delivers it from the alerts topic

    if alert_feed.fed_by_ledger(app):  # a worker app: the ledger feeds stories and alerts (issue 18)
        alert_feed.attach(
            app,
            wired,
            block_days=block_days,
            params=params,
            emit=emit,
            clock=clock,
            internal=internal,
            table=table,
            stories_days=settings.retention.stories_days,
            check_s=settings.retention.check_s,
        )
        return _finish(app, wired)

    @app.agent(events_topic, name="wirewatch.alerts.route")
    async def route(stream: Any) -> Any:
        """Re-key each event by block and by dyad, for the agents that keep state under those keys."""
        async for value in stream:
            event = _decode_event(value)
            if event is None:
                yield None
                continue
            payload = event.model_dump(mode="json")
            key = canon.block_key(event, block_days=block_days)
            await wired.story_topic.send(key=key, value=payload)
            dyad = rules_core.dyad_key(event) if window_rules else None
            if dyad is not None:
                await wired.dyad_topic.send(key=dyad, value=payload)
            yield {"event_id": event.event_id, "block": key, "dyad": dyad}

    @app.agent(wired.story_topic, name="wirewatch.alerts.canonical")
    async def canonical(stream: Any) -> Any:
        """Fold each report into its block; publish the canonical events it changed; watch alerts.

        The block table doubles as the record of which event ids were seen, so a
        redelivered or replayed event raises no second watch alert. Alerts go out
        before the table is updated: a crash in between repeats an alert (same id)
        rather than losing it. Canonical records go out before the table is
        updated too: a crash in between publishes the same records again.
        """
        async for key, payload in stream.items():
            stored = block_parts.load(wired.blocks, key)  # a big block is kept in bounded parts
            before = canon.from_json(stored.value) if stored.value is not None else None
            event: DiplomaticEvent | None = None
            if isinstance(payload, dict) and set(payload) == {"retract"}:
                if before is None:
                    yield None
                    continue
                after = canon.retract(before, str(payload["retract"]))
            else:
                event = DiplomaticEvent.model_validate(payload)
                after = canon.add(before, event, params=params, block=key)
            if after is before:
                yield None  # already folded in (or nothing to retract): nothing changes, nothing is sent
                continue
            if event is not None:
                for alert in rules_core.evaluate_watch(watch_rules, event, now=clock()):
                    await emit(alert)
            upserts, gone = canon.changes(before, after)
            for story in upserts:
                await wired.canonical_topic.send(key=story.story_id.encode("utf-8"), value=_encode(story))
            for story_id in gone:
                await wired.canonical_topic.send(key=story_id.encode("utf-8"), value=None)
            block_parts.save(wired.blocks, key, canon.to_json(after), stored)
            yield {"upserts": upserts, "gone": gone}

    @app.agent(wired.dyad_topic, name="wirewatch.alerts.windows")
    async def windows(stream: Any) -> Any:
        """Sliding-window rules per dyad; the window state lives in the ``dyadwin`` table."""
        async for key, payload in stream.items():
            event = DiplomaticEvent.model_validate(payload)
            stored = wired.windows.get(key)
            state = rules_core.DyadWindowState.model_validate(stored) if stored is not None else None
            new_state, fired = rules_core.update(state, event, rules=window_rules, now=clock())
            if new_state is not None and new_state != state:
                wired.windows[key] = new_state.model_dump(mode="json")
            for alert in fired:
                await emit(alert)
            yield fired

    wired.agents.update(route=route, canonical=canonical, windows=windows)
    return _finish(app, wired)


def _finish(app: faust.App, wired: Alerting) -> Alerting:
    if wired.webhook is not None:  # delivery from the alerts topic: concurrent, resumable (issue 12)
        from streams.adapters import webhook_delivery

        wired.agents["webhook"] = webhook_delivery.attach(app, wired.webhook, wired.alerts_topic)

    app.alerting = wired  # type: ignore[attr-defined]
    return wired


def retraction(event: DiplomaticEvent, *, block_days: int) -> tuple[str, dict[str, str]]:
    """The (key, value) to send on the blocks topic to take ``event`` out of its canonical event."""
    return canon.block_key(event, block_days=block_days), {"retract": event.event_id}


def _encode(record: Alert | CanonicalEvent) -> bytes:
    return record.model_dump_json().encode("utf-8")


def _decode_event(value: Any) -> DiplomaticEvent | None:
    """The events topic is written by our own worker; anything else there is logged and skipped."""
    try:
        if isinstance(value, DiplomaticEvent):
            return value
        if isinstance(value, bytes | str):
            return DiplomaticEvent.model_validate_json(value)
        return DiplomaticEvent.model_validate(value)
    except ValidationError as exc:
        log.warning("not a DiplomaticEvent on the events topic, skipped: %s", str(exc).splitlines()[0])
        return None


__all__ = ["Alerting", "WebhookSender", "attach_alerting", "load_rules", "retraction"]
