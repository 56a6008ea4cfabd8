"""The poison suite (issue 12): bad input straight to the raw topic of a real broker, a good article
after each one on the same partition. Every bad input ends as its clean record (and events) or as a
dead letter with its stable code and its original bytes (or their bounded prefix, length and
sha256); every good article is coded exactly as the offline coder codes it; the agent never crashes.
"""

from __future__ import annotations

import base64
import hashlib

import pytest
from kafka import KafkaProducer
from poison_kinds import CAP, CODED, kinds
from streamkit import StreamEnv, TopicReader, Worker, generated_articles, poll

from schemas import DeadLetter, DiplomaticEvent
from streams.adapters import codecs
from streams.adapters.nlp import load_coder

pytestmark = [pytest.mark.integration, pytest.mark.timeout(1200)]

PARTITIONS = 2


def test_every_bad_input_ends_as_its_outputs_or_a_dead_letter_and_no_neighbour_is_lost(
    kafka_bootstrap, tmp_path
):
    bad = kinds()
    assert len(bad) >= 50
    goods = generated_articles(len(bad), "after-poison")
    coder = load_coder()
    offline = {event.event_id for outcome in coder.process_batch(goods) for event in outcome.events}
    assert offline, "the good articles are eventful"
    coded_ids = {}
    for name, _, value, expect in bad:
        if expect == CODED:
            decoded = codecs.decode_raw_article(value, max_bytes=CAP)
            assert not isinstance(decoded, codecs.Rejected), name
            coded_ids[name] = decoded.id

    env = StreamEnv(kafka_bootstrap, tmp_path, partitions=PARTITIONS)
    env.create_topics()
    worker = Worker(env).start()
    dead = TopicReader(kafka_bootstrap, env.topics["deadletter"])
    clean = TopicReader(kafka_bootstrap, env.topics["clean"])
    events = TopicReader(kafka_bootstrap, env.topics["events"])
    try:
        worker.wait_healthy()
        # compressed, as a producer may send a 52 MB record the broker stores in well under 1 MB
        producer = KafkaProducer(
            bootstrap_servers=kafka_bootstrap,
            acks="all",
            linger_ms=5,
            compression_type="gzip",
            max_request_size=64 * 1024 * 1024,
        )
        where: dict[tuple[int, int], tuple[str, bytes | None, str]] = {}
        try:
            for n, ((name, key, value, expect), good) in enumerate(zip(bad, goods, strict=True)):
                partition = n % PARTITIONS
                meta = producer.send(env.topics["raw"], key=key, value=value, partition=partition).get(60)
                where[(meta.partition, meta.offset)] = (name, value, expect)
                producer.send(
                    env.topics["raw"],
                    key=good.id.encode(),
                    value=good.model_dump_json().encode(),
                    partition=partition,
                ).get(60)
        finally:
            producer.close()

        want_dead = sum(1 for *_, expect in bad if expect != CODED)
        want_clean = {good.id for good in goods} | set(coded_ids.values())

        def done():
            dead.read()
            clean.read()
            return len(dead.records) >= want_dead and want_clean <= {
                r.key.decode("utf-8", "replace") for r in clean.records
            }

        poll(done, timeout_s=900, every_s=2, what="every dead letter and every clean record")

        problems = []
        letters = {}
        for record in dead.records:
            letter = DeadLetter.model_validate_json(record.value)
            letters[(letter.partition, letter.offset)] = letter
        for spot, (name, value, expect) in sorted(where.items()):
            letter = letters.get(spot)
            if expect == CODED:
                if letter is not None:
                    problems.append(f"{name}: dead-lettered {letter.error_code}: {letter.message[:200]}")
                continue
            if letter is None:
                problems.append(f"{name}: no dead letter")
                continue
            data = value or b""
            kept = base64.b64decode(letter.original_b64)
            if letter.error_code != expect:
                problems.append(f"{name}: {letter.error_code} ({letter.message[:120]}), expected {expect}")
            if (
                letter.original_length != len(data)
                or letter.original_sha256 != hashlib.sha256(data).hexdigest()
            ):
                problems.append(f"{name}: length/sha256 of the original wrong")
            if (kept != data) if not letter.original_truncated else (not data.startswith(kept) or not kept):
                problems.append(f"{name}: original bytes not kept")
            if len(record.value) > 1_000_000:
                problems.append(f"{name}: dead letter of {len(record.value)} bytes")
        extra = set(letters) - set(where)
        assert not extra, f"dead letters for good articles: {[letters[s].message[:200] for s in extra]}"
        assert not problems, "\n".join(problems)

        got = poll(
            lambda: (
                (
                    ids := {
                        DiplomaticEvent.model_validate_json(r.value).event_id
                        for r in (events.read() and events.records or events.records)
                        if r.key
                    }
                )
                >= offline
                and ids
            ),
            timeout_s=120,
            what="every good article's events",
        )
        assert offline <= got
        many = [
            r
            for r in events.records
            if DiplomaticEvent.model_validate_json(r.value).article_id == "many-events"
        ]
        assert len(many) > 400, f"the 500-meeting article's events are out ({len(many)})"
        log = worker.log_path.read_text(encoding="utf-8", errors="replace")
        assert "Agent error" not in log and "crashed" not in log.lower() and "Traceback" not in log, (
            worker.log_tail(80)
        )
    finally:
        dead.close()
        clean.close()
        events.close()
        code = worker.stop()
    assert code == 0, worker.log_tail()
