"""Retention windows on the real broker: old ledger entries and story blocks leave the tables and
their changelogs (tombstones), recent ones stay, a restarted worker does not bring the old ones
back, and an article older than the window, sent again, is coded as new (issue 12)."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families
from streamkit import StreamEnv, TopicReader, Worker, encode, poll, publish, sample_articles, seed_article

from schemas import EventSet
from streams.adapters import retention
from streams.adapters.nlp import load_coder
from streams.core import canonical as canon

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

DAYS = 3  # a short window: articles 40 days old are past it (their blocks too),
# those of the last hour inside
BLOCK_DAYS = 7


def table_keys(url: str) -> dict[str, float]:
    with urllib.request.urlopen(f"{url}/metrics", timeout=10) as response:
        text = response.read().decode("utf-8")
    return {
        s.labels["table"]: s.value
        for family in text_string_to_metric_families(text)
        if family.name == "wirewatch_table_keys"
        for s in family.samples
    }


def latest(reader: TopicReader) -> dict[str, list[bytes | None]]:
    """Every value a changelog holds per key (JSON-decoded key), in order; None is a tombstone."""
    reader.read()
    out: dict[str, list[bytes | None]] = {}
    for record in reader.records:
        out.setdefault(json.loads(record.key), []).append(record.value)
    return out


def test_entries_older_than_the_window_leave_the_tables_and_their_changelogs(kafka_bootstrap, tmp_path):
    now = datetime.now(UTC)
    env = StreamEnv(kafka_bootstrap, tmp_path)
    env.create_topics()
    bases = [seed_article(), *sample_articles()]
    old = [
        b.model_copy(update={"id": f"old-{n}-{b.id}", "published_at": now - timedelta(days=40)})
        for n, b in enumerate(bases)
    ]
    recent = [
        b.model_copy(update={"id": f"new-{n}-{b.id}", "published_at": now - timedelta(hours=1)})
        for n, b in enumerate(bases)
    ]
    coder = load_coder()
    blocks = {
        canon.block_key(e, block_days=BLOCK_DAYS) for a in old + recent for e in coder.process(a).events
    }
    # the blocks' clock is the wall clock (this week's blocks end in the future); a block ending
    # within a day of the cutoff is left out of the expectation (the pass runs at some moment later)
    cutoff = now - timedelta(days=DAYS)
    ends = {k: retention.block_end(k, block_days=BLOCK_DAYS) for k in blocks if k != "undated"}
    gone_blocks = {k for k, end in ends.items() if end is not None and end < cutoff - timedelta(days=1)}
    kept_blocks = {k for k, end in ends.items() if end is not None and end > cutoff + timedelta(days=1)}
    assert gone_blocks and kept_blocks, sorted(blocks)

    windows = {
        "WIREWATCH_RETENTION__LEDGER_DAYS": str(DAYS),
        "WIREWATCH_RETENTION__STORIES_DAYS": str(DAYS),
        "WIREWATCH_RETENTION__CHECK_S": "2",
        "WIREWATCH_APP__CANONICAL_BLOCK_DAYS": str(BLOCK_DAYS),
    }
    worker = Worker(env, extra_env=windows).start()
    ledger_log = TopicReader(kafka_bootstrap, f"{env.app_id}-ledger-changelog")
    blocks_log = TopicReader(kafka_bootstrap, f"{env.app_id}-blocks-changelog")
    sets = TopicReader(kafka_bootstrap, env.topics["event_sets"])
    try:
        worker.wait_healthy()
        publish(kafka_bootstrap, env.topics["raw"], [encode(a) for a in old + recent])

        def trimmed():
            ledger, story = latest(ledger_log), latest(blocks_log)
            done = (
                all(ledger.get(a.id, [b""])[-1] is None for a in old)
                and all(story.get(k, [b""])[-1] is None for k in gone_blocks)
                and all(a.id in ledger for a in recent)
                and kept_blocks <= set(story)
            )
            return done and (ledger, story)

        ledger, story = poll(trimmed, timeout_s=240, what="tombstones for the old ledger entries and blocks")
        for article in old:  # coded first (a value), then forgotten (a tombstone)
            assert ledger[article.id][0] is not None and ledger[article.id][-1] is None
        assert all(ledger[a.id][-1] is not None for a in recent)  # recent articles stay
        assert all(story[k][-1] is not None for k in kept_blocks)  # recent blocks stay
        poll(
            lambda: table_keys(worker.url).get("ledger") == len(recent),
            timeout_s=60,
            what=f"{len(recent)} ledger entries in the table",
        )

        # an article older than the window, sent again, is coded as new: its event set again,
        # its ledger entry again (and forgotten again at a later pass)
        again = old[0]
        sets.read()
        before = sum(1 for r in sets.records if r.key.decode() == again.id)
        publish(kafka_bootstrap, env.topics["raw"], [encode(again)])

        def coded_again():
            sets.read()
            mine = [EventSet.model_validate_json(r.value) for r in sets.records if r.key.decode() == again.id]
            entries = latest(ledger_log).get(again.id, [])
            first_gone = entries.index(None) if None in entries else len(entries)
            recoded = any(v is not None for v in entries[first_gone + 1 :])
            return len(mine) > before and recoded and mine

        mine = poll(coded_again, timeout_s=120, what="the old article coded again after it was forgotten")
        assert mine[-1].supersedes is None and mine[-1].event_ids == mine[0].event_ids
        poll(
            lambda: latest(ledger_log)[again.id][-1] is None,
            timeout_s=60,
            what="the old article forgotten again",
        )
    finally:
        code = worker.stop()
    assert code == 0, worker.log_tail()

    # a restart with retention off rebuilds the tables from their changelogs: the old entries stay gone
    restarted = Worker(
        env,
        name="restarted",
        extra_env={
            "WIREWATCH_RETENTION__LEDGER_DAYS": "0",
            "WIREWATCH_RETENTION__STORIES_DAYS": "0",
            "WIREWATCH_APP__CANONICAL_BLOCK_DAYS": str(BLOCK_DAYS),
        },
    ).start()
    try:
        restarted.wait_healthy()

        def rebuilt():
            held = {k for k, v in latest(blocks_log).items() if v[-1] is not None}
            sizes = table_keys(restarted.url)
            return sizes.get("ledger") == len(recent) and sizes.get("blocks") == len(held) and (sizes, held)

        sizes, held = poll(
            rebuilt,
            timeout_s=60,
            what=f"{len(recent)} ledger entries and the blocks the changelog holds, after the restart",
        )
        assert kept_blocks <= held and not gone_blocks & held and sizes["ledger"] == len(recent)
    finally:
        ledger_log.close()
        blocks_log.close()
        sets.close()
        code = restarted.stop()
    assert code == 0, restarted.log_tail()
