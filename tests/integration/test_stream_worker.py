"""The worker on the real broker with the real coder: seed → events → dyad view; poison → dead letter."""

from __future__ import annotations

import base64
from datetime import date

import pytest
from streamkit import StreamEnv, TopicReader, Worker, encode, http_get, poll, publish, seed_article

from schemas import DeadLetter, DiplomaticEvent
from streams.adapters import tallies
from streams.adapters.nlp import load_coder
from streams.errors import DL_UNDECODABLE

pytestmark = [pytest.mark.integration, pytest.mark.timeout(420)]


def event_ids_on(reader: TopicReader, article_id: str) -> set[str]:
    reader.read()
    return {
        DiplomaticEvent.model_validate_json(r.value).event_id
        for r in reader.records
        if DiplomaticEvent.model_validate_json(r.value).article_id == article_id
    }


def test_the_seed_article_yields_its_events_and_the_dyad_view_shows_them(kafka_bootstrap, tmp_path):
    env = StreamEnv(kafka_bootstrap, tmp_path)
    env.create_topics()
    raw = seed_article()
    expected = load_coder().process(raw).events
    expected_ids = {e.event_id for e in expected}
    on_the_19th = {
        e.event_id
        for e in expected
        if tallies.dyad_side(e.source) == "RUS"
        and tallies.dyad_side(e.target) == "CHN"
        and tallies.event_day(e) == date(2022, 9, 19)
    }
    assert on_the_19th, "the offline coder finds RUS→CHN events on 2022-09-19 (EXPECTED.md #2, #3)"

    worker = Worker(env).start()
    reader = TopicReader(kafka_bootstrap, env.topics["events"])
    try:
        worker.wait_healthy()
        publish(kafka_bootstrap, env.topics["raw"], [encode(raw)])
        got = poll(
            lambda: (ids := event_ids_on(reader, raw.id)) >= expected_ids and ids,
            timeout_s=120,
            what="the seed's events on the events topic",
        )
        assert got == expected_ids
        keys = {r.key.decode() for r in reader.records}
        assert keys == expected_ids  # keyed by event id

        url = f"{worker.url}/dyads/RUS/CHN?from=2022-09-19&to=2022-09-19&ids=1"

        def dyad_view():
            status, body = http_get(url)
            return body if status == 200 and set(body["days"][0]["event_ids"]) == on_the_19th else None

        body = poll(dyad_view, timeout_s=60, what="the RUS→CHN dyad view for 2022-09-19")
        day = body["days"][0]
        assert day["date"] == "2022-09-19" and day["events"] == len(on_the_19th) == body["total_events"]
        roots = sorted(e.cameo.root for e in expected if e.event_id in on_the_19th)
        assert sum(day["by_root"].values()) == len(roots) and sorted(day["by_root"]) == sorted(set(roots))

        status, timeline = http_get(f"{worker.url}/actors/RUS/events")
        assert status == 200 and on_the_19th <= {e["event_id"] for e in timeline["events"]}
        status, bad = http_get(f"{worker.url}/dyads/RUS/CHN?from=2022-09-19&to=yesterday")
        assert status == 400 and "to" in bad["error"]
    finally:
        reader.close()
        code = worker.stop()
    assert code == 0, worker.log_tail()


def test_a_malformed_message_is_dead_lettered_and_the_next_article_is_processed(kafka_bootstrap, tmp_path):
    env = StreamEnv(kafka_bootstrap, tmp_path)
    env.create_topics()
    poison = b"\xff\xfe{ not an article"
    good = seed_article("after-the-poison")
    worker = Worker(env).start()
    dead = TopicReader(kafka_bootstrap, env.topics["deadletter"])
    events = TopicReader(kafka_bootstrap, env.topics["events"])
    try:
        worker.wait_healthy()
        # same key → same partition: the good article comes strictly after the poison
        publish(kafka_bootstrap, env.topics["raw"], [(b"k", poison), (b"k", good.model_dump_json().encode())])
        letters = poll(lambda: dead.read() or dead.records, timeout_s=120, what="a dead letter")
        letter = DeadLetter.model_validate_json(letters[0].value)
        assert base64.b64decode(letter.original_b64) == poison
        assert base64.b64decode(letter.original_key_b64 or "") == b"k"
        assert letter.error_code == DL_UNDECODABLE and letter.stage == "decode"
        assert letter.topic == env.topics["raw"] and letter.offset is not None
        assert poll(lambda: event_ids_on(events, good.id), timeout_s=120, what="the good article's events")
        assert len(dead.records) == 1
    finally:
        dead.close()
        events.close()
        code = worker.stop()
    assert code == 0, worker.log_tail()
