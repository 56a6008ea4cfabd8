"""Canonical-event and alert agents (``agent.test_context()``, memory store) and webhook delivery.

Every test builds a fresh app; the outbound topics are replaced by in-memory
channels so what the agents send can be read back without a broker. The webhook
tests talk real HTTP to an aiohttp server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import faust
from aiohttp import web

from schemas import Actor, Cameo, DiplomaticEvent, Evidence, Plover
from schemas.alerts import Alert
from schemas.canonical import CanonicalEvent
from streams.adapters.alerting import Alerting, WebhookSender, attach_alerting, retraction
from streams.core import canonical
from streams.core.alerts import DyadWindowRule, RuleSet, WatchRule, Webhook
from streams.core.canonical import block_key
from streams.settings import AppSettings, Settings

NOW = datetime(2030, 1, 1, tzinfo=UTC)
T0 = datetime(2022, 9, 20, tzinfo=UTC)


def event(
    eid: str,
    *,
    src: str = "RUSGOV",
    tgt: str = "CHNGOV",
    code: str = "043",
    goldstein: float = 2.8,
    quad: int = 1,
    outlet: str = "Al Jazeera",
    at: datetime = T0,
) -> DiplomaticEvent:
    return DiplomaticEvent(
        event_id=eid,
        article_id=f"art-{eid}",
        article_source=outlet,
        published_at=at,
        source=Actor(text=src, code=src, country=src[:3]),
        target=Actor(text=tgt, code=tgt, country=tgt[:3]),
        cameo=Cameo(code=code, root=code[:2], name="test", goldstein=goldstein, quad_class=quad),
        plover=Plover(event="CONSULT"),
        event_date=date(2022, 9, 19),
        evidence=[Evidence(text="They met.", start=0, end=9)],
        confidence=0.9,
        coder_version="test-1",
    )


def conflict(eid: str, *, hours: int) -> DiplomaticEvent:
    return event(
        eid, src="RUSMIL", tgt="UKRMIL", code="190", goldstein=-10.0, quad=4, at=T0 + timedelta(hours=hours)
    )


RULES = RuleSet(
    rules=[
        WatchRule(name="rus-chn", actors=["RUS", "CHN"], involving="both", cameo_roots=["04"]),
        DyadWindowRule(name="surge", threshold=3, window_hours=24),
    ]
)


def build(rules: RuleSet = RULES) -> tuple[faust.App, Alerting, dict[str, Any]]:
    app = faust.App(f"test-alerting-{uuid.uuid4().hex[:8]}", store="memory://", autodiscover=False)
    settings = Settings(app=AppSettings(id=app.conf.id, dedup_window_hours=72))
    events_topic = app.topic("events", key_serializer="raw", value_serializer="raw")
    channels = {name: app.channel() for name in ("blocks", "dyadwin", "canonical", "alerts")}
    # Subscribe before anything is sent: a channel delivers only to existing subscribers.
    subs = {name: ch.clone(is_iterator=True) for name, ch in channels.items()}
    wired = attach_alerting(
        app, settings=settings, events_topic=events_topic, rules=rules, channels=channels, clock=lambda: NOW
    )
    return app, wired, subs


async def drain(channel: Any) -> list[Any]:
    out = []
    while True:
        try:
            out.append(await channel.get(timeout=0.05))
        except TimeoutError:
            return out


def payload(ev: DiplomaticEvent) -> dict[str, Any]:
    return ev.model_dump(mode="json")


def test_route_rekeys_by_block_and_dyad() -> None:
    async def scenario() -> None:
        app, wired, subs = build()
        ev = event("e1")
        async with wired.agents["route"].test_context() as agent:
            await agent.put(ev.model_dump_json().encode(), key=b"e1")
            await agent.put(b"{not json", key=b"bad")
            results = list(agent.results.values())
        assert results[0] == {"event_id": "e1", "block": "2022-09-19/f4", "dyad": "CHN|RUS"}
        assert results[1] is None  # skipped, logged
        [story] = await drain(subs["blocks"])
        assert story.key == block_key(ev) and story.value == payload(ev)
        [dyad] = await drain(subs["dyadwin"])
        assert dyad.key == "CHN|RUS"
        assert await drain(subs["alerts"]) == []  # alerts come from the stateful agents

    asyncio.run(scenario())


def test_watch_alert_once_per_new_report() -> None:
    async def scenario() -> None:
        app, wired, subs = build()
        ev = event("e1")
        key = block_key(ev)
        other = event("e9", src="USAGOV", tgt="CHNGOV")  # not both watched actors
        async with wired.agents["canonical"].test_context() as agent:
            for _ in range(3):  # delivered three times (redelivery, replay)
                await agent.put(payload(ev), key=key)
            await agent.put(payload(other), key=block_key(other))
        [raw_alert] = await drain(subs["alerts"])
        alert = Alert.model_validate_json(raw_alert.value)
        assert raw_alert.key == alert.alert_id.encode()
        assert alert.rule == "rus-chn" and alert.event_ids == ["e1"] and alert.created_at == NOW

    asyncio.run(scenario())


def test_no_window_rules_no_dyad_rekeying() -> None:
    async def scenario() -> None:
        app, wired, subs = build(RuleSet())
        async with wired.agents["route"].test_context() as agent:
            await agent.put(event("e1").model_dump_json().encode(), key=b"e1")
        assert await drain(subs["dyadwin"]) == [] and len(await drain(subs["blocks"])) == 1
        assert await drain(subs["alerts"]) == []

    asyncio.run(scenario())


def test_two_outlets_become_one_canonical_story_and_redelivery_changes_nothing() -> None:
    async def scenario() -> None:
        app, wired, subs = build()
        first = event("e1", outlet="Al Jazeera")
        second = event("e2", src="CHNGOV", tgt="RUSGOV", outlet="Xinhua", at=T0 - timedelta(hours=3))
        key = block_key(first)
        assert key == block_key(second)
        async with wired.agents["canonical"].test_context() as agent:
            await agent.put(payload(first), key=key)
            await agent.put(payload(second), key=key)
            await agent.put(payload(first), key=key)  # redelivered
            results = list(agent.results.values())
        assert results[2] is None
        [latest] = results[1]["upserts"]
        assert results[1]["gone"] == []
        assert isinstance(latest, CanonicalEvent)
        assert latest.mention_count == 2 and latest.sources == ["Al Jazeera", "Xinhua"]
        assert latest.event_ids == ["e1", "e2"] and latest.merge_confidence is not None
        assert latest.first_seen == T0 - timedelta(hours=3)
        assert canonical.canonical_events(canonical.from_json(wired.blocks[key])) == [latest]
        sent = await drain(subs["canonical"])
        assert len(sent) == 2  # one per change, none for the redelivery
        assert {m.key for m in sent} == {latest.story_id.encode()}
        assert CanonicalEvent.model_validate_json(sent[-1].value) == latest

    asyncio.run(scenario())


def test_a_merge_tombstones_the_absorbed_story_and_a_retraction_splits_it_again() -> None:
    async def scenario() -> None:
        app, wired, subs = build(RuleSet())
        late = event("e2", outlet="Xinhua")
        early = event("e1", outlet="Al Jazeera")
        key = block_key(late)
        async with wired.agents["canonical"].test_context() as agent:
            await agent.put(payload(late), key=key)
            await agent.put(payload(early), key=key)  # the merged story takes e1's id; e2's vanishes
            retract_key, retract_value = retraction(early, block_days=7)
            await agent.put(retract_value, key=retract_key)
            await agent.put(retract_value, key=retract_key)  # twice: nothing more
            results = list(agent.results.values())
        assert results[3] is None
        sent = [(m.key.decode(), m.value) for m in await drain(subs["canonical"])]
        lone_e2 = canonical.story_id(key, "e2")
        both = canonical.story_id(key, "e1")
        assert [k for k, _ in sent] == [lone_e2, both, lone_e2, lone_e2, both]
        assert sent[2] == (lone_e2, None)  # tombstone: e2's story merged into e1's
        assert sent[4] == (both, None)  # e1 retracted: its story is gone, e2 stands alone again
        assert CanonicalEvent.model_validate_json(sent[3][1]).event_ids == ["e2"]

    asyncio.run(scenario())


def test_dyad_window_alert_once_and_exact_under_redelivery() -> None:
    async def scenario() -> None:
        app, wired, subs = build()
        events = [conflict(f"c{i}", hours=i) for i in range(4)]
        async with wired.agents["windows"].test_context() as agent:
            for ev in events[:2] + events[:2]:  # two events, each delivered twice: below threshold 3
                await agent.put(payload(ev), key="RUS|UKR")
            assert await drain(subs["alerts"]) == []
            for ev in events[2:]:
                await agent.put(payload(ev), key="RUS|UKR")
        [raw_alert] = await drain(subs["alerts"])
        alert = Alert.model_validate_json(raw_alert.value)
        assert alert.kind == "dyad_window" and alert.observed == 3 and alert.event_ids == ["c0", "c1", "c2"]
        assert alert.created_at == NOW
        state = wired.windows["RUS|UKR"]
        assert [e["event_id"] for e in state["rules"]["surge"]["entries"]] == ["c0", "c1", "c2", "c3"]

    asyncio.run(scenario())


# --- webhook: real HTTP on 127.0.0.1 ----------------------------------------------------------


class HookServer:
    """An aiohttp server that answers with the statuses given, then 200."""

    def __init__(self, statuses: list[int], delay_s: float = 0.0) -> None:
        self.statuses = list(statuses)
        self.delay_s = delay_s
        self.received: list[dict[str, Any]] = []
        self.attempts = 0
        self.keys: list[str | None] = []
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.attempts += 1
        self.keys.append(request.headers.get("Idempotency-Key"))
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 200:
            self.received.append(await request.json())
            assert request.headers["X-Token"] == "t0k"
        return web.Response(status=status)

    async def __aenter__(self) -> HookServer:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/hook"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.runner is not None
        await self.runner.cleanup()


def an_alert(n: int = 1) -> Alert:
    return Alert(
        alert_id=f"alr-{n}", rule="r", kind="watch", event_ids=[f"e{n}"], message="m", created_at=NOW
    )


def hook(url: str, **kw: Any) -> Webhook:
    return Webhook(url=url, backoff_s=0.01, headers={"X-Token": "t0k"}, **kw)


def test_webhook_retries_then_delivers() -> None:
    async def scenario() -> None:
        import aiohttp

        async with HookServer([500, 503]) as server:
            sender = WebhookSender(hook(server.url, retries=3))
            async with aiohttp.ClientSession() as session:
                assert await sender.deliver(session, an_alert()) is True
        assert server.attempts == 3 and server.received[0]["alert_id"] == "alr-1"
        assert sender.delivered == 1 and sender.failed == 0

    asyncio.run(scenario())


def test_webhook_gives_up_without_raising() -> None:
    async def scenario() -> None:
        import aiohttp

        async with HookServer([500, 500, 500, 500]) as server:
            sender = WebhookSender(hook(server.url, retries=2))
            async with aiohttp.ClientSession() as session:
                assert await sender.deliver(session, an_alert()) is False
                assert server.attempts == 3
                # A client error is not retried: the same request would fail again.
                server.statuses = [404]
                assert await sender.deliver(session, an_alert(2)) is False
                assert server.attempts == 4
                # A slow server times out and counts as a failed attempt.
                server.delay_s = 1.0
                slow = WebhookSender(Webhook(url=server.url, timeout_s=0.1, retries=0, backoff_s=0))
                assert await slow.deliver(session, an_alert(3)) is False
        assert sender.failed == 2 and server.received == []

    asyncio.run(scenario())


def test_webhook_unreachable_is_logged_not_raised() -> None:
    async def scenario() -> None:
        import aiohttp

        async with HookServer([]) as server:
            url = server.url
        sender = WebhookSender(hook(url, retries=1))  # the server is gone: connection refused
        async with aiohttp.ClientSession() as session:
            assert await sender.deliver(session, an_alert()) is False
        assert sender.failed == 1

    asyncio.run(scenario())


def test_the_webhook_agent_delivers_from_the_alerts_topic_with_an_idempotency_key() -> None:
    async def scenario() -> None:
        async with HookServer([500]) as server:
            rules = RuleSet(rules=RULES.rules, webhook=hook(server.url))
            app, wired, subs = build(rules)
            assert wired.webhook is not None and "webhook" in wired.agents
            ev = event("e1")
            async with wired.agents["canonical"].test_context() as agent:
                await agent.put(payload(ev), key=block_key(ev))
            [alert_message] = await drain(subs["alerts"])
            alert_value = alert_message.value
            async with wired.agents["webhook"].test_context() as agent:
                await agent.put(alert_value, key=b"k")
                await agent.put(b"not an alert", key=b"k")  # logged, not delivered, no crash
        assert [a["rule"] for a in server.received] == ["rus-chn"]
        assert server.keys == [server.received[0]["alert_id"]] * 2  # the 500 was retried with the same key
        assert wired.webhook.delivered == 1

    asyncio.run(scenario())


def test_attaches_to_the_worker_app() -> None:
    """``create_app(..., attach=[attach_alerting])``, as ``streams.app.build_app`` does."""
    from agentkit import fresh_app

    app, w, _ = fresh_app(attach=[attach_alerting])
    wired: Alerting = app.alerting  # type: ignore[attr-defined]
    settings = w.settings
    # a worker app: the ledger feeds stories and alerts (issue 18), nothing reads the events topic
    assert "route" not in wired.agents
    assert wired.agents["canonical"].channel is w.sinks["story"] is wired.story_topic
    assert w.sinks["window"] is wired.dyad_topic
    assert w.sinks["watch"].get_topic_name() == f"{settings.app.id}-watch"
    assert wired.canonical_topic.get_topic_name() == settings.topics.canonical
    assert wired.canonical_topic.config == {"cleanup.policy": "compact"}
    assert wired.alerts_topic.get_topic_name() == settings.topics.alerts
    assert wired.story_topic.get_topic_name() == f"{settings.app.id}-blocks"
    assert wired.dyad_topic.get_topic_name() == f"{settings.app.id}-dyadwin"
    assert {t.name for t in (wired.blocks, wired.windows)} == {"blocks", "dyadwin"}
    assert wired.rules.rules == [] and wired.webhook is None  # no alerts_config: canonical stories only


def test_a_delivery_retrying_when_the_worker_stops_is_deferred_not_given_up() -> None:
    async def scenario() -> None:
        import aiohttp

        async with HookServer([]) as server:
            url = server.url
        # ten retries from a 30 s backoff: minutes of retrying, which held faust's stop (issue 12)
        sender = WebhookSender(Webhook(url=url, retries=10, backoff_s=30))
        attempts: list[int] = []

        def stopping() -> bool:  # the worker stops after the first failed attempt
            attempts.append(1)
            return len(attempts) > 1

        async with aiohttp.ClientSession() as session:
            assert await sender.deliver(session, an_alert(), stopping=stopping) is None
        assert sender.failed == 0 and sender.delivered == 0  # neither given up on nor delivered

    asyncio.run(scenario())


def test_the_webhook_agent_defers_while_faust_has_suspended_the_flow() -> None:
    from types import SimpleNamespace

    from streams.adapters import webhook_delivery

    class Flow:
        def __init__(self, active: bool) -> None:
            self.active = active

        def is_active(self) -> bool:
            return self.active

    assert not webhook_delivery.stopping(SimpleNamespace(should_stop=False, flow_control=Flow(True)))
    assert webhook_delivery.stopping(SimpleNamespace(should_stop=False, flow_control=Flow(False)))
    assert webhook_delivery.stopping(SimpleNamespace(should_stop=True, flow_control=Flow(True)))
