"""``wirewatch publish|tail|replay|topics`` against a real Kafka broker (unique topics per test)."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from schemas import RawArticle
from streams import cli
from streams.adapters import ops_admin, topic_admin
from streams.adapters.kafka_clients import admin_client
from streams.commands.ops import publish_paths, tail
from streams.errors import BrokerError
from streams.settings import AppSettings, KafkaSettings, Settings, TopicSettings, get_settings

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "streams" / "sample" / "sample-wire.jsonl"
SEED = ROOT / "tests" / "data" / "seed" / "wire-russia-china.txt"


def make_settings(bootstrap: str, unique: Callable[[str], str], partitions: int = 2) -> Settings:
    topics = TopicSettings(
        raw=unique("raw"),
        clean=unique("clean"),
        events=unique("events"),
        event_sets=unique("sets"),
        canonical=unique("canonical"),
        deadletter=unique("dead"),
        alerts=unique("alerts"),
        partitions=partitions,
    )
    return Settings(
        kafka=KafkaSettings(bootstrap_servers=bootstrap), topics=topics, app=AppSettings(id=unique("app"))
    )


def create_all(settings: Settings) -> list[topic_admin.CreateResult]:
    with admin_client(settings.kafka) as admin:
        return topic_admin.create_topics(admin, topic_admin.worker_specs(settings))


def read_all(bootstrap: str, topic: str, expected: int, timeout_s: float = 20.0) -> list:
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    try:
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        records: list = []
        deadline = time.monotonic() + timeout_s
        while len(records) < expected and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=300).values():
                records.extend(batch)
        # anything beyond `expected` that is already there must show up too
        for batch in consumer.poll(timeout_ms=1000).values():
            records.extend(batch)
        return records
    finally:
        consumer.close()


def test_topics_create_is_idempotent_and_compacts_canonical(kafka_bootstrap, unique_topic) -> None:
    settings = make_settings(kafka_bootstrap, unique_topic, partitions=3)
    first = create_all(settings)
    assert [r.status for r in first] == ["created"] * 7
    again = create_all(settings)
    assert [r.status for r in again] == ["exists"] * 7
    with admin_client(settings.kafka) as admin:
        infos = {
            i.name: i
            for i in topic_admin.describe_topics(admin, [s.name for s in topic_admin.worker_specs(settings)])
        }
    assert all(i.exists and i.partitions == 3 for i in infos.values())
    assert infos[settings.topics.canonical].configs.get("cleanup.policy") == "compact"
    assert infos[settings.topics.event_sets].configs.get("cleanup.policy") == "compact"
    assert infos[settings.topics.raw].configs.get("cleanup.policy") in (None, "delete")
    assert all(p.leader >= 0 and p.isr for i in infos.values() for p in i.partition_list)


def test_topics_create_reports_a_mismatch(kafka_bootstrap, unique_topic) -> None:
    settings = make_settings(kafka_bootstrap, unique_topic, partitions=2)
    create_all(settings)
    wider = settings.model_copy(update={"topics": settings.topics.model_copy(update={"partitions": 4})})
    notes = {r.name: r.detail for r in create_all(wider)}
    assert "has 2 partitions, settings say 4" in notes[settings.topics.raw]


def test_publish_sends_good_articles_keyed_and_reports_bad_lines(
    kafka_bootstrap, unique_topic, tmp_path
) -> None:
    settings = make_settings(kafka_bootstrap, unique_topic)
    create_all(settings)
    bad = tmp_path / "mixed.jsonl"
    bad.write_text('{"id": "ok-1", "body": "fine"}\nnot json\n\n{"id": 7}\n{"id": "ok-2", "body": "also"}\n')
    err = io.StringIO()
    sent, rejected = publish_paths(settings, [str(SAMPLE), str(bad), str(SEED)], progress=False, err=err)
    sample_ids = [json.loads(line)["id"] for line in SAMPLE.read_text().splitlines()]
    assert (sent, rejected) == (len(sample_ids) + 3, 2)
    problems = err.getvalue().splitlines()
    assert problems[0].startswith(f"wirewatch: {bad}:2: invalid JSON") and problems[0].endswith("(not sent)")
    assert problems[1].startswith(f"wirewatch: {bad}:4: invalid RawArticle: id:")

    records = read_all(kafka_bootstrap, settings.topics.raw, sent)
    assert len(records) == sent
    by_id = {r.key.decode(): RawArticle.model_validate_json(r.value) for r in records}
    assert set(by_id) == {*sample_ids, "ok-1", "ok-2", "wire-russia-china"}
    seed = by_id["sample-seed-russia-china"]
    assert seed.body.encode("utf-8") == SEED.read_bytes() and seed.source == "Al Jazeera"
    assert seed.published_at == datetime(2022, 9, 20, tzinfo=UTC)


def test_publish_to_an_unreachable_broker_is_one_clear_error(unique_topic) -> None:
    from streams.adapters.broker import free_port

    settings = make_settings(f"127.0.0.1:{free_port()}", unique_topic)
    with pytest.raises(BrokerError, match="cannot reach Kafka at 127.0.0.1:"):
        publish_paths(settings, [str(SAMPLE)], progress=False)


def _event_json(event_id: str) -> bytes:
    from schemas import Actor, Cameo, DiplomaticEvent, Evidence, Plover

    return (
        DiplomaticEvent(
            event_id=event_id,
            article_id="sample-seed-russia-china",
            article_source="Al Jazeera",
            published_at=datetime(2022, 9, 20, tzinfo=UTC),
            source=Actor(text="Patrushev", code="RUSGOV", country="RUS"),
            target=Actor(text="Guo Shengkun", code="CHNGOV", country="CHN"),
            cameo=Cameo(code="043", root="04", name="Host a visit", goldstein=2.8, quad_class=1),
            plover=Plover(event="CONSULT"),
            event_date=datetime(2022, 9, 19).date(),
            evidence=[Evidence(text="Patrushev meets Guo Shengkun in Nanping.", start=0, end=10)],
            confidence=0.9,
            coder_version="t",
        )
        .model_dump_json()
        .encode()
    )


def test_tail_pretty_json_and_live(kafka_bootstrap, unique_topic) -> None:
    import threading

    settings = make_settings(kafka_bootstrap, unique_topic, partitions=2)
    create_all(settings)
    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    try:
        producer.send(settings.topics.events, key=b"ev-1", value=_event_json("ev-1"))
        producer.send(settings.topics.events, key=b"junk", value=b"\xff not json")
        producer.flush(timeout=30)

        out = io.StringIO()
        assert tail(settings, "events", from_beginning=True, idle_timeout_s=3, out=out) == 2
        lines = sorted(out.getvalue().splitlines())
        assert lines[0] == '2022-09-19 RUSGOV → CHNGOV 043 CONSULT "Patrushev meets Guo Shengkun in Nanping."'
        assert lines[1].startswith("<not JSON, 10 bytes>")

        out = io.StringIO()
        assert (
            tail(settings, settings.topics.events, as_json=True, from_beginning=True, max_records=2, out=out)
            == 2
        )
        assert any(
            json.loads(x).get("event_id") == "ev-1" for x in out.getvalue().splitlines() if x.startswith("{")
        )

        # Live: without --from-beginning only records written after the start are shown.
        live = io.StringIO()
        follower = threading.Thread(
            target=lambda: tail(settings, "events", max_records=1, idle_timeout_s=20, out=live), daemon=True
        )
        follower.start()
        time.sleep(3)  # the follower has positioned itself at the end
        producer.send(settings.topics.events, key=b"ev-2", value=_event_json("ev-2"))
        producer.flush(timeout=30)
        follower.join(timeout=30)
        assert not follower.is_alive()
        assert live.getvalue().count("\n") == 1 and "RUSGOV → CHNGOV 043 CONSULT" in live.getvalue()
    finally:
        producer.close()


def test_tail_of_a_missing_topic_says_so(kafka_bootstrap, unique_topic) -> None:
    from streams.errors import InputError

    settings = make_settings(kafka_bootstrap, unique_topic)
    with pytest.raises(InputError, match="does not exist"):
        tail(settings, unique_topic("nope"), idle_timeout_s=1)


def _publish_batch(bootstrap: str, topic: str, ids: list[str]) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    try:
        for article_id in ids:
            value = RawArticle(id=article_id, title=article_id, body="b").model_dump_json().encode()
            producer.send(topic, key=article_id.encode(), value=value)
        producer.flush(timeout=30)
    finally:
        producer.close()


def _ranges(settings: Settings, start: datetime | None, stop: datetime | None = None):  # type: ignore[no-untyped-def]
    with (
        admin_client(settings.kafka) as admin,
        ops_admin.consumer_client(settings.kafka) as consumer,
    ):
        return ops_admin.offset_ranges(
            admin, ops_admin.partitions_of(consumer, settings.topics.raw), start=start, stop=stop
        )


def test_replay_republish_redelivers_exactly_the_time_range(kafka_bootstrap, unique_topic) -> None:
    settings = make_settings(kafka_bootstrap, unique_topic, partitions=2)
    create_all(settings)
    raw = settings.topics.raw
    _publish_batch(kafka_bootstrap, raw, [f"old-{i}" for i in range(5)])
    time.sleep(1.2)
    cut = datetime.now(UTC)
    time.sleep(1.2)
    _publish_batch(kafka_bootstrap, raw, [f"mid-{i}" for i in range(7)])
    time.sleep(1.2)
    end = datetime.now(UTC)
    time.sleep(1.2)
    _publish_batch(kafka_bootstrap, raw, [f"new-{i}" for i in range(3)])

    ranges = _ranges(settings, cut, end)
    assert sum(r.count for r in ranges) == 7
    ticks: list[int] = []
    sent = ops_admin.republish(settings.kafka, ranges, target=raw, on_record=lambda: ticks.append(1))
    assert sent == 7 and len(ticks) == 7

    records = read_all(kafka_bootstrap, raw, 5 + 7 + 3 + 7)
    assert len(records) == 22
    copies = [r for r in records if any(k == ops_admin.REPLAY_HEADER for k, _ in (r.headers or []))]
    assert sorted(r.key.decode() for r in copies) == [f"mid-{i}" for i in range(7)]
    originals = {(r.partition, r.offset): r for r in records if r not in copies}
    for copy in copies:
        origin = dict(copy.headers)[ops_admin.REPLAY_HEADER].decode()
        topic, partition, offset = origin.rsplit("/", 2)
        source = originals[(int(partition), int(offset))]
        assert topic == raw and source.key == copy.key and source.value == copy.value
        assert copy.partition == source.partition  # same key, same partition: per-article order holds

    # from the beginning, no end: the whole log as it is now
    assert sum(r.count for r in _ranges(settings, None)) == 22


def test_replay_reset_rewinds_a_stopped_group_and_refuses_a_running_one(
    kafka_bootstrap, unique_topic
) -> None:
    settings = make_settings(kafka_bootstrap, unique_topic, partitions=2)
    create_all(settings)
    raw = settings.topics.raw
    group = settings.app.id
    _publish_batch(kafka_bootstrap, raw, [f"a-{i}" for i in range(6)])

    def consume_group(expected: int) -> list[str]:
        consumer = KafkaConsumer(
            raw,
            bootstrap_servers=kafka_bootstrap,
            group_id=group,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        seen: list[str] = []
        deadline = time.monotonic() + 30
        while len(seen) < expected and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=300).values():
                seen.extend(r.key.decode() for r in batch)
        consumer.commit()
        consumer.close()
        return seen

    first = consume_group(6)
    assert sorted(first) == [f"a-{i}" for i in range(6)]

    # A running member: the reset must refuse rather than race the worker.
    running = KafkaConsumer(raw, bootstrap_servers=kafka_bootstrap, group_id=group, enable_auto_commit=False)
    deadline = time.monotonic() + 30
    while not running.assignment() and time.monotonic() < deadline:
        running.poll(timeout_ms=300)  # joins the group
    assert running.assignment()
    try:
        with admin_client(settings.kafka) as admin:
            with pytest.raises(BrokerError, match="active member"):
                ops_admin.reset_group(admin, group, _ranges(settings, None))
    finally:
        running.close()

    with admin_client(settings.kafka) as admin:
        ranges = _ranges(settings, None)
        for _ in range(20):  # the closed member leaves the group asynchronously
            try:
                applied = ops_admin.reset_group(admin, group, ranges)
                break
            except BrokerError:
                time.sleep(1)
        assert sum(before for _, before in applied) == 6  # where the group was: the end of the log
        assert sum(r.count for r, _ in applied) == 6
        assert {
            tp.partition: off
            for tp, off in ops_admin.committed_offsets(admin, group, [r.partition for r in ranges]).items()
        } == {r.partition.partition: 0 for r in ranges}

    again = consume_group(6)
    assert sorted(again) == sorted(first)  # the whole range is delivered again, nothing new written
    assert len(read_all(kafka_bootstrap, raw, 6)) == 6

    # A replay never moves a group forward: with 4 unprocessed records, "--from now" keeps the
    # group where it is instead of skipping them.
    _publish_batch(kafka_bootstrap, raw, [f"b-{i}" for i in range(4)])
    time.sleep(1.2)
    with admin_client(settings.kafka) as admin:
        later = _ranges(settings, datetime.now(UTC))
        assert sum(r.count for r in later) == 0
        applied = ops_admin.reset_group(admin, group, later)
        assert sum(r.count for r, _ in applied) == 4 and all(r.start == before for r, before in applied)
    assert sorted(consume_group(4)) == [f"b-{i}" for i in range(4)]


def test_cli_publish_then_tail(kafka_bootstrap, unique_topic, monkeypatch, capsys) -> None:
    settings = make_settings(kafka_bootstrap, unique_topic, partitions=1)
    monkeypatch.setenv("WIREWATCH_TOPICS__RAW", settings.topics.raw)
    monkeypatch.setenv("WIREWATCH_TOPICS__PARTITIONS", "1")
    get_settings.cache_clear()
    try:
        assert cli.main(["topics", "create", "--bootstrap", kafka_bootstrap]) == 0
        assert cli.main(["publish", str(SAMPLE), "--bootstrap", kafka_bootstrap, "--no-progress"]) == 0
        captured = capsys.readouterr()
        assert "published 6 article(s) to " + settings.topics.raw in captured.err
        assert (
            cli.main(["tail", "raw", "--from-beginning", "--max", "6", "--bootstrap", kafka_bootstrap]) == 0
        )
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == 6
        assert (
            '2022-09-20 [Al Jazeera] sample-seed-russia-china "Russia Prioritizing Expanding Security'
            in lines[0]
        )
        assert (
            cli.main(
                ["tail", "raw", "--json", "--from-beginning", "--max", "1", "--bootstrap", kafka_bootstrap]
            )
            == 0
        )
        record = json.loads(capsys.readouterr().out)
        assert record["id"] == "sample-seed-russia-china"
        assert cli.main(["topics", "describe", "canonical", "--bootstrap", kafka_bootstrap]) == 0
        assert "cleanup.policy=compact" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()


def test_cli_replay_dry_run_explains_and_refuses_a_silent_coder_change(
    kafka_bootstrap, unique_topic, monkeypatch, capsys
) -> None:
    """What `wirewatch replay --dry-run` says per output, from what the event-set topic holds (issue 18)."""
    from schemas import EventSet
    from streams.adapters import coder_identity
    from streams.core.pipeline import CODER_VERSION

    settings = make_settings(kafka_bootstrap, unique_topic, partitions=2)
    create_all(settings)
    for name, value in (
        ("RAW", settings.topics.raw),
        ("EVENT_SETS", settings.topics.event_sets),
        ("PARTITIONS", "2"),
        ("KAFKA__BOOTSTRAP_SERVERS", kafka_bootstrap),
    ):
        prefix = "WIREWATCH_" if name.startswith("KAFKA") else "WIREWATCH_TOPICS__"
        monkeypatch.setenv(prefix + name, value)
    monkeypatch.setenv("WIREWATCH_APP__ID", settings.app.id)
    get_settings.cache_clear()
    _publish_batch(kafka_bootstrap, settings.topics.raw, [f"art-{i}" for i in range(3)])

    def put_sets(version: str, fingerprint: str) -> None:
        records = [
            EventSet(
                article_id=f"art-{i}",
                revision=f"rev-{version}-{i}",
                coder_version=version,
                coder_fingerprint=fingerprint,
                event_ids=[f"ev-{version}-{i}-{n}" for n in range(i + 1)],
            )
            for i in range(3)
        ]
        producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
        for record in records:
            producer.send(
                settings.topics.event_sets,
                key=record.article_id.encode(),
                value=record.model_dump_json().encode(),
            )
        producer.flush()
        producer.close()

    try:
        # the articles were coded by an older coder: the replay says it supersedes them
        put_sets("wirewatch-coder-0.0.1", "0" * 64)
        assert cli.main(["replay", "--from-beginning", "--dry-run"]) == 0
        err = capsys.readouterr().err
        assert "replay: 3 raw record(s) in 2 partition(s) from the beginning" in err
        assert f"coder        {CODER_VERSION}" in err
        assert "wirewatch-coder-0.0.1: 3 article(s), 6 current event(s)" in err
        assert "tables       each article's wirewatch-coder-0.0.1 contributions are retracted" in err
        assert "alerts" in err and "withdrawn by a cancellation alert" in err
        assert "dry run: 3 raw record(s)" in err

        # re-coded by this very coder: nothing changes anywhere
        fingerprint = coder_identity.compute(get_settings()).digest
        put_sets(CODER_VERSION, fingerprint)
        assert cli.main(["replay", "--from-beginning", "--dry-run"]) == 0
        err = capsys.readouterr().err
        assert f"{CODER_VERSION}: 3 article(s), 6 current event(s)" in err
        assert "tables       unchanged" in err and "none raised or withdrawn" in err

        # the same version on the topic, coded by another coder: refused in one line
        put_sets(CODER_VERSION, "f" * 64)
        assert cli.main(["replay", "--from-beginning", "--dry-run"]) == 2
        err = capsys.readouterr().err
        assert "changed without a version bump" in err and len(err.strip().splitlines()) == 1
    finally:
        get_settings.cache_clear()
