"""Helpers for the streaming integration tests: a worker subprocess, topics, polling.

Every test gets its own topic names and app id (the consumer group and the
internal topics derive from it), so tests never see each other's records. The
worker runs as a real subprocess (``python -m streams.cli worker``) configured
only through ``WIREWATCH_*`` variables, as a user would run it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition

from schemas import RawArticle
from streams.adapters import topic_admin
from streams.adapters.broker import free_port
from streams.settings import KafkaSettings

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "tests" / "data" / "seed" / "wire-russia-china.txt"
SAMPLE = REPO / "streams" / "sample" / "sample-wire.jsonl"


@dataclass
class StreamEnv:
    """One test's topic names, app id and broker."""

    bootstrap: str
    tmp: Path
    partitions: int = 2
    app_id: str = field(default_factory=lambda: f"wwtest-app-{uuid.uuid4().hex[:10]}")

    def __post_init__(self) -> None:
        tag = uuid.uuid4().hex[:10]
        self.topics = {
            role: f"wwtest.{role}.{tag}"
            for role in ("raw", "clean", "events", "event_sets", "canonical", "deadletter", "alerts")
        }

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("WIREWATCH_")}
        env.update(
            {
                "WIREWATCH_KAFKA__BOOTSTRAP_SERVERS": self.bootstrap,
                "WIREWATCH_APP__ID": self.app_id,
                "WIREWATCH_APP__DATA_DIR": str(self.tmp / "faust"),
                "WIREWATCH_TOPICS__PARTITIONS": str(self.partitions),
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update({f"WIREWATCH_TOPICS__{role.upper()}": name for role, name in self.topics.items()})
        env.update(extra)
        return env

    def create_topics(self) -> None:
        topic_admin.ensure_topics(
            KafkaSettings(bootstrap_servers=self.bootstrap),
            topic_admin.role_specs(self.topics, partitions=self.partitions),
        )


class Worker:
    """``python -m streams.cli worker`` as a subprocess, its log in a file."""

    def __init__(
        self,
        env: StreamEnv,
        *,
        name: str = "worker",
        port: int | None = None,
        extra_env: dict[str, str] | None = None,
        args: list[str] | None = None,
    ) -> None:
        self.env = env
        self.args = args or []
        self.port = port or free_port(1)
        self.log_path = env.tmp / f"{name}-{self.port}.log"
        self.extra_env = extra_env or {}
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Worker:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streams.cli",
                "worker",
                "--web-port",
                str(self.port),
                "--loglevel",
                "info",
                *self.args,
            ],
            cwd=self.env.tmp,
            env=self.env.env(**self.extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return self

    def wait_healthy(self, timeout_s: float = 120.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited with {self.proc.returncode}:\n{self.log_tail()}")
            status, body = http_get(f"{self.url}/healthz")
            if status == 200:
                return body
            time.sleep(0.5)
        raise AssertionError(f"worker not healthy after {timeout_s}s:\n{self.log_tail()}")

    def running(self) -> bool:
        """True while the worker runs; a worker that exited fails the test at once, with its log
        (a poll on its progress would otherwise wait out its whole timeout)."""
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise AssertionError(f"worker exited with {self.proc.returncode}:\n{self.log_tail()}")
        return True

    def kill(self, sig: int = signal.SIGKILL) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)
        self.proc.wait(timeout=60)

    def dump_stacks(self) -> None:
        """SIGUSR1: faust's worker writes every task's stack to its log."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGUSR1)
            time.sleep(2)

    def stop(self) -> int | None:
        """SIGTERM, as a supervisor would; returns the exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=30)
            raise AssertionError(f"worker did not stop on SIGTERM within 60 s:\n{self.log_tail()}") from None

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def http_get(url: str, timeout_s: float = 10.0) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        body = exc.read()
        try:
            return exc.code, json.loads(body or b"null")
        except json.JSONDecodeError:
            return exc.code, body.decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
        return 0, None


def poll(check: Callable[[], Any], *, timeout_s: float, every_s: float = 1.0, what: str = "condition") -> Any:
    """Call ``check`` until it returns something truthy; fail with the last value after the deadline."""
    deadline = time.monotonic() + timeout_s
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every_s)
    raise AssertionError(f"{what} not reached within {timeout_s}s; last: {str(last)[:2000]}")


def publish(bootstrap: str, topic: str, records: Iterable[tuple[bytes | None, bytes]]) -> int:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    count = 0
    try:
        for key, value in records:
            producer.send(topic, key=key, value=value)
            count += 1
        producer.flush(timeout=60)
    finally:
        producer.close()
    return count


def encode(raw: RawArticle) -> tuple[bytes, bytes]:
    return raw.id.encode(), raw.model_dump_json().encode()


class MetadataStuck(Exception):
    """kafka-python's metadata fetch did not answer within its bound."""


def partitions_of(consumer: KafkaConsumer, topic: str, timeout_s: float = 20.0) -> set[int]:
    """``consumer.partitions_for_topic`` with a bound. kafka-python 3.0 waits for a metadata
    update without a timeout (``_fetch_all_topic_metadata`` → ``wait_for(future, None)``) and was
    seen waiting forever while a killed worker's group rebalanced; bounded, a stuck lookup makes
    one poll round fail (the caller drops that client) instead of hanging the whole run."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = consumer.partitions_for_topic(topic)
        except Exception as exc:  # noqa: BLE001 -- any failure is re-raised in the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, name="partitions-of", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise MetadataStuck(f"no metadata for {topic} within {timeout_s}s")
    if "error" in box:
        raise box["error"]
    return box.get("value") or set()


class TopicReader:
    """Reads a topic from the beginning, incrementally, across calls (no consumer group)."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.consumer = KafkaConsumer(
            bootstrap_servers=bootstrap,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            consumer_timeout_ms=1000,
        )
        self.topic = topic
        self.records: list[Any] = []
        self._assigned = False

    def _assign(self) -> bool:
        try:
            partitions = partitions_of(self.consumer, self.topic)
        except MetadataStuck:
            # the stuck client is abandoned (closing it would wait on the same fetch); a new one
            # is asked on the next read
            self.consumer = KafkaConsumer(
                bootstrap_servers=self.consumer.config["bootstrap_servers"],
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                consumer_timeout_ms=1000,
            )
            return False
        if not partitions:
            return False
        tps = [TopicPartition(self.topic, p) for p in sorted(partitions)]
        self.consumer.assign(tps)
        self.consumer.seek_to_beginning(*tps)
        self._assigned = True
        return True

    def read(self) -> list[Any]:
        """Everything that arrived since the last call (also kept in ``records``)."""
        if not self._assigned and not self._assign():
            return []
        new = []
        for _ in range(50):
            batch = self.consumer.poll(timeout_ms=500, max_records=1000)
            chunk = [record for records in batch.values() for record in records]
            if not chunk:
                break
            new.extend(chunk)
        self.records.extend(new)
        return new

    def close(self) -> None:
        self.consumer.close()


def group_offsets(bootstrap: str, group: str) -> dict[TopicPartition, int]:
    """Every offset ``group`` has committed."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        committed = admin.list_group_offsets({group: None}).get(group, {})
    finally:
        admin.close()
    return {tp: meta.offset for tp, meta in committed.items()}


def group_caught_up(bootstrap: str, group: str, topics: list[str]) -> bool:
    """True when the group has committed offsets at the end of every partition of ``topics``."""
    committed = group_offsets(bootstrap, group)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        tps = [TopicPartition(t, p) for t in topics for p in sorted(partitions_of(consumer, t))]
    except MetadataStuck:
        return False  # not known to be caught up; the stuck client is abandoned, the next round asks anew
    try:
        if not tps:
            return False
        ends = consumer.end_offsets(tps)
        return all(end == 0 or (tp in committed and committed[tp] >= end) for tp, end in ends.items())
    finally:
        consumer.close()


def missing_report(bootstrap: str, env: StreamEnv, events: Iterable[Any], seen: set[str]) -> str:
    """Which articles' events are missing, where those articles sit on the raw topic, what the group
    committed: enough to tell a record never consumed from one whose output was lost."""
    by_article: dict[str, set[str]] = {}
    for event in events:
        if event.event_id not in seen:
            by_article.setdefault(event.article_id, set()).add(event.event_id)
    raw = TopicReader(bootstrap, env.topics["raw"])
    clean = TopicReader(bootstrap, env.topics["clean"])
    try:
        raw.read()
        clean.read()
        where = {record.key.decode(): (record.partition, record.offset) for record in raw.records}
        cleaned = {record.key.decode() for record in clean.records}
    finally:
        raw.close()
        clean.close()
    committed = {
        tp.partition: offset
        for tp, offset in group_offsets(bootstrap, env.app_id).items()
        if tp.topic == env.topics["raw"]
    }
    lines = [f"{len(by_article)} articles with missing events; committed on raw: {committed}"]
    for article, ids in sorted(by_article.items(), key=lambda item: where.get(item[0], (-1, -1))):
        lines.append(
            f"  {article} raw p{where.get(article)} missing {len(ids)} events, "
            f"{'has' if article in cleaned else 'NO'} clean record"
        )
    return "\n".join(lines[:60])


def pipeline_topics(env: StreamEnv) -> list[str]:
    """Every topic the worker's own agents consume: raw input and the two internal hops."""
    return [env.topics["raw"], f"{env.app_id}-ledger", f"{env.app_id}-tally"]


def expected_dyads(events: Iterable[Any]) -> dict[tuple[str, str], dict[str, set[str]]]:
    """(source, target) → day → event ids, as the dyad table must hold them."""
    from streams.adapters import tallies

    out: dict[tuple[str, str], dict[str, set[str]]] = {}
    for event in events:
        for table, key, _ in tallies.table_entries(event):
            if table == tallies.DYAD:
                source, target, day = key.split("|")
                out.setdefault((source, target), {}).setdefault(day, set()).add(event.event_id)
    return out


def _windows(days: Iterable[str], span: int = 366) -> list[tuple[str, str]]:
    """Date windows of at most ``span`` days covering ``days`` (the view's range limit)."""
    from datetime import date as _date

    out: list[tuple[str, str]] = []
    for day in sorted(days):
        if out and (_date.fromisoformat(day) - _date.fromisoformat(out[-1][0])).days < span:
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


def dyads_over_http(base_url: str, expected: dict[tuple[str, str], dict[str, set[str]]]) -> dict:
    """The same shape as ``expected``, read from ``/dyads`` (one request per dyad and year), plus checks."""
    got: dict[tuple[str, str], dict[str, set[str]]] = {}
    for (source, target), days in expected.items():
        for start, end in _windows(days):
            status, body = http_get(f"{base_url}/dyads/{source}/{target}?from={start}&to={end}&ids=1")
            if status != 200:
                return {"error": (status, body)}
            for point in body["days"]:
                count = point["events"]
                if count != len(point["event_ids"]) or count != sum(point["by_root"].values()):
                    return {"error": ("inconsistent day", point)}
                if point["events"]:
                    got.setdefault((source, target), {})[point["date"]] = set(point["event_ids"])
    return got


def poll_tables(base_url: str, expected: dict, timeout_s: float = 60.0) -> dict:
    """The dyad tables over HTTP once they equal ``expected``, or as they are at the deadline."""
    deadline = time.monotonic() + timeout_s
    while True:
        got = dyads_over_http(base_url, expected)
        if got == expected or time.monotonic() > deadline:
            return got
        time.sleep(1.0)


def table_diff(expected: dict, got: dict) -> str:
    """A short account of how two dyad tables differ (for failure messages)."""
    if "error" in got:
        return f"error: {got['error']}"
    lines = []
    for dyad in sorted(set(expected) | set(got)):
        for day in sorted(set(expected.get(dyad, {})) | set(got.get(dyad, {}))):
            want, have = expected.get(dyad, {}).get(day, set()), got.get(dyad, {}).get(day, set())
            if want != have:
                lines.append(
                    f"{dyad} {day}: expected {len(want)}, got {len(have)}; "
                    f"missing {sorted(want - have)[:3]}, extra {sorted(have - want)[:3]}"
                )
    return "\n".join(lines[:20]) or "no difference"


def event_ids(reader: TopicReader) -> set[str]:
    reader.read()
    return {record.key.decode() for record in reader.records}


def seed_article(article_id: str = "seed-wire-russia-china") -> RawArticle:
    text = SEED.read_text(encoding="utf-8")
    return RawArticle(
        id=article_id,
        source="Al Jazeera",
        title=text.splitlines()[0],
        body=text,
        published_at=datetime(2022, 9, 20, tzinfo=UTC),
    )


def sample_articles() -> list[RawArticle]:
    return [
        RawArticle.model_validate_json(line)
        for line in SAMPLE.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def generated_articles(count: int, prefix: str) -> list[RawArticle]:
    """``count`` distinct articles: the seed and the sample wire, with new ids and shifted dates."""
    bases = [seed_article(), *sample_articles()]
    out = []
    for n in range(count):
        base = bases[n % len(bases)]
        shift = timedelta(days=n // len(bases))
        published = (base.published_at or datetime(2022, 9, 20, tzinfo=UTC)) + shift
        out.append(base.model_copy(update={"id": f"{prefix}-{n:04d}-{base.id}", "published_at": published}))
    return out
