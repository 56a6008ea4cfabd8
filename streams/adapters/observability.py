"""What a running worker tells its operator: ``/metrics`` (Prometheus) and a heartbeat log line.

``/metrics`` carries faust-streaming's own Prometheus sensor (``faust_*``: messages in and out,
commit and send latency, rebalances, table operations, web requests) and wirewatch's:

==================================================  =========================================
``wirewatch_articles_total``                        articles coded (``rate()`` = articles/s)
``wirewatch_events_total``                          diplomatic events emitted
``wirewatch_dead_letters_total{code,stage}``        dead letters by stable error code
``wirewatch_stage_seconds{stage}``                  per article: clean, gate, parse, extract, classify
``wirewatch_batch_size`` / ``wirewatch_batch_seconds``  histograms of the coder's batches
``wirewatch_consumer_lag{topic,partition}``         this worker's partitions: log end - committed
``wirewatch_table_keys{table}``                     keys in this worker's active table partitions
``wirewatch_last_batch_timestamp_seconds``          when the last batch was coded (0: none yet)
``wirewatch_coder_info{coder_version,model,version}``  1, labelled with what codes the events
==================================================  =========================================

Each partition is owned by one worker at a time, so ``sum by (topic, partition)`` over all
workers' scrapes gives the group's lag. Lag and table sizes are refreshed every
``REFRESH_S`` seconds by a timer; the heartbeat (``app.heartbeat_s``) is logged from it too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from streams import __version__
from streams.adapters.lag import worker_lag

log = logging.getLogger(__name__)
heartbeat_log = logging.getLogger("wirewatch.heartbeat")

REFRESH_S = 10.0
STAGES = ("clean", "gate", "parse", "extract", "classify")
STAGE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
BATCH_SECONDS_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


class WorkerMetrics:
    """wirewatch's own metrics of one worker app, in that app's registry (never the global one)."""

    def __init__(self, registry: CollectorRegistry, *, coder_version: str, model: str) -> None:
        self.registry = registry
        self.articles = Counter("wirewatch_articles", "Articles coded", registry=registry)
        self.events = Counter("wirewatch_events", "Diplomatic events emitted", registry=registry)
        self.dead_letters = Counter(
            "wirewatch_dead_letters", "Records sent to the dead-letter topic", ["code", "stage"],
            registry=registry,
        )  # fmt: skip
        self.stage_seconds = Histogram(
            "wirewatch_stage_seconds", "Coding time per article and stage (parse: its share of the batch)",
            ["stage"], buckets=STAGE_BUCKETS, registry=registry,
        )  # fmt: skip
        self.batch_size = Histogram(
            "wirewatch_batch_size", "Raw records per coding batch", buckets=BATCH_BUCKETS, registry=registry
        )
        self.batch_seconds = Histogram(
            "wirewatch_batch_seconds", "Time to decode, code and emit one batch",
            buckets=BATCH_SECONDS_BUCKETS, registry=registry,
        )  # fmt: skip
        self.lag = Gauge(
            "wirewatch_consumer_lag", "Records after this worker's committed offset (its partitions only)",
            ["topic", "partition"], registry=registry,
        )  # fmt: skip
        self.table_keys = Gauge(
            "wirewatch_table_keys", "Keys in this worker's active table partitions (RocksDB: its estimate)",
            ["table"], registry=registry,
        )  # fmt: skip
        self.last_batch = Gauge(
            "wirewatch_last_batch_timestamp_seconds", "Unix time the last batch was coded (0: none yet)",
            registry=registry,
        )  # fmt: skip
        info = Gauge(
            "wirewatch_coder_info", "The coder and model this worker codes with (always 1)",
            ["coder_version", "model", "version"], registry=registry,
        )  # fmt: skip
        info.labels(coder_version=coder_version, model=model, version=__version__).set(1)
        for stage in STAGES:  # every stage shows up from the first scrape, at zero
            self.stage_seconds.labels(stage=stage)
        self._lag_labels: set[tuple[str, str]] = set()

    # -- called by the agents ------------------------------------------------------------------------

    def batch(self, size: int, counts: Mapping[str, int], seconds: float) -> None:
        self.batch_size.observe(size)
        self.batch_seconds.observe(seconds)
        self.articles.inc(counts.get("articles", 0))
        self.events.inc(counts.get("events", 0))
        self.last_batch.set(time.time())

    def coded(self, timings: Mapping[str, float]) -> None:
        for stage, seconds in timings.items():
            self.stage_seconds.labels(stage=stage).observe(seconds)

    def dead_letter(self, code: str, stage: str) -> None:
        self.dead_letters.labels(code=code, stage=stage).inc()

    # -- refreshed by the timer ----------------------------------------------------------------------

    def set_lag(self, lag: Mapping[Any, int]) -> None:
        labels = {(tp.topic, str(tp.partition)): value for tp, value in lag.items()}
        for gone in self._lag_labels - set(labels):  # partitions that moved to another worker
            self.lag.remove(*gone)
        for (topic, partition), value in labels.items():
            self.lag.labels(topic=topic, partition=partition).set(value)
        self._lag_labels = set(labels)

    def set_table_sizes(self, sizes: Mapping[str, int]) -> None:
        for name, size in sizes.items():
            self.table_keys.labels(table=name).set(size)

    def totals(self) -> dict[str, float]:
        dead = sum(s.value for m in self.dead_letters.collect() for s in m.samples
                   if s.name.endswith("_total"))  # fmt: skip
        # prometheus_client's counters expose their value only to collect(); _value is the one read
        return {
            "articles": self.articles._value.get(),  # noqa: SLF001
            "events": self.events._value.get(),  # noqa: SLF001
            "dead": dead,
        }


def table_size(table: Any) -> int:
    """Keys in the active partitions of a faust table; RocksDB's own estimate there (len() scans)."""
    store = getattr(table, "data", None)
    dbs = getattr(store, "_dbs_for_actives", None)
    if callable(dbs) and getattr(store, "use_rocksdict", False):
        try:
            # each partition's DB also holds faust's offset key
            return sum(max(0, db.property_int_value("rocksdb.estimate-num-keys") - 1) for db in dbs())
        except Exception:  # noqa: BLE001 - fall back to counting
            log.debug("RocksDB size estimate failed", exc_info=True)
    return len(table)


@dataclass
class Heartbeat:
    """The one-line summary the worker logs every ``interval_s`` seconds."""

    interval_s: float
    last_at: float = field(default_factory=time.monotonic)
    last: dict[str, float] = field(default_factory=dict)

    def due(self, now: float) -> bool:
        return self.interval_s > 0 and now - self.last_at >= self.interval_s

    def line(self, totals: Mapping[str, float], lag: Mapping[Any, int], raw_topic: str,
             tables: Mapping[str, int], now: float) -> str:  # fmt: skip
        elapsed = max(now - self.last_at, 1e-9)
        delta = {k: totals[k] - self.last.get(k, 0.0) for k in totals}
        raw = [v for tp, v in lag.items() if tp.topic == raw_topic]
        self.last, self.last_at = dict(totals), now
        table_text = " ".join(f"{k}={v}" for k, v in sorted(tables.items()))
        return (
            f"heartbeat: {totals['articles']:.0f} articles (+{delta['articles']:.0f}, "
            f"{delta['articles'] / elapsed:.1f}/s), {totals['events']:.0f} events "
            f"(+{delta['events']:.0f}, {delta['events'] / elapsed:.1f}/s), "
            f"{totals['dead']:.0f} dead letters; raw lag {sum(raw)} over {len(raw)} partition(s), "
            f"all lag {sum(lag.values())}; tables {table_text}"
        )


def attach(app: Any, *, settings: Any, coder: Any, consumed: set[str]) -> WorkerMetrics:
    """Wire ``/metrics`` (faust's sensor + ``WorkerMetrics``) and the refresh/heartbeat timer to ``app``."""
    from faust.sensors.prometheus import setup_prometheus_sensors

    registry = CollectorRegistry()
    setup_prometheus_sensors(app, pattern="/metrics", registry=registry, name_prefix="faust")
    metrics = WorkerMetrics(registry, coder_version=_coder_version(coder), model=settings.nlp.model)
    heartbeat = Heartbeat(settings.app.heartbeat_s)

    interval = min(REFRESH_S, heartbeat.interval_s) if heartbeat.interval_s > 0 else REFRESH_S

    @app.timer(interval=interval)
    async def refresh_metrics() -> None:
        try:
            lag = await worker_lag(app, consumed)
        except Exception:  # noqa: BLE001 - metrics must never stop the worker
            log.debug("lag refresh failed", exc_info=True)
            lag = {}
        metrics.set_lag(lag)
        sizes = {}
        for table in list(app.tables.values()):  # every table, also those attached after the agents
            try:
                sizes[table.name] = table_size(table)
            except Exception:  # noqa: BLE001
                log.debug("size of table %s failed", table.name, exc_info=True)
        metrics.set_table_sizes(sizes)
        now = time.monotonic()
        if heartbeat.due(now):
            _heartbeat_logger().info(heartbeat.line(metrics.totals(), lag, settings.topics.raw, sizes, now))

    return metrics


def _heartbeat_logger() -> logging.Logger:
    """The heartbeat's own stderr handler: shown at every worker loglevel (faust's handler drops INFO
    below --loglevel info), once (not propagated)."""
    heartbeat_log.disabled = False  # faust's logging set-up may disable loggers made before it
    if not heartbeat_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s"))
        heartbeat_log.addHandler(handler)
        heartbeat_log.setLevel(logging.INFO)
        heartbeat_log.propagate = False
    return heartbeat_log


def _coder_version(coder: Any) -> str:
    version = getattr(coder, "version", None)
    if version:
        return str(version)
    try:
        from streams.core.pipeline import CODER_VERSION
    except ImportError:
        return "unknown"
    return str(CODER_VERSION)
