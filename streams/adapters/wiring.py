"""What ``create_app`` declared, handed to the views, commands and tests: the topics, the
tables and the coder of one worker app (``Wiring``), and what the app needs of a coder.

Its own module so that the view modules (``page``, ``scans``, ``views``) can name the type
without importing ``faust_app``, which registers them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Protocol

from faust.types import TopicT
from faust.types.tables import TableT

from schemas import RawArticle
from streams.adapters import event_feed
from streams.settings import Settings

# Seconds one article may take before it counts as a poison message (normal: well under 1 s).
CODER_TIMEOUT_S = 60.0


class Outcome(Protocol):
    raw: RawArticle
    clean: Any
    events: list[Any]


class CoderLike(Protocol):
    """What the app needs of ``streams.core.pipeline.Coder``."""

    def process(self, raw: RawArticle) -> Outcome: ...

    def process_batch(self, raws: Sequence[RawArticle], batch_size: int = 16) -> list[Outcome]: ...


@dataclass
class Wiring:
    """Handles on what ``create_app`` declared, for views, commands and tests."""

    settings: Settings
    coder: CoderLike
    raw: TopicT
    clean: TopicT
    events: TopicT
    deadletter: TopicT
    ledger_topic: TopicT
    tally_topic: TopicT
    ledger: TableT
    dyads: TableT
    actors: TableT
    event_rows: TableT
    agents: dict[str, Any] = field(default_factory=dict)
    metrics: Any = None  # streams.adapters.observability.WorkerMetrics, set by create_app
    executor: Executor | None = None
    coder_timeout_s: float = CODER_TIMEOUT_S
    recent: event_feed.RecentEvents = field(default_factory=event_feed.RecentEvents)
    event_sets: TopicT | None = None  # per-article revision records (issue 18)
    # Tables kept by attached agents (stories, alert state), fed by the ledger so that a re-coding
    # retracts there too: table name → its topic, and functions giving an event's cells in them.
    sinks: dict[str, TopicT] = field(default_factory=dict)
    extra_cells: list[Callable[..., list[tuple[str, str, Any]]]] = field(default_factory=list)
    progress: Any = None  # Progress of the agents, for /healthz (issue 12)
    actor_entries: TableT | None = None  # one summary per actor and event (streams.adapters.actor_timeline)
    health: Any = None  # streams.adapters.health.Health, set by create_app
