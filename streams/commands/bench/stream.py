"""``wirewatch bench stream``: end-to-end throughput, latency, lag and worker memory on a real broker.

One run = a fresh set of topics and a fresh app id (consumer group), K
``wirewatch worker`` processes configured through the environment, N articles
published (as fast as possible or paced), and a reader that follows the clean,
events and dead-letter topics until every article is accounted for.

Timing uses the broker's clock only: our topics are created with
``message.timestamp.type=LogAppendTime``, so the raw record's timestamp is when
the broker took the article and an output record's timestamp is when the
broker took the worker's result; latency is their difference.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streams.commands.bench.corpus import load_articles
from streams.commands.bench.measure import (
    descendants,
    machine_notes,
    percentile,
    proc_status_mb,
    progress,
    table,
    tree_rss_mb,
)
from streams.errors import BrokerError, WirewatchError

READY_TIMEOUT_S = 240.0  # model load + group join on a busy 2-core machine
QUIET_AFTER_DONE_S = 3.0  # after the last clean record: how long events may still trickle in
SAMPLE_EVERY_S = 1.0
STOP_TIMEOUT_S = 30.0
LOG_TAIL = 20


@dataclass
class Worker:
    index: int
    web_port: int
    log: Path
    proc: subprocess.Popen[bytes]
    peak_rss_mb: float = 0.0
    hwm_mb: float | None = None

    def tail(self) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-LOG_TAIL:])
        except OSError:
            return "(no log)"


@dataclass
class Tracker:
    """What the output reader has seen, keyed by article id; times are broker timestamps in ms."""

    expected: set[str]
    warmup: set[str] = field(default_factory=set)
    warm_done: set[str] = field(default_factory=set)
    published_ms: dict[str, int] = field(default_factory=dict)
    clean_ms: dict[str, int] = field(default_factory=dict)
    last_event_ms: dict[str, int] = field(default_factory=dict)
    dead_ms: dict[str, int] = field(default_factory=dict)
    events: int = 0
    unexpected: int = 0
    last_output_monotonic: float = 0.0
    timestamp_types: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def done(self) -> set[str]:
        return (set(self.clean_ms) | set(self.dead_ms)) & self.expected


def run(
    input_path: Path,
    *,
    limit: int | None,
    workers: int,
    rate: float | None,
    bootstrap: str | None,
    timeout_s: float,
    keep: bool,
    warmup: int = 4,
    baseline: bool = False,
) -> dict[str, Any]:
    from streams.settings import get_settings

    settings = get_settings()
    raws = load_articles(input_path, limit)
    ids = [r.id for r in raws]
    if len(set(ids)) != len(ids):
        raise WirewatchError("benchmark input has duplicate article ids; latency needs unique ids")
    base = _baseline(raws, settings.nlp.model, settings.nlp.batch_size) if baseline else None
    run_id = uuid.uuid4().hex[:10]
    tmp = Path(tempfile.mkdtemp(prefix=f"wirewatch-bench-{run_id}-"))
    partitions = max(workers, settings.topics.partitions)
    topics = {
        name: f"bench.{run_id}.{name}"
        for name in ("raw", "clean", "events", "event_sets", "canonical", "deadletter", "alerts")
    }
    app_id = f"wirewatch-bench-{run_id}"
    broker = None
    procs: list[Worker] = []
    stop = threading.Event()
    threads: list[threading.Thread] = []
    created_topics = False
    try:
        if bootstrap is None:
            from streams.adapters.broker import LocalBroker, free_port

            broker = LocalBroker(settings.broker, port=free_port(2), data_dir=tmp / "kafka")
            progress(broker.start())
            bootstrap = broker.bootstrap
        _create_topics(bootstrap, topics, partitions, settings.topics.replication_factor)
        created_topics = True

        env = _worker_env(bootstrap, topics, partitions, app_id)
        for i in range(workers):
            procs.append(_start_worker(i, env, tmp))
        progress(f"started {workers} worker(s): pids {[w.proc.pid for w in procs]}; waiting until ready")
        ready_s = _wait_ready(procs, bootstrap, app_id, workers)
        progress(f"workers ready after {ready_s:.1f} s")

        # Warm-up copies (fresh ids) pay each worker's first-call costs (lazy tables, first nlp.pipe)
        # before the clock starts; they are left out of every number.
        warm = [
            r.model_copy(update={"id": f"warmup-{i}-{run_id}"})
            for i, r in enumerate(raws[: warmup * workers])
        ]
        tracker = Tracker(expected=set(ids), warmup={r.id for r in warm})
        samples: list[dict[str, Any]] = []
        reader = threading.Thread(target=_read_outputs, args=(bootstrap, topics, tracker, stop), daemon=True)
        threads = [reader]
        reader.start()
        time.sleep(1.0)  # let the reader get its partitions before the first output can exist
        if warm:
            _publish(bootstrap, topics["raw"], warm, None, tracker)
            _wait_warm(tracker, procs, timeout_s=READY_TIMEOUT_S)
            progress(f"warm-up: {len(warm)} articles through the workers")
        t0 = time.monotonic()
        sampler = threading.Thread(
            target=_sample, args=(bootstrap, topics["raw"], app_id, procs, samples, stop, t0), daemon=True
        )
        threads.append(sampler)
        sampler.start()

        broker_pid = broker.status().pid if broker is not None else None
        cpu_start = _cpu_snapshot(procs, broker_pid)
        publish_s = _publish(bootstrap, topics["raw"], raws, rate, tracker)
        progress(f"published {len(raws)} articles in {publish_s:.2f} s")

        deadline = time.monotonic() + timeout_s
        last_report = 0.0
        while True:
            for w in procs:
                if w.proc.poll() is not None:
                    raise WirewatchError(f"worker {w.index} exited with {w.proc.returncode}:\n{w.tail()}")
            with tracker.lock:
                n_done = len(tracker.done())
                quiet = time.monotonic() - tracker.last_output_monotonic
            if n_done == len(ids) and quiet >= QUIET_AFTER_DONE_S:
                break
            if time.monotonic() > deadline:
                raise WirewatchError(
                    f"timed out after {timeout_s:.0f} s with {n_done}/{len(ids)} articles out; "
                    f"worker 0 log:\n{procs[0].tail()}"
                )
            if time.monotonic() - last_report > 10:
                last_report = time.monotonic()
                progress(f"{n_done}/{len(ids)} articles out, {tracker.events} events")
            time.sleep(0.2)
        for w in procs:
            w.hwm_mb = _tree_hwm_mb(w.proc.pid)
        cpu = _cpu_used(cpu_start, _cpu_snapshot(procs, broker_pid))
        stop.set()
        for t in threads:
            t.join(timeout=10)
        result = _result(raws, tracker, samples, procs, workers, partitions, rate, publish_s, ready_s, run_id)
        result["cpu_seconds"] = cpu
        # load-independent: how much coding one worker CPU-second buys (compare bare spaCy's art/s)
        result["articles_per_worker_cpu_s"] = (
            len(raws) / cpu["workers_total"] if cpu["workers_total"] else None
        )
        if base is not None:
            result["baseline_articles_per_s"] = base
            result["ratio_to_baseline"] = (
                result["articles_per_s"] / base if result["articles_per_s"] else None
            )
        return result
    finally:
        stop.set()
        for w in procs:
            _stop_worker(w)
        if created_topics and broker is None and bootstrap is not None:
            _delete_topics(bootstrap, list(topics.values()), app_id)
        if broker is not None:
            with contextlib.suppress(BrokerError):
                progress(broker.stop())
        if keep:
            progress(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _baseline(raws: list, model: str, batch_size: int) -> float:
    """Bare ``nlp.pipe`` articles/s over the same articles, in this process, before anything else
    starts: the floor the stream is compared with under the same machine load."""
    import gc

    from streams.commands.bench.corpus import article_text
    from streams.commands.bench.pipeline import load_baseline_nlp

    nlp = load_baseline_nlp(model)
    texts = [article_text(r) for r in raws]
    for _ in nlp.pipe(texts[:8], batch_size=batch_size):
        pass
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    rate = len(texts) / (time.perf_counter() - start)
    del nlp
    gc.collect()
    progress(f"bare spaCy baseline: {rate:.2f} articles/s")
    return rate


# -- setup -----------------------------------------------------------------------------------------------


def _create_topics(bootstrap: str, topics: dict[str, str], partitions: int, replication: int) -> None:
    from streams.adapters import topic_admin
    from streams.settings import KafkaSettings

    kafka = KafkaSettings(bootstrap_servers=bootstrap, client_id="wirewatch-bench")
    wanted = topic_admin.specs(
        topics.values(),
        partitions=partitions,
        replication_factor=replication,
        configs={"message.timestamp.type": "LogAppendTime"},
    )
    topic_admin.ensure_topics(kafka, wanted)


def _delete_topics(bootstrap: str, names: list[str], app_id: str) -> None:
    """Our topics and the app's internal ones (changelogs, repartition topics: named after the app id)."""
    from kafka.admin import KafkaAdminClient

    with contextlib.suppress(Exception):  # best effort: unique names never collide anyway
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="wirewatch-bench")
        try:
            internal = [t for t in admin.list_topics() if t.startswith(app_id)]
            admin.delete_topics(names + internal, raise_errors=False)
        finally:
            admin.close()


def _worker_env(bootstrap: str, topics: dict[str, str], partitions: int, app_id: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "WIREWATCH_KAFKA__BOOTSTRAP_SERVERS": bootstrap,
            "WIREWATCH_TOPICS__PARTITIONS": str(partitions),
            "WIREWATCH_APP__ID": app_id,
            "WIREWATCH_APP__STORE": "memory://",
            "PYTHONUNBUFFERED": "1",
        }
    )
    for name, topic in topics.items():
        env[f"WIREWATCH_TOPICS__{name.upper()}"] = topic
    return env


def _start_worker(index: int, env: dict[str, str], tmp: Path) -> Worker:
    from streams.adapters.broker import free_port

    port = free_port(1)
    data_dir = tmp / f"worker-{index}"
    data_dir.mkdir(parents=True, exist_ok=True)
    log = tmp / f"worker-{index}.log"
    wenv = dict(env, WIREWATCH_APP__DATA_DIR=str(data_dir), WIREWATCH_WEB__PORT=str(port))
    cmd = [sys.executable, "-m", "streams.cli", "worker", "--web-port", str(port)]
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            cmd,
            env=wenv,
            stdout=fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return Worker(index, port, log, proc)


def _wait_ready(procs: list[Worker], bootstrap: str, app_id: str, workers: int) -> float:
    """Every worker answers /healthz and the group is stable with every worker in it."""
    start = time.monotonic()
    deadline = start + READY_TIMEOUT_S
    pending = set(range(len(procs)))
    while pending:
        for w in procs:
            if w.proc.poll() is not None:
                raise WirewatchError(
                    f"worker {w.index} exited with {w.proc.returncode} during start-up:\n{w.tail()}"
                )
        for i in list(pending):
            if _healthy(procs[i].web_port):
                pending.discard(i)
        if time.monotonic() > deadline:
            raise WirewatchError(
                f"workers {sorted(pending)} not healthy after {READY_TIMEOUT_S:.0f} s:\n{procs[0].tail()}"
            )
        time.sleep(0.5)
    while not _group_stable(bootstrap, app_id, workers):
        if time.monotonic() > deadline:
            raise WirewatchError(
                f"consumer group {app_id} not stable with {workers} members after {READY_TIMEOUT_S:.0f} s"
            )
        time.sleep(0.5)
    return time.monotonic() - start


def _wait_warm(tracker: Tracker, procs: list[Worker], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        for w in procs:
            if w.proc.poll() is not None:
                raise WirewatchError(
                    f"worker {w.index} exited with {w.proc.returncode} during warm-up:\n{w.tail()}"
                )
        with tracker.lock:
            done = tracker.warm_done >= tracker.warmup
            quiet = time.monotonic() - tracker.last_output_monotonic
        if done and quiet >= QUIET_AFTER_DONE_S:
            return
        if time.monotonic() > deadline:
            raise WirewatchError(f"warm-up articles not through after {timeout_s:.0f} s:\n{procs[0].tail()}")
        time.sleep(0.2)


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


def _group_stable(bootstrap: str, group: str, members: int) -> bool:
    from kafka.admin import KafkaAdminClient

    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="wirewatch-bench")
    except Exception:  # noqa: BLE001 - the broker may be busy; retry
        return False
    try:
        info = admin.describe_groups([group]).get(group) or {}
        return _group_state(info) == "Stable" and len(info.get("members") or []) >= members
    except Exception:  # noqa: BLE001
        return False
    finally:
        admin.close()


def _group_state(info: dict[str, Any]) -> str | None:
    state = info.get("group_state", info.get("state"))
    return state.decode() if isinstance(state, bytes) else state


# -- measuring -------------------------------------------------------------------------------------------


def _publish(bootstrap: str, topic: str, raws: list, rate: float | None, tracker: Tracker) -> float:
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=bootstrap, linger_ms=5 if rate is None else 0, acks=1)

    def stamp(aid: str):
        def cb(md: Any) -> None:
            with tracker.lock:
                tracker.published_ms[aid] = md.timestamp

        return cb

    start = time.monotonic()
    try:
        for i, raw in enumerate(raws):
            if rate is not None:
                delay = start + i / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            value = raw.model_dump_json().encode()
            producer.send(topic, key=raw.id.encode(), value=value).add_callback(stamp(raw.id))
        producer.flush()
    finally:
        producer.close()
    return time.monotonic() - start


def _read_outputs(bootstrap: str, topics: dict[str, str], tracker: Tracker, stop: threading.Event) -> None:
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, client_id="wirewatch-bench-reader"
    )
    try:
        tps = [
            TopicPartition(topics[name], p)
            for name in ("clean", "events", "deadletter")
            for p in (consumer.partitions_for_topic(topics[name]) or [])
        ]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        while not stop.is_set():
            for tp, records in consumer.poll(timeout_ms=200).items():
                for rec in records:
                    _note(tracker, tp.topic, rec, topics)
    finally:
        consumer.close()


def _note(tracker: Tracker, topic: str, rec: Any, topics: dict[str, str]) -> None:
    try:
        value = json.loads(rec.value)
    except (TypeError, ValueError):
        value = {}
    with tracker.lock:
        tracker.timestamp_types.add(rec.timestamp_type)
        tracker.last_output_monotonic = time.monotonic()
        if topic == topics["clean"]:
            aid = value.get("article_id")
            if aid in tracker.expected:
                tracker.clean_ms.setdefault(aid, rec.timestamp)
            elif aid in tracker.warmup:
                tracker.warm_done.add(aid)
            else:
                tracker.unexpected += 1
        elif topic == topics["events"]:
            aid = value.get("article_id")
            if aid in tracker.expected:
                tracker.events += 1
                tracker.last_event_ms[aid] = max(tracker.last_event_ms.get(aid, 0), rec.timestamp)
        else:
            key = value.get("original_key_b64")
            aid = base64.b64decode(key).decode(errors="replace") if key else None
            if aid in tracker.expected:
                tracker.dead_ms.setdefault(aid, rec.timestamp)
            else:
                tracker.unexpected += 1


def _sample(
    bootstrap: str,
    raw_topic: str,
    group: str,
    procs: list[Worker],
    samples: list[dict[str, Any]],
    stop: threading.Event,
    t0: float,
) -> None:
    """Every ~1 s: the group's lag on the raw topic (end offsets minus committed) and each worker's RSS."""
    from kafka import KafkaConsumer, TopicPartition
    from kafka.admin import KafkaAdminClient

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id="wirewatch-bench-lag")
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="wirewatch-bench-lag")
    try:
        tps = [TopicPartition(raw_topic, p) for p in sorted(consumer.partitions_for_topic(raw_topic) or [])]
        while not stop.is_set():
            tick = time.monotonic()
            lag: int | None
            try:
                ends = consumer.end_offsets(tps)
                committed = admin.list_group_offsets({group: tps}).get(group, {})
                lag = sum(ends[tp] - max(0, committed[tp].offset if tp in committed else 0) for tp in tps)
            except Exception:  # noqa: BLE001 - a missed sample is not worth stopping the run
                lag = None
            rss = [tree_rss_mb(w.proc.pid) for w in procs]
            for w, r in zip(procs, rss, strict=True):
                if r is not None:
                    w.peak_rss_mb = max(w.peak_rss_mb, r)
            samples.append(
                {"t_s": round(tick - t0, 2), "lag": lag, "worker_rss_mb": [round(r or 0, 1) for r in rss]}
            )
            stop.wait(max(0.0, SAMPLE_EVERY_S - (time.monotonic() - tick)))
    finally:
        consumer.close()
        admin.close()


def _proc_cpu_s(pid: int, *, tree: bool = True) -> float:
    """User + system CPU seconds of a process (and its live descendants) from /proc/PID/stat."""
    total = 0
    for p in descendants(pid) if tree else [pid]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / os.sysconf("SC_CLK_TCK")


def _machine_cpu_s() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / tick, sum(values) / tick


def _cpu_snapshot(procs: list[Worker], broker_pid: int | None) -> dict[str, Any]:
    return {
        "at": time.monotonic(),
        "workers": [_proc_cpu_s(w.proc.pid) for w in procs],
        "broker": _proc_cpu_s(broker_pid) if broker_pid else None,
        "bench": _proc_cpu_s(os.getpid(), tree=False),  # the workers and broker are our children
        "machine": _machine_cpu_s(),
    }


def _cpu_used(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Where the cores went during the measured window: ours vs everything else on the machine."""
    wall = b["at"] - a["at"]
    workers = [y - x for x, y in zip(a["workers"], b["workers"], strict=True)]
    broker = b["broker"] - a["broker"] if a["broker"] is not None and b["broker"] is not None else None
    bench = b["bench"] - a["bench"]
    busy = b["machine"][0] - a["machine"][0]
    capacity = b["machine"][1] - a["machine"][1]
    ours = sum(workers) + (broker or 0.0) + bench
    return {
        "window_s": round(wall, 2),
        "workers_total": round(sum(workers), 1),
        "workers": [round(x, 1) for x in workers],
        "broker": None if broker is None else round(broker, 1),
        "bench": round(bench, 1),
        "machine_busy": round(busy, 1),
        "machine_capacity": round(capacity, 1),
        "others": round(max(0.0, busy - ours), 1),
    }


def _tree_hwm_mb(pid: int) -> float | None:
    """The kernel's own peak RSS (VmHWM) of the worker process: catches spikes between samples."""
    return proc_status_mb(pid, "VmHWM")


def _stop_worker(w: Worker) -> None:
    if w.proc.poll() is not None:
        return
    for sig, wait_s in ((signal.SIGTERM, STOP_TIMEOUT_S), (signal.SIGKILL, 10.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(w.proc.pid, sig)
        try:
            w.proc.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


# -- report ----------------------------------------------------------------------------------------------


def _result(
    raws: list,
    tracker: Tracker,
    samples: list[dict[str, Any]],
    procs: list[Worker],
    workers: int,
    partitions: int,
    rate: float | None,
    publish_s: float,
    ready_s: float,
    run_id: str,
) -> dict[str, Any]:
    n = len(raws)
    pub = {k: v for k, v in tracker.published_ms.items() if k in tracker.expected}
    lat_clean, lat_done, done_at = [], [], []
    for aid in tracker.expected:
        if aid not in pub:
            continue
        out = tracker.clean_ms.get(aid) or tracker.dead_ms.get(aid)
        if out is None:
            continue
        finished = max(out, tracker.last_event_ms.get(aid, out))
        lat_clean.append(out - pub[aid])
        lat_done.append(finished - pub[aid])
        done_at.append(finished)
    by_length = _latency_by_length(raws, tracker, pub)
    span_s = (max(done_at) - min(pub.values())) / 1000.0 if done_at and pub else float("nan")
    words = sum(len(f"{r.title}\n\n{r.body}".split()) for r in raws)
    lags = [s["lag"] for s in samples if s["lag"] is not None]
    peak_rss = [w.hwm_mb if w.hwm_mb is not None else w.peak_rss_mb for w in procs]
    return {
        "benchmark": "stream",
        "run_id": run_id,
        "n": n,
        "words": words,
        "workers": workers,
        "partitions": partitions,
        "rate_target": rate,
        "warmup_articles": len(tracker.warmup),
        "publish_seconds": publish_s,
        "ready_seconds": ready_s,
        "span_seconds": span_s,
        "articles_per_s": n / span_s if span_s else None,
        "words_per_s": words / span_s if span_s else None,
        "latency_p50_ms": percentile(lat_done, 50),
        "latency_p95_ms": percentile(lat_done, 95),
        "latency_p99_ms": percentile(lat_done, 99),
        "latency_max_ms": max(lat_done) if lat_done else None,
        "clean_latency_p50_ms": percentile(lat_clean, 50),
        "clean_latency_p99_ms": percentile(lat_clean, 99),
        "latency_by_length": by_length,
        "events": tracker.events,
        "dead_letters": len(tracker.dead_ms),
        "unexpected_records": tracker.unexpected,
        "timestamp_types": sorted(tracker.timestamp_types),
        "max_lag": max(lags) if lags else None,
        "lag_samples": [[s["t_s"], s["lag"]] for s in samples],
        # VmRSS per worker over the run: a plateau is a working set, a steady climb a leak
        "rss_samples_mb": [[s["t_s"], s["worker_rss_mb"]] for s in samples[:: max(1, len(samples) // 60)]],
        "worker_rss_mb": max(peak_rss) if peak_rss else None,
        "worker_rss_each_mb": peak_rss,
        "worker_rss_sampled_peak_mb": [w.peak_rss_mb for w in procs],
        "machine": machine_notes(),
    }


# Article lengths (title + body words) for the latency table: briefs, reports, long stories.
LENGTH_BANDS = ((0, 300), (300, 800), (800, 1500), (1500, None))


def _latency_by_length(raws: list, tracker: Tracker, pub: dict[str, int]) -> list[dict[str, Any]]:
    """Latency percentiles (publish → last output, ms) per band of article length."""
    bands: list[dict[str, Any]] = []
    for lo, hi in LENGTH_BANDS:
        lat = []
        for r in raws:
            n = len(f"{r.title}\n\n{r.body}".split())
            if n < lo or (hi is not None and n >= hi) or r.id not in pub:
                continue
            out = tracker.clean_ms.get(r.id) or tracker.dead_ms.get(r.id)
            if out is not None:
                lat.append(max(out, tracker.last_event_ms.get(r.id, out)) - pub[r.id])
        bands.append({
            "words": f"{lo}-{hi - 1}" if hi is not None else f"{lo}+",
            "n": len(lat),
            "p50_ms": percentile(lat, 50),
            "p95_ms": percentile(lat, 95),
            "p99_ms": percentile(lat, 99),
            "max_ms": max(lat) if lat else None,
        })  # fmt: skip
    return bands


def render(result: dict[str, Any]) -> str:
    r = result
    rows = [
        ["workers / partitions", f"{r['workers']} / {r['partitions']}"],
        ["articles / words", f"{r['n']} / {r['words']:,}"],
        ["publish rate target", "max" if r["rate_target"] is None else f"{r['rate_target']:g}/s"],
        ["published in", f"{r['publish_seconds']:.2f} s"],
        ["first publish → last output", f"{r['span_seconds']:.2f} s"],
        ["end-to-end articles/s", f"{r['articles_per_s']:.2f}"],
        ["end-to-end words/s", f"{r['words_per_s']:,.0f}"],
        [
            "latency p50 / p95 / p99 / max",
            _ms(r, "latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "latency_max_ms"),
        ],
        ["latency to clean p50 / p99", _ms(r, "clean_latency_p50_ms", "clean_latency_p99_ms")],
        ["events / dead letters", f"{r['events']} / {r['dead_letters']}"],
        ["max consumer lag", str(r["max_lag"])],
        [
            "worker peak RSS (VmHWM)",
            ", ".join(f"{x:.0f} MiB" for x in r["worker_rss_each_mb"] if x is not None),
        ],
        [
            "bare spaCy (same process, before)",
            "-"
            if r.get("baseline_articles_per_s") is None
            else f"{r['baseline_articles_per_s']:.2f} articles/s; stream/bare {r['ratio_to_baseline']:.2f}",
        ],
        ["CPU s in window: workers / broker / bench / others", _cpu_line(r.get("cpu_seconds"))],
        ["articles per worker CPU-second", _num(r.get("articles_per_worker_cpu_s"))],
        ["worker start-up (ready)", f"{r['ready_seconds']:.1f} s"],
        ["load average at end", str(r["machine"]["loadavg_1_5_15"])],
    ]
    lag = r["lag_samples"]
    step = max(1, len(lag) // 20)
    lag_line = " ".join(f"{t:.0f}s:{v}" for t, v in lag[::step])
    rss = r["rss_samples_mb"]
    rss_step = max(1, len(rss) // 12)
    rss_line = " ".join(f"{t:.0f}s:{'/'.join(f'{x:.0f}' for x in v)}" for t, v in rss[::rss_step])
    keys = ("p50_ms", "p95_ms", "p99_ms", "max_ms")
    bands = [
        [b["words"], b["n"], *(None if b[k] is None else b[k] / 1000.0 for k in keys)]
        for b in r.get("latency_by_length", [])
    ]
    return "\n".join(
        [
            table(rows, ["measure", "value"]),
            "",
            "latency (s) by article length (title + body words):",
            table(bands, ["words", "articles", "p50", "p95", "p99", "max"]),
            "",
            f"consumer lag over time (every ~1 s, thinned): {lag_line}",
            f"worker VmRSS MiB over time (thinned): {rss_line}",
        ]
    )


def _cpu_line(cpu: dict[str, Any] | None) -> str:
    if not cpu:
        return "-"
    workers = "+".join(f"{x:.0f}" for x in cpu["workers"])
    broker = "-" if cpu["broker"] is None else f"{cpu['broker']:.0f}"
    return (
        f"{workers} / {broker} / {cpu['bench']:.0f} / {cpu['others']:.0f} "
        f"(of {cpu['machine_capacity']:.0f} core-s in {cpu['window_s']:.0f} s)"
    )


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _ms(r: dict[str, Any], *keys: str) -> str:
    return " / ".join("-" if r[k] is None else f"{r[k]:.0f} ms" for k in keys)
