"""Canonical events (``wire.events.canonical.v1``, keyed by ``story_id``).

One record per real-world event: the reports of several outlets (or several coded
mentions) of the same event, merged by ``streams.core.canonical``. A story is
re-emitted, with the same ``story_id``, each time its reports change, so the topic
is compacted and its latest record per key is the current state; when two stories
merge (or a report is retracted) a story id can vanish, and the topic then holds
a tombstone (null value) under it.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from schemas.base import AwareDatetime, Emitted
from schemas.events import Actor, Cameo, DateRange, Location, Plover


class CanonicalEvent(Emitted):
    schema_id: Literal["canonical_event.v1"] = "canonical_event.v1"
    story_id: str = Field(
        description="block day and hash of the smallest member event id: the same "
        "for the same reports in any order, on any worker"
    )
    story_key: str = Field(description="block (first day of its bucket) and smallest member event id")
    # The canonical fields come from one representative report (see representative_event_id).
    source: Actor
    target: Actor | None = None
    cameo: Cameo
    plover: Plover
    event_date: date | DateRange | None = None
    location: Location | None = None
    representative_event_id: str = Field(description="the report the canonical fields were taken from")
    confidence: float = Field(ge=0, le=1, description="the representative report's confidence")
    representative_published_at: AwareDatetime | None = None
    mention_count: int = Field(ge=1, description="distinct articles reporting the story")
    sources: list[str] = Field(description="distinct outlets, sorted")
    article_ids: list[str] = Field(description="distinct articles, sorted")
    event_ids: list[str] = Field(min_length=1, description="distinct event ids, sorted")
    first_seen: AwareDatetime | None = Field(default=None, description="earliest report publication")
    last_seen: AwareDatetime | None = Field(default=None, description="latest report publication")
    merge_confidence: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="the weakest member's strongest link score (None: a single report, nothing merged)",
    )
