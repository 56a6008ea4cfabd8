"""The Faust app: agents from raw articles to typed topics, tables and HTTP views.

``create_app`` builds a fresh ``faust.App`` every time (a shared global app breaks
tests, robinhood/faust#331); the one module-level app for ``faust -A`` lives in
``streams.app``. The flow, one direction:

    raw bytes ──process──▶ clean topic, events topic, dead-letter topic
                    └────▶ ledger topic (key = article id)
    ledger ──ledger agent──▶ tally topic (key = table key: upserts and retractions)
    tally  ──tally agent───▶ dyad × day table, actor timeline table, events table

Every table is written only by the agent that consumes a topic keyed by that
table's key, so a table partition and its changelog partition always match the
partition of the message being processed (faust "Co-partitioning Tables and Streams").
Exactly-once is not relied upon: outputs are keyed by deterministic ids and table
values store contributions by event id (``streams.adapters.tallies``), so a
redelivered or replayed message changes nothing.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faust
from faust.types import EventT, TopicT
from faust.types.tables import TableT

from schemas import RawArticle
from streams.adapters import (
    actor_timeline,
    codecs,
    continuity,
    event_feed,
    event_sets,
    faust_patches,
    ledger_parts,
    processing,
    record_gaps,
    retention,
    tallies,
    trimming,
    web_setup,
)
from streams.adapters.kafka_clients import faust_app_kwargs
from streams.adapters.wiring import CODER_TIMEOUT_S, CoderLike, Outcome, Wiring
from streams.settings import Settings

log = logging.getLogger(__name__)

ACTOR_TIMELINE_LIMIT = 50
# Bump when the meaning of a table value changes: faust then starts fresh changelogs.
TABLE_VERSION = 1


def create_app(
    settings: Settings,
    *,
    coder: CoderLike,
    executor: Executor | None = None,
    coder_timeout_s: float = CODER_TIMEOUT_S,
    standby_replicas: int = 1,
    attach: Sequence[Callable[..., None]] = (),
) -> faust.App:
    """A new, unstarted worker app wired to ``settings``; ``coder`` codes batches of articles.

    ``executor`` runs the coder off the event loop (one thread by default: spaCy is
    not thread-safe per ``nlp``, explosion/spaCy#11904, and a blocked loop starves
    heartbeats and the web server). An article that takes longer than
    ``coder_timeout_s`` is dead-lettered and the stuck thread abandoned.
    ``standby_replicas``: how many other workers keep a warm copy of each table
    partition (faster fail-over; 0 saves memory). ``attach`` are extra wiring functions called as
    ``fn(app, settings=settings, events_topic=...)`` (alerts, canonical events).
    """
    partitions = settings.topics.partitions
    app = faust.App(
        settings.app.id,
        autodiscover=False,
        store=settings.app.store,
        datadir=str(settings.app.data_dir / f"worker-{settings.web.port}"),
        version=TABLE_VERSION,
        topic_partitions=partitions,
        topic_replication_factor=settings.topics.replication_factor,
        web_host=settings.web.host,
        web_bind=settings.web.host,
        web_port=settings.web.port,
        web_in_thread=False,
        # how peers reach this worker's views (in Kubernetes: the pod's stable DNS name)
        **({"canonical_url": settings.web.canonical_url} if settings.web.canonical_url else {}),
        table_standby_replicas=standby_replicas,
        **web_setup.faust_web_options(settings.web),
        # Nothing reads faust's own JSON from our topics: each one carries raw bytes we encode.
        key_serializer="raw",
        value_serializer="raw",
        **faust_app_kwargs(settings.kafka),
    )

    def topic(name: str, **kwargs: Any) -> TopicT:
        return app.topic(name, partitions=partitions, key_serializer="raw", value_serializer="raw", **kwargs)

    def internal(suffix: str) -> TopicT:
        return app.topic(
            f"{settings.app.id}-{suffix}",
            internal=True,
            partitions=partitions,
            key_serializer="json",
            value_serializer="json",
        )

    def table(name: str) -> TableT:
        # str keys → faust's JSON key codec, the same bytes the internal topics send: co-partitioned.
        return app.Table(name, default=None, partitions=partitions, key_type=str)

    wiring = Wiring(
        settings=settings,
        coder=coder,
        raw=topic(settings.topics.raw),
        clean=topic(settings.topics.clean),
        events=topic(settings.topics.events),
        deadletter=topic(settings.topics.deadletter),
        ledger_topic=internal("ledger"),
        tally_topic=internal("tally"),
        ledger=table("ledger"),
        dyads=table("dyads"),
        actors=table("actors"),
        event_rows=table("events"),
        executor=executor or DaemonThreadExecutor(),
        coder_timeout_s=coder_timeout_s,
        event_sets=topic(settings.topics.event_sets),
        actor_entries=table("actor_entries"),
    )
    app.wiring = wiring  # type: ignore[attr-defined]
    progress = Progress()
    faust_patches.install(
        app,
        commit_cap=functools.partial(_commit_cap, app, progress.gaps),
        allow_untested=settings.app.allow_untested_versions,
    )
    _define_agents(app, wiring, progress)
    from streams.adapters import observability  # /metrics and the heartbeat

    wiring.metrics = observability.attach(
        app, settings=settings, coder=coder,
        consumed={wiring.raw.get_topic_name(), wiring.ledger_topic.get_topic_name(),
                  wiring.tally_topic.get_topic_name()},
    )  # fmt: skip

    from streams.adapters import views  # views import faust_app's Wiring, not the other way round

    views.register(app, wiring)
    for fn in attach:
        fn(app, settings=settings, events_topic=wiring.events)
    return app


def wiring_of(app: faust.App) -> Wiring:
    return app.wiring  # type: ignore[attr-defined,no-any-return]


# --- agents --------------------------------------------------------------------------------------


def _define_agents(app: faust.App, w: Wiring, progress: Progress) -> None:
    settings = w.settings
    max_bytes = settings.nlp.max_body_chars * 8  # a generous cap on the JSON envelope, not the body

    w.progress = progress

    @app.agent(w.raw, name="wirewatch.process")
    async def process(stream: Any) -> Any:
        """Raw bytes → records; batches so spaCy's ``nlp.pipe`` sees many texts at once."""
        async for batch in stream.take_events(settings.nlp.batch_size, within=settings.nlp.batch_within_s):
            progress.busy = True
            started = time.monotonic()
            try:
                await progress.gaps.check(app, PROCESS, batch)
                counts = await processing.process_batch(w, batch, max_bytes=max_bytes, code=_code)
            finally:
                progress.busy = False
                progress.touch()
            if w.metrics is not None:
                w.metrics.batch(len(batch), counts, time.monotonic() - started)
            log.info(
                "batch of %d (%s) in %d run(s): %d articles coded, %d events, %d dead letters",
                len(batch),
                _offsets(batch),
                counts["runs"],
                counts["articles"],
                counts["events"],
                counts["dead_letters"],
            )
            yield counts

    @app.agent(w.ledger_topic, name="wirewatch.ledger")
    async def ledger(stream: Any) -> Any:
        """One article's coding → upserts for its events, retractions for events a re-coding dropped."""
        async for article_id, message in progress.gaps.items(app, LEDGER, stream):
            if retention.is_retention(message):  # the retention timer's: forget an old article (issue 12)
                trimmed = await trimming.on_ledger_message(w, article_id, message)
                progress.touch()
                yield {"article_id": article_id, "updates": 0, "trimmed": trimmed}
                continue
            previous = w.ledger.get(article_id)
            value, updates, whole = ledger_parts.step(previous, message)  # bounded parts (issue 12)
            value[retention.AT] = (
                message.get(retention.AT)
                or (previous or {}).get(retention.AT)
                or retention.iso(datetime.now(UTC))
            )  # a message from an older worker
            record = None
            if whole:  # the article's whole new coding is in: its event set (issue 18)
                record, value["set"] = event_sets.next_set(
                    article_id,
                    previous,
                    event_ids=list(value["events"]),
                    retracted=list(value["retired"]),
                    coder_version=message.get("coder_version") or _version_of(message),
                    coder_fingerprint=message.get("coder_fingerprint"),
                )
            w.ledger[article_id] = value
            for update in updates:
                if update["table"] not in w.sinks:
                    await w.tally_topic.send(key=update["key"], value=update)
            elsewhere = [u for u in updates if u["table"] in w.sinks]
            for revision in tallies.revisions(article_id, elsewhere, message.get("payloads") or {}):
                await w.sinks[revision["table"]].send(key=revision["key"], value=revision)
            if record is not None and w.event_sets is not None:  # after the events and the tallies
                await w.event_sets.send(key=article_id.encode("utf-8"), value=codecs.encode(record))
            progress.touch()
            yield {"article_id": article_id, "updates": len(updates)}

    @app.agent(w.tally_topic, name="wirewatch.tally")
    async def tally(stream: Any) -> Any:
        """Apply one upsert or retraction to the dyad × day or actor table (idempotent)."""
        async for key, message in progress.gaps.items(app, TALLY, stream):
            if message["table"] == tallies.DYAD:
                w.dyads[key] = tallies.apply(w.dyads.get(key), message)
            elif message["table"] == tallies.ACTOR:
                actor_timeline.apply(w.actors, w.actor_entries, key, message, limit=ACTOR_TIMELINE_LIMIT)
            elif message["table"] == tallies.EVENT:
                event_feed.apply(w.event_rows, key, message, w.recent)
            else:
                log.warning("tally message for unknown table %r ignored", message.get("table"))
            progress.touch()
            yield key

    consumed = {w.raw.get_topic_name(), w.ledger_topic.get_topic_name(), w.tally_topic.get_topic_name()}

    @app.timer(interval=STALL_CHECK_S)
    async def watch_for_stalls() -> None:
        await _rewind_if_stalled(app, progress, consumed)

    @app.timer(interval=PRODUCER_CHECK_S)
    async def watch_the_producer() -> None:
        _log_leaderless_batches(app)

    if settings.retention.ledger_days > 0:

        @app.timer(interval=settings.retention.check_s)
        async def trim_the_ledger() -> None:  # the ledger's retention window (issue 12)
            await trimming.trim_ledger(app, w, days=settings.retention.ledger_days)

    from streams.adapters import health, quiet_logs  # honest /healthz, quiet logs (issue 12)

    w.health = health.Health()
    health.attach(app, w.health, consumed, lambda tp: _committed(app, tp))

    @app.task
    async def quiet_repeated_logs() -> None:  # faust's logging is set up by the time tasks start
        quiet_logs.install()

    w.agents.update(process=process, ledger=ledger, tally=tally)


# The agents' names in the gap guard (streams.adapters.record_gaps).
PROCESS, LEDGER, TALLY = "process", "ledger", "tally"

# How long the worker may code nothing while its group's offsets are behind the end of its
# topics before it rewinds to the committed offsets (see streams.adapters.continuity).
STALL_CHECK_S = 5.0
STALL_PATIENCE_S = 15.0


PRODUCER_CHECK_S = 30.0


def _log_leaderless_batches(app: faust.App) -> None:
    """Warn when the Kafka producer holds records for partitions it knows no leader of.

    Diagnostics for a hang seen once (docs/streaming.md): a worker's producer kept such
    records for minutes and every commit waited on them. aiokafka internals, hence defensive.
    """
    try:
        stuck, brokers, known = faust_patches.leaderless_batches(app)
        if stuck:
            log.warning(
                "producer: records waiting for %s with no known leader; brokers known: %s; "
                "partitions known: %s",
                ", ".join(stuck[:8]),
                brokers,
                known,
            )
    except Exception:  # noqa: BLE001 - diagnostics must never stop the worker
        log.debug("producer check failed", exc_info=True)


@dataclass
class Progress:
    """What the stall and gap checks know of the agents' work."""

    gaps: record_gaps.RecordGaps = field(default_factory=record_gaps.RecordGaps)  # every agent's skips
    last: float = field(default_factory=time.monotonic)
    busy: bool = False
    assignment: frozenset[Any] = frozenset()
    behind_since: float | None = None  # when the stall check first saw records after the committed offsets

    def touch(self) -> None:
        self.last = time.monotonic()


def _committed(app: faust.App, tp: Any) -> int | None:
    return faust_patches.committed_offset(app.consumer, tp)


def _commit_cap(app: faust.App, gaps: record_gaps.RecordGaps, tp: Any, offset: int | None) -> int | None:
    """Cap faust's next commit at a hole an agent has sought back over (see ``commit_cap``)."""
    return continuity.commit_cap(offset, hole=gaps.hole(tp), committed=_committed(app, tp))


async def _rewind_if_stalled(app: faust.App, progress: Progress, topics: set[str]) -> None:
    if getattr(app, "rebalancing", False) or getattr(app, "in_recovery", False):
        progress.touch()
        return
    consumer = app.consumer
    tps = frozenset(tp for tp in consumer.assignment() if tp.topic in topics)
    if tps != progress.assignment:  # a new assignment starts a new wait
        progress.assignment = tps
        progress.touch()
        return
    if not tps:
        return
    ends = await consumer.highwaters(*tps)
    committed = {tp: _committed(app, tp) for tp in tps}
    now = time.monotonic()
    if not continuity.stalled(idle_s=0.0, busy=False, committed=committed, ends=ends, patience_s=0.0):
        progress.behind_since = None  # caught up: a lag seen later is new work
        return
    if progress.behind_since is None:
        progress.behind_since = now
    behind = continuity.stalled(
        idle_s=now - progress.last,
        busy=progress.busy,
        committed=committed,
        ends=ends,
        patience_s=STALL_PATIENCE_S,
        behind_s=now - progress.behind_since,
    )
    if behind:
        progress.behind_since = None
        log.warning(
            "no progress for %.0f s with records left after the committed offsets of %s; "
            "rewinding to the committed offsets (faust dropped fetched records)",
            time.monotonic() - progress.last,
            ", ".join(sorted(f"{tp.topic}[{tp.partition}]" for tp in behind)),
        )
        progress.gaps.forget()
        progress.touch()
        await faust_patches.rewind_to_committed(consumer)


def _offsets(batch: Sequence[EventT]) -> str:
    """Where a batch came from, e.g. ``p0@12-27 p3@40-40``: for tracing a record through a restart."""
    spans: dict[int, list[int]] = {}
    for event in batch:
        spans.setdefault(event.message.partition, []).append(event.message.offset)
    return " ".join(f"p{p}@{min(o)}-{max(o)}" for p, o in sorted(spans.items()))


class CoderTimeout(Exception):
    """The coder did not finish an article in time (a pipeline bug, or a pathological article)."""

    stage = "timeout"


class DaemonThreadExecutor(Executor):
    """One daemon thread running submitted calls in order.

    A daemon, unlike ``ThreadPoolExecutor``'s threads, does not keep the process
    alive at exit when a call never returns, so an abandoned stuck call cannot
    prevent the worker from stopping.
    """

    def __init__(self, name: str = "wirewatch-nlp") -> None:
        self._calls: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]] | None] = (
            queue.SimpleQueue()
        )
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (call := self._calls.get()) is not None:
            future, fn, args = call
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn(*args))
                except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
                    future.set_exception(exc)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self._calls.put((future, (lambda *a: fn(*a, **kwargs)) if kwargs else fn, args))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._calls.put(None)


async def _in_thread(w: Wiring, fn: Callable[..., Any], *args: Any, timeout_s: float) -> Any:
    loop = asyncio.get_running_loop()
    try:
        return await asyncio.wait_for(loop.run_in_executor(w.executor, fn, *args), timeout_s)
    except TimeoutError:
        # A thread cannot be stopped: abandon it (a daemon) and code the rest on a fresh one.
        log.error(
            "the coder did not return within %.0f s; abandoning its thread (restart the worker "
            "to reclaim it) and going on",
            timeout_s,
        )
        if w.executor is not None:
            w.executor.shutdown(wait=False)
        w.executor = DaemonThreadExecutor()
        raise CoderTimeout(f"coding did not finish within {timeout_s:.0f} s") from None


async def _code(w: Wiring, good: list[tuple[RawArticle, EventT]]) -> list[Outcome | BaseException]:
    """Outcomes in input order; an article the pipeline fails on becomes its exception."""
    return await processing.code_isolated(w, good, in_thread=_in_thread)


def _version_of(message: dict[str, Any]) -> str:
    """A ledger message from a worker older than event sets: the version its events carry."""
    for cells in message.get("events", {}).values():
        for table, _, entry in cells:
            if table == tallies.EVENT and entry.get("coder_version"):
                return str(entry["coder_version"])
    from streams.core.pipeline import CODER_VERSION

    return CODER_VERSION


def run_worker(app: faust.App, *, loglevel: str = "warning") -> None:
    """Run ``app`` as a worker until SIGINT/SIGTERM, then exit the process with its status.

    faust's ``Worker`` installs the signal handlers that stop the app cleanly:
    the producer is flushed, offsets are committed and the group is left.
    """
    Path(app.conf.datadir).parent.mkdir(parents=True, exist_ok=True)  # faust creates only the last level
    faust.Worker(app, loglevel=loglevel, quiet=True).execute_from_commandline()
