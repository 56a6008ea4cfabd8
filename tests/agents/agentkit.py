"""Agent tests: a fresh app per test, memory store, ``agent.test_context()``, no broker.

The coder here is a small real class with ``Coder``'s interface that turns an
article into events by rule, so the wiring (decode, dead letters, ledger, tables)
is tested without spaCy; the integration tests run the real ``Coder``.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import aiohttp.web
import faust

from schemas import Actor, Cameo, CleanArticle, DiplomaticEvent, Evidence, Plover, RawArticle
from streams.adapters.faust_app import Wiring, create_app, wiring_of
from streams.settings import AppSettings, Settings, TopicSettings


@dataclass(frozen=True)
class RuleOutcome:
    raw: RawArticle
    clean: CleanArticle
    events: list[DiplomaticEvent]
    timings: dict[str, float] = field(default_factory=dict)


def make_event(
    article_id: str,
    *,
    source: str = "RUS",
    target: str = "CHN",
    code: str = "042",
    goldstein: float = 1.9,
    quad: int = 1,
    day: date | None = date(2022, 9, 19),
    version: str = "rule-1",
) -> DiplomaticEvent:
    digest = hashlib.sha1(f"{article_id}|{source}|{target}|{code}|{day}|{version}".encode()).hexdigest()[:20]
    return DiplomaticEvent(
        event_id=f"ev-{digest}",
        article_id=article_id,
        article_source="test wire",
        published_at=datetime(2022, 9, 20, tzinfo=UTC),
        source=Actor(text=source, code=f"{source}GOV", country=source),
        target=Actor(text=target, code=f"{target}GOV", country=target),
        cameo=Cameo(code=code, root=code[:2], name="test", goldstein=goldstein, quad_class=quad),
        plover=Plover(event="CONSULT"),
        event_date=day,
        evidence=[Evidence(text="They met.", start=0, end=9)],
        confidence=0.9,
        coder_version=version,
    )


class RuleCoder:
    """Codes ``CODE:SRC>TGT`` tokens in the body as events.

    Raises on the word ``explode``; never returns on ``hang``.
    """

    version = "rule-1"

    def process(self, raw: RawArticle) -> RuleOutcome:
        if "explode" in raw.body:
            raise RuntimeError("the rule coder was told to explode")
        if "hang" in raw.body:
            threading.Event().wait()  # a pipeline bug that loops forever
        clean = CleanArticle(article_id=raw.id, title=raw.title, paragraphs=[raw.body], text=raw.body)
        events = []
        for token in raw.body.split():
            if ":" in token and ">" in token:
                code, dyad = token.split(":", 1)
                source, target = dyad.split(">", 1)
                events.append(
                    make_event(raw.id, source=source, target=target, code=code, version=self.version)
                )
        return RuleOutcome(raw=raw, clean=clean, events=events)

    def process_batch(self, raws: Sequence[RawArticle], batch_size: int = 16) -> list[RuleOutcome]:
        return [self.process(raw) for raw in raws]


class Sent:
    """Replaces ``send`` on the app's output topics and records what the agents send."""

    def __init__(self, w: Wiring) -> None:
        self.records: list[tuple[str, Any, Any]] = []
        self.names = {}
        for name in ("clean", "events", "deadletter", "ledger_topic", "tally_topic", "event_sets"):
            topic = getattr(w, name)
            self.names[topic.get_topic_name()] = name
            topic.send = self._sender(name)  # type: ignore[method-assign]

    def _sender(self, name: str) -> Any:
        async def send(key: Any = None, value: Any = None, **_: Any) -> None:
            self.records.append((name, key, value))

        return send

    def on(self, name: str) -> list[tuple[Any, Any]]:
        return [(key, value) for topic, key, value in self.records if topic == name]


def fresh_app(coder: Any = None, **kwargs: Any) -> tuple[faust.App, Wiring, Sent]:
    settings = Settings(
        app=AppSettings(id=f"wwtest-{uuid.uuid4().hex[:10]}", store="memory://"),
        topics=TopicSettings(partitions=2),
    )
    app = create_app(settings, coder=coder or RuleCoder(), **kwargs)
    w = wiring_of(app)
    return app, w, Sent(w)


async def serve(app: faust.App) -> tuple[aiohttp.web.AppRunner, str]:
    """``app``'s web server (faust's blueprints and ours) on a free local port: its runner and base URL."""
    app.web.init_server()  # as the worker's web service does at start
    runner = aiohttp.web.AppRunner(app.web.web_app)
    await runner.setup()
    site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"
