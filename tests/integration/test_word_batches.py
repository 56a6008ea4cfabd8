"""The worker codes a take in word-sized runs (issue 11): a long story is coded alone, every
article still gives its clean record and the offline coder's events."""

from __future__ import annotations

import re

import pytest
from streamkit import StreamEnv, TopicReader, Worker, encode, event_ids, generated_articles, poll, publish

from streams.adapters.nlp import load_coder
from streams.core.batching import words

pytestmark = [pytest.mark.integration, pytest.mark.timeout(420)]


def test_a_take_is_coded_in_runs_of_at_most_batch_words(kafka_bootstrap, tmp_path):
    env = StreamEnv(kafka_bootstrap, tmp_path, partitions=1)
    env.create_topics()
    raws = generated_articles(8, "runs")
    budget = 200
    assert max(words(r.title, r.body) for r in raws) > budget, "the seed is longer than one run"
    expected = {e.event_id for r in raws for e in load_coder().process(r).events}
    assert expected
    # a take of all 8 (one partition, a long batch window), cut into runs of <= 200 words
    worker = Worker(
        env, extra_env={"WIREWATCH_NLP__BATCH_WORDS": str(budget), "WIREWATCH_NLP__BATCH_WITHIN_S": "3"}
    )
    worker.start()
    events = TopicReader(kafka_bootstrap, env.topics["events"])
    clean = TopicReader(kafka_bootstrap, env.topics["clean"])
    try:
        worker.wait_healthy()
        publish(kafka_bootstrap, env.topics["raw"], [encode(r) for r in raws])
        poll(lambda: event_ids(events) >= expected, timeout_s=240, what="every article's events")

        def cleaned() -> set[str]:
            clean.read()
            return {r.key.decode() for r in clean.records}

        poll(lambda: cleaned() >= {r.id for r in raws}, timeout_s=60, what="a clean record per article")
        assert event_ids(events) == expected
        runs = [
            (int(a), int(b))
            for a, b in re.findall(r"batch of (\d+) \(.*?\) in (\d+) run\(s\)", worker.log_tail(400))
        ]
        assert sum(a for a, _ in runs) >= len(raws)
        assert any(b > 1 for _, b in runs), f"no take was cut into runs: {runs}"
    finally:
        worker.stop()
        events.close()
        clean.close()
