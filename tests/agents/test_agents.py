"""The worker's agents under ``test_context()``: decoding, dead letters, ledger, idempotent tables."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import date
from typing import Any

from agentkit import RuleCoder, Sent, fresh_app

from schemas import DeadLetter, DiplomaticEvent
from streams.adapters import actor_timeline, tallies
from streams.adapters.faust_app import Wiring
from streams.errors import DL_INVALID, DL_PROCESSING, DL_UNDECODABLE


def article(article_id: str, body: str) -> bytes:
    return json.dumps(
        {"id": article_id, "title": f"t {article_id}", "body": body, "published_at": "2022-09-20T00:00:00Z"}
    ).encode()


async def run_process(w: Wiring, values: list[bytes]) -> list[Any]:
    async with w.agents["process"].test_context() as agent:
        for value in values:
            await agent.put(value, key=b"k")
        return list(agent.results.values())


async def run_ledger(w: Wiring, sent: Sent, *, times: int = 1) -> None:
    messages = sent.on("ledger_topic")
    async with w.agents["ledger"].test_context() as agent:
        for _ in range(times):
            for key, value in messages:
                await agent.put(value, key=key)


async def run_tally(w: Wiring, messages: list[tuple[Any, Any]]) -> None:
    async with w.agents["tally"].test_context() as agent:
        for key, value in messages:
            await agent.put(value, key=key)


def dead_letters(sent: Sent) -> list[DeadLetter]:
    return [DeadLetter.model_validate_json(value) for _, value in sent.on("deadletter")]


def test_bad_bytes_become_dead_letters_and_the_next_article_is_processed() -> None:
    async def scenario() -> None:
        _, w, sent = fresh_app()
        bad = [
            b"\xff\xfe\x00",
            b"not json at all",
            json.dumps({"id": "x", "title": ["not", "text"]}).encode(),
        ]
        await run_process(w, [*bad, article("good-1", "042:RUS>CHN")])
        letters = dead_letters(sent)
        assert [d.error_code for d in letters] == [DL_UNDECODABLE, DL_UNDECODABLE, DL_INVALID]
        assert [d.stage for d in letters] == ["decode", "decode", "validate"]
        assert [base64.b64decode(d.original_b64) for d in letters] == bad
        assert all(d.topic == w.raw.get_topic_name() and d.offset is not None for d in letters)
        assert [key for key, _ in sent.on("clean")] == [b"good-1"]
        events = [DiplomaticEvent.model_validate_json(value) for _, value in sent.on("events")]
        assert len(events) == 1 and events[0].article_id == "good-1"
        assert sent.on("events")[0][0] == events[0].event_id.encode()

    asyncio.run(scenario())


def test_a_pipeline_failure_on_a_valid_article_is_a_dead_letter_and_the_worker_goes_on() -> None:
    async def scenario() -> None:
        _, w, sent = fresh_app()
        boom = article("boom", "explode 042:RUS>CHN")
        await run_process(w, [boom, article("after", "051:RUS>CHN")])
        letters = dead_letters(sent)
        assert len(letters) == 1
        assert letters[0].error_code == DL_PROCESSING
        assert base64.b64decode(letters[0].original_b64) == boom
        assert "explode" in letters[0].message
        assert [key for key, _ in sent.on("clean")] == [b"after"]

    asyncio.run(scenario())


def test_an_article_the_coder_never_finishes_is_a_dead_letter_and_the_worker_goes_on() -> None:
    async def scenario() -> None:
        _, w, sent = fresh_app(coder_timeout_s=0.5)
        stuck = article("stuck", "hang 042:RUS>CHN")
        await run_process(w, [stuck, article("after", "051:RUS>CHN")])
        letters = dead_letters(sent)
        assert [(d.stage, d.error_code) for d in letters] == [("timeout", DL_PROCESSING)]
        assert base64.b64decode(letters[0].original_b64) == stuck
        assert [key for key, _ in sent.on("clean")] == [b"after"]

    asyncio.run(scenario())


def test_the_same_event_applied_twice_counts_once() -> None:
    async def scenario() -> None:
        _, w, sent = fresh_app()
        # the article arrives twice (redelivery), and its ledger message is applied twice too
        await run_process(w, [article("a1", "042:RUS>CHN 051:RUS>CHN 111:CHN>RUS")] * 2)
        await run_ledger(w, sent, times=2)
        tally = sent.on("tally_topic")
        await run_tally(w, tally + tally)
        day = tallies.day_stats(date(2022, 9, 19), w.dyads.get("RUS|CHN|2022-09-19"))
        assert day["events"] == 2
        assert day["by_root"] == {"04": 1, "05": 1}
        assert day["goldstein_sum"] == round(1.9 * 2, 6)
        reverse = w.dyads.get("CHN|RUS|2022-09-19")
        assert len(reverse["events"]) == 1
        timeline = actor_timeline.timeline(w.actors.get("RUS"), w.actor_entries, "RUS")
        assert len(timeline) == 3 and len({e["event_id"] for e in timeline}) == 3

    asyncio.run(scenario())


def test_a_recoding_with_a_changed_code_replaces_the_old_contribution() -> None:
    class Upgraded(RuleCoder):
        version = "rule-2"

    async def scenario() -> None:
        _, w, sent = fresh_app()
        await run_process(w, [article("a1", "042:RUS>CHN")])
        # the same article, re-coded: the CAMEO code changed, so did the event id
        w.coder = Upgraded()
        await run_process(w, [article("a1", "043:RUS>CHN")])
        await run_ledger(w, sent)
        tally = sent.on("tally_topic")
        assert any(message["op"] == tallies.RETRACT for _, message in tally)
        await run_tally(w, tally)
        value = w.dyads.get("RUS|CHN|2022-09-19")
        assert [entry["code"] for entry in value["events"].values()] == ["043"]
        # replaying every message once more changes nothing
        await run_tally(w, tally)
        assert [entry["code"] for entry in w.dyads.get("RUS|CHN|2022-09-19")["events"].values()] == ["043"]

    asyncio.run(scenario())


def test_each_coding_publishes_an_event_set_that_supersedes_the_last() -> None:
    class Upgraded(RuleCoder):
        version = "rule-2"

    async def scenario() -> None:
        from schemas import EventSet

        _, w, sent = fresh_app()
        await run_process(w, [article("a1", "042:RUS>CHN 051:RUS>CHN")])
        w.coder = Upgraded()
        await run_process(w, [article("a1", "051:RUS>CHN")])  # B drops the meeting and re-codes the rest
        await run_process(w, [article("a1", "051:RUS>CHN")])  # and B again: a repeat
        await run_ledger(w, sent)
        sets = [(key, EventSet.model_validate_json(value)) for key, value in sent.on("event_sets")]
        assert [key for key, _ in sets] == [b"a1"] * 3
        a, b, again = (s for _, s in sets)
        events = [DiplomaticEvent.model_validate_json(value) for _, value in sent.on("events")]
        ids = {(e.coder_version, e.cameo.code): e.event_id for e in events}
        assert a.coder_version == "rule-1"
        assert a.event_ids == sorted([ids["rule-1", "042"], ids["rule-1", "051"]])
        assert b.coder_version == "rule-2" and b.event_ids == [ids["rule-2", "051"]]
        assert b.supersedes == a.revision and b.superseded_versions == ["rule-1"]
        assert b.retracts == a.event_ids  # both A ids withdrawn: one dropped, one re-coded under B's id
        assert again == b

    asyncio.run(scenario())


def test_an_actor_update_writes_one_entry_and_the_timeline_keeps_the_latest() -> None:
    async def scenario() -> None:
        from streams.adapters.faust_app import ACTOR_TIMELINE_LIMIT

        _, w, sent = fresh_app()
        spec = " ".join(f"04{n % 10}:RUS>CHN" for n in range(3))
        await run_process(w, [article(f"a{n}", spec) for n in range(25)])
        await run_ledger(w, sent)
        await run_tally(w, sent.on("tally_topic"))
        timeline = actor_timeline.timeline(w.actors.get("RUS"), w.actor_entries, "RUS")
        assert len(timeline) == ACTOR_TIMELINE_LIMIT  # 75 events were filed under RUS
        index = w.actors.get("RUS")["events"]
        assert all(set(entry) == {"date", "published_at"} for entry in index.values())  # an index only
        kept = {key for key in w.actor_entries.keys() if key.startswith("RUS|")}
        assert kept == {f"RUS|{event_id}" for event_id in index}  # evicted summaries are deleted
        assert {f"RUS|{e['event_id']}" for e in timeline} == kept and all(e["evidence"] for e in timeline)

    asyncio.run(scenario())


def test_two_outlets_with_the_same_article_id_are_two_articles() -> None:
    def from_outlet(outlet: str, body: str) -> bytes:
        return json.dumps(
            {
                "id": "1234",
                "source": outlet,
                "title": "t",
                "body": body,
                "published_at": "2022-09-20T00:00:00Z",
            }
        ).encode()

    async def scenario() -> None:
        _, w, sent = fresh_app()
        await run_process(w, [from_outlet("Wire A", "042:RUS>CHN"), from_outlet("Wire B", "111:CHN>RUS")])
        await run_ledger(w, sent)
        await run_tally(w, sent.on("tally_topic"))
        assert len(w.dyads.get("RUS|CHN|2022-09-19")["events"]) == 1  # A's event was not retracted by B's
        assert len(w.dyads.get("CHN|RUS|2022-09-19")["events"]) == 1
        # outlet A re-codes its article with another event: only A's old one goes
        before = len(sent.on("tally_topic"))
        await run_process(w, [from_outlet("Wire A", "051:RUS>CHN")])
        await run_ledger(w, sent)  # every ledger message again, in order: a redelivery changes nothing
        await run_tally(w, sent.on("tally_topic")[before:])
        assert {e["root"] for e in w.dyads.get("RUS|CHN|2022-09-19")["events"].values()} == {"05"}
        assert len(w.dyads.get("CHN|RUS|2022-09-19")["events"]) == 1  # B's untouched

    asyncio.run(scenario())
