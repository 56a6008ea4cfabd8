"""Canonical events: one record per real-world event across outlets.

Reports (coded events) are grouped into **blocks** by a coarse key, a fixed
bucket of ``block_days`` event days and the root family (:func:`block_key`, a
pure function of one event, so every worker sends an event to the same block). Inside a block, every
pair of reports gets the explained score of ``streams.core.similarity``; a pair
whose score reaches the threshold is a **link**, and a canonical event is a
connected component of the links. Its id comes from its smallest member event id
(and the block), its fields from its best report (highest confidence, then
earliest publication, then smallest event id).

The state of one block (:class:`BlockState`) holds its members and their links.
Because a link is a pure, symmetric function of two reports and components do
not depend on the order edges were found in, the same reports in any order give
the same canonical events, and folding a report in twice changes nothing
(:func:`add` is idempotent on event id).

Retraction (for reprocessing: an article re-coded by a newer coder retracts the
events it no longer yields): :func:`retract` removes a member and its links; its
component may split in two or more, each with its own id. :func:`changes` turns
a before/after pair of states into the canonical records to publish and the ids
that no longer exist (to tombstone on the compacted canonical topic).

The price of blocks: two reports of one event whose days fall either side of a
block boundary are never compared. Undated reports (no event date and no
publication time) are never merged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from schemas.canonical import CanonicalEvent
from schemas.events import Actor, Cameo, DateRange, DiplomaticEvent, Location, Plover
from streams.core import similarity
from streams.core.similarity import MergeParams, Report, Side

DEFAULT_BLOCK_DAYS = 7
UNDATED = "undated"
_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


def block_key(event: DiplomaticEvent, *, block_days: int = DEFAULT_BLOCK_DAYS) -> str:
    """The block an event is compared in: the first day of its ``block_days`` bucket and its root
    family (``2017-09-11/f15``), or ``undated``.

    Reports of two families never link (a gate of the pair decision), so splitting blocks by
    family changes no canonical event and keeps each block's state smaller.
    """
    if block_days < 1:
        raise ValueError("block_days must be at least 1")
    start, _ = similarity.event_days(event)
    if start is None:
        return UNDATED
    first = date.fromordinal(((start - 1) // block_days) * block_days + 1).isoformat()
    return f"{first}/f{similarity.family(event.cameo.root)}"


@dataclass(frozen=True)
class Member:
    """One report as the block keeps it: its decision features and the fields a canonical event shows."""

    event_id: str
    article_id: str
    outlet: str
    published_at: datetime | None
    confidence: float
    # source, target, cameo, plover, event_date, location, article_url, article_title (JSON)
    fields: dict[str, Any] = field(repr=False)
    report: Report = field(repr=False)


def member(event: DiplomaticEvent) -> Member:
    dumped = event.model_dump(
        mode="json",
        include={
            "source",
            "target",
            "cameo",
            "plover",
            "event_date",
            "location",
            "article_url",
            "article_title",
        },
    )
    return Member(
        event.event_id,
        event.article_id,
        event.article_source,
        event.published_at,
        event.confidence,
        dumped,
        similarity.report(event),
    )


@dataclass(frozen=True)
class BlockState:
    block: str
    members: dict[str, Member] = field(default_factory=dict)
    links: dict[tuple[str, str], float] = field(default_factory=dict)  # (smaller id, larger id) -> score


def add(
    state: BlockState | None, event: DiplomaticEvent, *, params: MergeParams, block: str | None = None
) -> BlockState:
    """Fold one report into its block; a report already there changes nothing."""
    if state is None:
        if block is None:
            raise ValueError("the first report of a block needs the block key")
        state = BlockState(block=block)
    key = state.block
    if event.event_id in state.members:
        return state
    new = member(event)
    links = dict(state.links)
    if key != UNDATED:
        for other in state.members.values():
            s = similarity.score(new.report, other.report, params)
            if s is not None and s >= params.threshold:
                links[_pair(new.event_id, other.event_id)] = s
    return replace(state, members={**state.members, new.event_id: new}, links=links)


def retract(state: BlockState, event_id: str) -> BlockState:
    """Remove one report (and its links) from the block; an unknown id changes nothing."""
    if event_id not in state.members:
        return state
    members = {k: v for k, v in state.members.items() if k != event_id}
    links = {pair: s for pair, s in state.links.items() if event_id not in pair}
    return replace(state, members=members, links=links)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def components(state: BlockState) -> list[list[str]]:
    """The connected components of the links: sorted member ids, components by their smallest id."""
    parent = {eid: eid for eid in state.members}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in state.links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for eid in state.members:
        groups.setdefault(find(eid), []).append(eid)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def story_id(block: str, smallest_event_id: str) -> str:
    """``sty-<block day>f<family>-<hash>``: the block is in the id so ``/stories/{id}`` finds its state."""
    digest = hashlib.sha256(smallest_event_id.encode("utf-8")).hexdigest()[:20]
    return f"sty-{block.replace('-', '').replace('/', '')}-{digest}"


def block_of(story_id_: str) -> str | None:
    """The block a story id names (None: not a story id of this module)."""
    parts = story_id_.split("-")
    if len(parts) != 3 or parts[0] != "sty":
        return None
    day, _, family = parts[1].partition("f")
    if parts[1] == UNDATED:
        return UNDATED
    if len(day) != 8 or not day.isdigit() or not family.isdigit():
        return None
    return f"{day[:4]}-{day[4:6]}-{day[6:]}/f{int(family)}"


def _rank(m: Member) -> tuple[float, datetime, str]:
    return (-m.confidence, m.published_at or _FAR_FUTURE, m.event_id)


def _bottleneck(ids: list[str], state: BlockState) -> float | None:
    """Merge confidence: the weakest member's strongest link inside the component (None: one report)."""
    if len(ids) < 2:
        return None
    inside = set(ids)
    best: dict[str, float] = {}
    for (a, b), s in state.links.items():
        if a in inside and b in inside:
            best[a] = max(best.get(a, 0.0), s)
            best[b] = max(best.get(b, 0.0), s)
    return round(min(best.get(eid, 0.0) for eid in ids), 4)


def canonical_event(state: BlockState, ids: list[str]) -> CanonicalEvent:
    members = [state.members[eid] for eid in ids]
    best = min(members, key=_rank)
    f = best.fields
    when = f.get("event_date")
    times = [m.published_at for m in members if m.published_at is not None]
    articles = sorted({m.article_id for m in members})
    return CanonicalEvent(
        story_id=story_id(state.block, ids[0]),
        story_key=f"{state.block}|{ids[0]}",
        source=Actor.model_validate(f["source"]),
        target=Actor.model_validate(f["target"]) if f.get("target") else None,
        cameo=Cameo.model_validate(f["cameo"]),
        plover=Plover.model_validate(f["plover"]),
        event_date=(
            DateRange.model_validate(when)
            if isinstance(when, dict)
            else date.fromisoformat(when)
            if when
            else None
        ),
        location=Location.model_validate(f["location"]) if f.get("location") else None,
        representative_event_id=best.event_id,
        confidence=best.confidence,
        representative_published_at=best.published_at,
        mention_count=len(articles),
        sources=sorted({m.outlet for m in members if m.outlet}),
        article_ids=articles,
        event_ids=list(ids),
        first_seen=min(times, default=None),
        last_seen=max(times, default=None),
        merge_confidence=_bottleneck(ids, state),
    )


def canonical_events(state: BlockState) -> list[CanonicalEvent]:
    return [canonical_event(state, ids) for ids in components(state)]


def changes(before: BlockState | None, after: BlockState) -> tuple[list[CanonicalEvent], list[str]]:
    """What to publish after a change: new or changed canonical events, and story ids that vanished.

    Only components whose member list changed are rebuilt (a canonical event is a
    function of its members and of the links among them, and a change of links
    always touches the member that was added or retracted).
    """
    old = {tuple(c) for c in components(before)} if before is not None else set()
    new = {tuple(c) for c in components(after)}
    upserts = [canonical_event(after, list(ids)) for ids in sorted(new - old)]
    kept = {story_id(after.block, ids[0]) for ids in new}
    gone = sorted({story_id(after.block, ids[0]) for ids in old - new} - kept)
    return upserts, gone


def cluster(
    events: Iterable[DiplomaticEvent],
    *,
    params: MergeParams | None = None,
    block_days: int = DEFAULT_BLOCK_DAYS,
) -> list[CanonicalEvent]:
    """Offline: every canonical event of ``events``, by mention count (then story id)."""
    params = params or MergeParams()
    blocks: dict[str, BlockState] = {}
    for event in events:
        key = block_key(event, block_days=block_days)
        blocks[key] = add(blocks.get(key), event, params=params, block=key)
    out = [c for key in sorted(blocks) for c in canonical_events(blocks[key])]
    return sorted(out, key=lambda c: (-c.mention_count, c.story_id))


# --- JSON (the stream's table value) ---------------------------------------------------------------


def _side_json(s: Side | None) -> list[str | None] | None:
    return None if s is None else [s.country, s.code, s.name, s.text]


def _side(v: list[str | None] | None) -> Side | None:
    return None if v is None else Side(*v)


def to_json(state: BlockState) -> dict[str, Any]:
    members = {}
    for eid, m in sorted(state.members.items()):
        r = m.report
        members[eid] = {
            "article_id": m.article_id,
            "outlet": m.outlet,
            "confidence": m.confidence,
            "published_at": m.published_at.isoformat() if m.published_at else None,
            "fields": m.fields,
            "report": {
                "source": _side_json(r.source),
                "target": _side_json(r.target),
                "root": r.root,
                "family": r.family,
                "days": [r.day_start, r.day_end],
                "place": list(r.place) if r.place is not None else None,
                "signature": list(r.signature),
                "headline": list(r.headline),
            },
        }
    links = [[a, b, s] for (a, b), s in sorted(state.links.items())]
    return {"block": state.block, "members": members, "links": links}


def from_json(value: dict[str, Any]) -> BlockState:
    members = {}
    for eid, m in value["members"].items():
        r = m["report"]
        report = Report(
            eid,
            m["article_id"],
            _side(r["source"]) or Side(),
            _side(r["target"]),
            r["root"],
            r["family"],
            r["days"][0],
            r["days"][1],
            tuple(r["place"]) if r["place"] is not None else None,
            tuple(r["signature"]),
            tuple(r["headline"]),
        )
        published = datetime.fromisoformat(m["published_at"]) if m["published_at"] else None
        members[eid] = Member(
            eid, m["article_id"], m["outlet"], published, m["confidence"], m["fields"], report
        )
    links = {(a, b): s for a, b, s in value["links"]}
    return BlockState(block=value["block"], members=members, links=links)
