"""Stories and alerts fed by the ledger follow a re-coding (issue 18): no double count, withdrawals."""

from __future__ import annotations

import asyncio
import functools
import json
from datetime import UTC, datetime
from typing import Any

from agentkit import RuleCoder, fresh_app

from schemas.alerts import Alert
from schemas.canonical import CanonicalEvent
from streams.adapters.alert_feed import STORY, WATCH, WINDOW
from streams.adapters.alerting import attach_alerting
from streams.core import canonical
from streams.core.alerts import DyadWindowRule, RuleSet, WatchRule

NOW = datetime(2030, 1, 1, tzinfo=UTC)
RULES = RuleSet(
    rules=[
        WatchRule(name="rus-fights", actors=["RUS"], cameo_roots=["19"]),
        DyadWindowRule(name="surge", threshold=3, window_hours=24, quad_classes=[], cameo_roots=["19"]),
    ]
)


class CoderB(RuleCoder):
    """B re-codes 193 (fight) as 042 (visit): a changed code; everything else as A."""

    version = "rule-2"

    def process(self, raw: Any) -> Any:
        return super().process(raw.model_copy(update={"body": raw.body.replace("193:", "042:")}))


def article(article_id: str, body: str) -> bytes:
    return json.dumps(
        {"id": article_id, "title": article_id, "body": body, "published_at": "2022-09-20T00:00:00Z"}
    ).encode()


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Any, Any]] = []

    def patch(self, name: str, topic: Any) -> None:
        async def send(key: Any = None, value: Any = None, **_: Any) -> None:
            self.sent.append((name, key, value))

        topic.send = send

    def take(self, name: str) -> list[tuple[Any, Any]]:
        out = [(k, v) for n, k, v in self.sent if n == name]
        self.sent = [item for item in self.sent if item[0] != name]
        return out


async def feed(agent: Any, items: list[tuple[Any, Any]]) -> None:
    """Put each (key, value) through one agent, in order."""
    async with agent.test_context() as running:
        for key, value in items:
            await running.put(value, key=key)


async def code_and_ledger(w: Any, sent: Any, coder: Any, *articles: bytes) -> None:
    """Articles through the process agent with `coder`, then what it sent to the ledger through the ledger."""
    w.coder = coder
    before = len(sent.on("ledger_topic"))
    await feed(w.agents["process"], [(b"k", value) for value in articles])
    await feed(w.agents["ledger"], sent.on("ledger_topic")[before:])


def test_a_recoding_withdraws_what_no_longer_holds_and_counts_each_event_once() -> None:
    async def scenario() -> None:
        app, w, sent = fresh_app(attach=[functools.partial(attach_alerting, rules=RULES, clock=lambda: NOW)])
        wired = app.alerting
        rec = Recorder()
        for name, topic in (
            ("story", w.sinks[STORY]),
            ("watch", w.sinks[WATCH]),
            ("window", w.sinks[WINDOW]),
            ("canonical", wired.canonical_topic),
            ("alerts", wired.alerts_topic),
        ):
            rec.patch(name, topic)
        assert "route" not in wired.agents  # a worker app: the ledger feeds the agents, not the events topic

        async def code(coder: Any, *articles: bytes) -> None:
            await code_and_ledger(w, sent, coder, *articles)
            for name, agent in (("story", "canonical"), ("watch", "watch"), ("window", "windows")):
                await feed(wired.agents[agent], rec.take(name))

        def alerts() -> list[Alert]:
            return [Alert.model_validate_json(v) for _, v in rec.take("alerts")]

        a = [article(f"a{n}", "190:RUS>UKR 193:RUS>UKR") for n in (1, 2)]
        await code(RuleCoder(), *a)
        first = alerts()
        watch = [x for x in first if x.kind == "watch"]
        window = [x for x in first if x.kind == "dyad_window"]
        assert len(watch) == 4 and len(window) == 1 and window[0].observed >= 3
        stories = {
            k: CanonicalEvent.model_validate_json(v) for k, v in rec.take("canonical") if v is not None
        }  # a merge tombstones the story it absorbs
        assert {s.cameo.root for s in stories.values()} == {"19"}

        await code(CoderB(), *a)  # the upgrade: 193 became 042
        second = alerts()
        events = {key.decode(): value for key, value in sent.on("events")}

        def logical(event_id: str) -> tuple[str, str]:
            body = json.loads(events[event_id])
            return body["article_id"], body["cameo"]["code"]

        # no alert counts one event twice (its A and its B coding): each article's A events leave first
        for alert in first + second:
            assert len({logical(i) for i in alert.event_ids}) == len(alert.event_ids), alert
        # 190 under B is the same (article, dyad, code): no watch alert raised again
        assert [x for x in second if x.kind == "watch" and x.withdraws is None] == []
        fights = {x.alert_id for x in watch if "193" in x.message}
        assert {x.withdraws for x in second if x.kind == "watch"} == fights
        assert window[0].alert_id in {x.withdraws for x in second}
        # what stays raised is what B alone raises: the two 190 watch alerts, no window alert (2 < 3)
        live = {x.alert_id for x in first + second if x.withdraws is None} - {x.withdraws for x in second}
        assert live == {x.alert_id for x in watch if "190" in x.message}
        states = [canonical.from_json(wired.blocks.get(k)) for k in list(wired.blocks.keys())]
        story = next(c for state in states for c in canonical.canonical_events(state))
        latest = {}
        for key, value in rec.take("canonical"):
            latest[key] = value
        current = [CanonicalEvent.model_validate_json(v) for v in latest.values() if v is not None]
        assert {s.cameo.root for s in current} == {"19", "04"}
        conflict_story = next(s for s in current if s.cameo.root == "19")
        b_ids = {i for i, value in events.items() if b'"rule-2"' in value and b'"190"' in value}
        assert set(conflict_story.event_ids) == b_ids and conflict_story.representative_event_id in b_ids
        assert story is not None

        await code(CoderB(), *a)  # B again: nothing anywhere
        assert alerts() == [] and rec.take("canonical") == []

    asyncio.run(scenario())


def test_a_block_past_the_part_bound_is_kept_in_parts_and_its_stories_are_unchanged(monkeypatch) -> None:
    """The canonical agent stores a big block in bounded parts (a block value over faust's producer
    limit crashed the worker): every record stays under the bound, the stories are those of one
    unsplit block, and a re-coding still retracts through the parts."""
    from streams.adapters import block_parts

    bound = 16 * 1024
    monkeypatch.setattr(block_parts, "PART_BYTES", bound)

    async def scenario() -> None:
        no_rules = functools.partial(attach_alerting, rules=RuleSet(), clock=lambda: NOW)
        app, w, sent = fresh_app(attach=[no_rules])
        wired = app.alerting
        rec = Recorder()
        rec.patch("story", w.sinks[STORY])
        rec.patch("canonical", wired.canonical_topic)
        published: dict[str, Any] = {}

        async def code(coder: Any, *articles: bytes) -> None:
            await code_and_ledger(w, sent, coder, *articles)
            await feed(wired.agents["canonical"], rec.take("story"))
            for key, value in rec.take("canonical"):
                published[key.decode()] = value

        def current() -> dict[str, Any]:
            return {k: CanonicalEvent.model_validate_json(v) for k, v in published.items() if v is not None}

        def events_of(version: str) -> list[Any]:
            return [e for _, v in sent.on("events") if (e := json.loads(v))["coder_version"] == version]

        many = [article(f"b{n:03d}", "042:RUS>CHN 043:CHN>RUS 040:USA>CHN 042:FRA>DEU") for n in range(40)]
        await code(RuleCoder(), *many)
        keys = list(wired.blocks.keys())
        assert any(block_parts.is_part(k) for k in keys), "the test block never passed the bound"
        assert all(block_parts.size(wired.blocks.get(k)) <= bound for k in keys)
        from schemas.events import DiplomaticEvent

        a_events = [DiplomaticEvent.model_validate(e) for e in events_of("rule-1")]
        want = {s.story_id: s for s in canonical.cluster(a_events)}
        assert current() == want
        held = [
            s
            for value in block_parts.heads(wired.blocks)
            for s in canonical.canonical_events(canonical.from_json(value))
        ]
        assert {s.story_id: s for s in held} == want

        class NoFrance(RuleCoder):  # a re-coding that drops one dyad: its reports leave the parts
            version = "rule-2"

            def process(self, raw: Any) -> Any:
                return super().process(raw.model_copy(update={"body": raw.body.replace("042:FRA>DEU", "")}))

        await code(NoFrance(), *many)
        b_events = [DiplomaticEvent.model_validate(e) for e in events_of("rule-2")]
        assert b_events and not any(e.source.country == "FRA" for e in b_events)
        assert current() == {s.story_id: s for s in canonical.cluster(b_events)}
        assert all(block_parts.size(wired.blocks.get(k)) <= bound for k in wired.blocks.keys())
        whole = sum(block_parts.size(v) for v in block_parts.heads(wired.blocks))
        assert len(list(wired.blocks.keys())) <= 1 + 4 * whole / bound, "more parts than the block needs"

    asyncio.run(scenario())
