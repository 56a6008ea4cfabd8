"""Event sets (``wire.events.sets.v1``, keyed by ``article_id``, compacted): an article's current events.

The events topic is append-only: a re-coding (a replay, or a newer coder) appends the
article's events again, under new ids when the coder version changed (the version is part
of an id). The event set says which of them are current. Each coding of an article
publishes one: ``event_ids`` are the article's current events, ``retracts`` every id an
earlier coding of the article produced that this one does not (withdrawn: count it
nowhere), ``supersedes`` the revision it replaces. The latest record per article (the
compacted view) is the article's state.

A consumer of the events topic keeps an event while its id is in its article's latest
event set, and drops it when it appears in ``retracts``. A record whose ``revision`` equals
the one already held for its article is a repeat (a redelivery, a same-coder replay) and
changes nothing: ignore it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.base import Emitted


class EventSet(Emitted):
    schema_id: Literal["event_set.v1"] = "event_set.v1"
    article_id: str
    revision: str = Field(
        description="hash of article id, coder version and event ids: a repeat has the same"
    )
    coder_version: str = Field(description="the coder that produced this set")
    coder_fingerprint: str | None = Field(
        default=None,
        description="sha256 of the coder's modules, dictionaries and model (wirewatch coder fingerprint)",
    )
    event_ids: list[str] = Field(description="the article's current events, sorted (empty: it has none)")
    retracts: list[str] = Field(
        default_factory=list, description="ids of earlier codings of the article that are withdrawn, sorted"
    )
    supersedes: str | None = Field(
        default=None, description="the revision this set replaces (None: the article's first coding)"
    )
    superseded_versions: list[str] = Field(
        default_factory=list, description="coder versions of the earlier codings this one replaces, sorted"
    )
