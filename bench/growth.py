"""How the worker's state grows: changelog bytes per 1,000 articles and the worker's RSS over a run.

A measurement, not a test (bench/README.md, "State growth"). It starts a throw-away local
broker (free port, temporary data dir, so the topic directories can be measured on disk),
one `wirewatch worker` subprocess run from ``--repo`` (default: this checkout; point it at an
older checkout to compare), publishes ``--articles`` articles made from the bundled sample
wire (new ids, dates shifted by a day every six articles, as the integration tests make
them) or read from ``--input`` (JSONL of RawArticle), waits until every one is coded and the
group has caught up, and prints the bytes on disk of each internal topic, per 1,000
articles, with the worker's RSS sampled every 2 s. The last line is one JSON object.

    .venv/bin/python bench/growth.py --articles 600
    .venv/bin/python bench/growth.py --articles 600 --repo /path/to/older/checkout
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition  # noqa: E402

from schemas import RawArticle  # noqa: E402
from streams.adapters import topic_admin  # noqa: E402
from streams.adapters.broker import LocalBroker, free_port  # noqa: E402
from streams.settings import BrokerSettings, KafkaSettings  # noqa: E402

SAMPLE = REPO / "streams" / "sample" / "sample-wire.jsonl"
ROLES = ("raw", "clean", "events", "canonical", "deadletter", "alerts", "event_sets")


def articles(n: int, path: Path | None) -> list[RawArticle]:
    source = path or SAMPLE
    bases = [
        RawArticle.model_validate_json(line)
        for line in source.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    out = []
    for i in range(n):
        base = bases[i % len(bases)]
        published = (base.published_at or datetime(2022, 9, 20, tzinfo=UTC)) + timedelta(days=i // len(bases))
        out.append(
            base.model_copy(update={"id": f"growth-{i:05d}-{base.id}"[:500], "published_at": published})
        )
    return out


def rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def topic_bytes(log_dir: Path, prefix: str) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for part in log_dir.iterdir():
        if not part.is_dir() or not part.name.startswith(prefix):
            continue
        topic = part.name.rsplit("-", 1)[0]
        sizes[topic] = sizes.get(topic, 0) + sum(
            f.stat().st_size
            for f in part.iterdir()
            if f.is_file() and f.suffix in (".log", ".cleaned", ".swap")
        )
    return sizes


def caught_up(bootstrap: str, group: str) -> bool:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        committed = admin.list_group_offsets({group: None}).get(group, {})
        topics = [
            t for t in admin.list_topics() if t.startswith(f"{group}-") and t.endswith(("-ledger", "-tally"))
        ]
        tps = [TopicPartition(t, p) for t in topics for p in consumer.partitions_for_topic(t) or ()]
        ends = consumer.end_offsets(tps)
        return all(end == 0 or (tp in committed and committed[tp].offset >= end) for tp, end in ends.items())
    finally:
        admin.close()
        consumer.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--input", type=Path, default=None)
    parser.add_argument(
        "--repo", type=Path, default=REPO, help="checkout whose worker runs (default: this one)"
    )
    parser.add_argument("--partitions", type=int, default=2)
    parser.add_argument(
        "--large-mb",
        type=int,
        default=0,
        help="then one record of this many MB (gzip-compressed): RSS before, and 45 s after",
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="wirewatch-growth-"))
    broker = LocalBroker(BrokerSettings(), port=free_port(), data_dir=tmp / "kafka")
    print(broker.start(), file=sys.stderr)
    app_id = f"growth-{uuid.uuid4().hex[:8]}"
    topics = {role: f"growth.{role}.{app_id}" for role in ROLES}
    worker = None
    samples: list[tuple[float, float]] = []
    stop = threading.Event()
    try:
        topic_admin.ensure_topics(
            KafkaSettings(bootstrap_servers=broker.bootstrap),
            topic_admin.specs(topics.values(), partitions=args.partitions),
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("WIREWATCH_")}
        env.update(
            {
                "WIREWATCH_KAFKA__BOOTSTRAP_SERVERS": broker.bootstrap,
                "WIREWATCH_APP__ID": app_id,
                "WIREWATCH_APP__DATA_DIR": str(tmp / "faust"),
                "WIREWATCH_TOPICS__PARTITIONS": str(args.partitions),
                "WIREWATCH_WEB__PORT": str(free_port(1)),
            }
        )
        env.update({f"WIREWATCH_TOPICS__{role.upper()}": name for role, name in topics.items()})
        log = (tmp / "worker.log").open("wb")
        worker = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "worker", "--loglevel", "warning"],
            cwd=args.repo,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        start = time.monotonic()

        def sample() -> None:
            while not stop.is_set() and worker.poll() is None:
                value = rss_mib(worker.pid)
                if value is not None:
                    samples.append((time.monotonic() - start, value))
                time.sleep(2)

        threading.Thread(target=sample, daemon=True).start()
        raws = articles(args.articles, args.input)
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap, linger_ms=5)
        for raw in raws:
            producer.send(topics["raw"], key=raw.id.encode(), value=raw.model_dump_json().encode())
        producer.flush()
        producer.close()
        clean = KafkaConsumer(
            topics["clean"],
            bootstrap_servers=broker.bootstrap,
            auto_offset_reset="earliest",
            consumer_timeout_ms=2000,
        )
        done: set[bytes] = set()
        deadline = time.monotonic() + 3600
        while len(done) < len(raws) and time.monotonic() < deadline and worker.poll() is None:
            for record in clean:
                done.add(record.key)
            print(f"\r{len(done)}/{len(raws)} coded", end="", file=sys.stderr)
        clean.close()
        print(file=sys.stderr)
        while not caught_up(broker.bootstrap, app_id) and time.monotonic() < deadline:
            time.sleep(2)
        coded_s = time.monotonic() - start
        time.sleep(5)
        large = None
        if args.large_mb:
            before = rss_mib(worker.pid)
            producer = KafkaProducer(
                bootstrap_servers=broker.bootstrap,
                compression_type="gzip",
                max_request_size=(args.large_mb + 1) * 2**20,
            )
            body = json.dumps(
                {"id": "large", "title": "large", "body": "x" * (args.large_mb * 2**20)}
            ).encode()
            producer.send(topics["raw"], key=b"large", value=body).get(60)
            producer.close()
            del body
            peak = before or 0.0
            for _ in range(45):
                time.sleep(1)
                peak = max(peak, rss_mib(worker.pid) or 0.0)
            large = {
                "mb": args.large_mb,
                "rss_before": round(before or 0, 1),
                "rss_peak": round(peak, 1),
                "rss_45s_after": round(rss_mib(worker.pid) or 0, 1),
            }
        sizes = topic_bytes(broker.storage_dir, f"{app_id}-")
        per_k = 1000 / max(len(raws), 1)
        rows = {
            name.removeprefix(f"{app_id}-"): round(size / 2**20 * per_k, 2)
            for name, size in sorted(sizes.items())
        }
        changelogs = round(sum(v for k, v in rows.items() if k.endswith("-changelog")), 2)
        rss = [value for _, value in samples]
        result = {
            "repo": str(args.repo),
            "articles": len(raws),
            "coded": len(done),
            "seconds": round(coded_s, 1),
            "changelog_mib_per_1000": changelogs,
            "internal_topics_mib_per_1000": rows,
            "large_record": large,
            "rss_mib": {
                "first": round(rss[0], 1) if rss else None,
                "max": round(max(rss), 1) if rss else None,
                "last": round(rss[-1], 1) if rss else None,
                "samples": len(rss),
            },
        }
        print(f"{'topic':<28} MiB per 1,000 articles")
        for name, value in rows.items():
            print(f"{name:<28} {value:>10.2f}")
        print(f"{'changelogs, total':<28} {changelogs:>10.2f}")
        print(
            f"worker RSS MiB: first {result['rss_mib']['first']}, max {result['rss_mib']['max']}, "
            f"last {result['rss_mib']['last']} ({len(rss)} samples over {coded_s:.0f} s)"
        )
        if large:
            print(
                f"one {large['mb']} MB record: RSS {large['rss_before']} → peak {large['rss_peak']} → "
                f"{large['rss_45s_after']} MiB 45 s later"
            )
        print(json.dumps(result))
        return 0
    finally:
        stop.set()
        if worker is not None and worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(60)
            except subprocess.TimeoutExpired:
                worker.kill()
        broker.stop()


if __name__ == "__main__":
    sys.exit(main())
