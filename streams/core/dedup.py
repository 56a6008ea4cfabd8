"""Story-level de-duplication: fold reports of the same event into one ``CanonicalEvent``.

A *story* is one dyad, one CAMEO root and one date bucket:

- **Dyad.** Each side is the actor's country (ISO3) where known, else its CAMEO
  code, else its text; a one-sided event has ``-`` as target. For CAMEO root
  ``04`` (consult: meet, visit, host, negotiate, mediate) the two sides are
  sorted, because the same meeting is written "A met B", "B met A", "A visited B"
  (042) or "B hosted A" (043). Every other root keeps its direction: "A
  threatens B" and "B threatens A" are two stories.
- **Date bucket.** The event date (a range's start), else the publication date.
  Dates fall into fixed buckets of ``ceil(window_hours / 24)`` days counted from
  day 1 of the proleptic calendar, so a key is a pure function of one event and
  every worker computes the same one. The price: two reports of one event dated
  either side of a bucket boundary land in two stories (they rarely differ, since
  reports of the same event usually resolve to the same event date). An event
  with no date at all is a story of its article (dyad, root and article id: the key
  survives a re-coding by a newer coder, issue 18).

``merge`` is idempotent (an event id already folded in changes nothing) and
order-independent: the set-like fields are sorted unions, the times are min/max,
and the canonical fields come from the best report by a total order (highest
confidence, then earliest publication, then smallest event id).
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, date, datetime

from schemas.canonical import CanonicalEvent
from schemas.events import Actor, DateRange, DiplomaticEvent

SYMMETRIC_ROOTS = frozenset({"04"})
NO_TARGET = "-"
_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


def actor_key(actor: Actor | None) -> str:
    """The coarse identity of one dyad side: country, else code, else text."""
    if actor is None:
        return NO_TARGET
    if actor.country:
        return actor.country
    if actor.code:
        return actor.code.upper()
    return " ".join(actor.text.split()).upper() or "?"


def dyad(event: DiplomaticEvent) -> tuple[str, str]:
    """The story dyad of an event: sorted for symmetric roots, else source first."""
    pair = (actor_key(event.source), actor_key(event.target))
    if event.cameo.root in SYMMETRIC_ROOTS and event.target is not None:
        return (min(pair), max(pair))
    return pair


def story_date(event: DiplomaticEvent) -> date | None:
    """The date a story is bucketed by: event date (a range's start), else the publication date."""
    when = event.event_date
    if isinstance(when, DateRange):
        return when.start
    if when is not None:
        return when
    if event.published_at is not None:
        return event.published_at.astimezone(UTC).date()
    return None


def bucket_days(window_hours: int) -> int:
    if window_hours < 1:
        raise ValueError("window_hours must be at least 1")
    return max(1, math.ceil(window_hours / 24))


def story_key(event: DiplomaticEvent, *, window_hours: int) -> str:
    """``SRC|TGT|ROOT|BUCKET_START`` (or ``…|article:<article id>`` for an undated event)."""
    source, target = dyad(event)
    when = story_date(event)
    if when is None:
        # the article, not the event id (which changes with the coder version): stable across re-codings
        bucket = f"article:{event.article_id}"
    else:
        days = bucket_days(window_hours)
        bucket = date.fromordinal(((when.toordinal() - 1) // days) * days + 1).isoformat()
    return f"{source}|{target}|{event.cameo.root}|{bucket}"


def story_id(key: str) -> str:
    return "sty-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def _rank(confidence: float, published_at: datetime | None, event_id: str) -> tuple[float, datetime, str]:
    return (-confidence, published_at or _FAR_FUTURE, event_id)


def _union(values: list[str], extra: str) -> list[str]:
    return sorted(set(values) | {extra}) if extra else sorted(set(values))


def _min_time(a: datetime | None, b: datetime | None) -> datetime | None:
    return min((t for t in (a, b) if t is not None), default=None)


def _max_time(a: datetime | None, b: datetime | None) -> datetime | None:
    return max((t for t in (a, b) if t is not None), default=None)


def _representative(event: DiplomaticEvent) -> dict[str, object]:
    """The canonical fields a story takes from its representative report."""
    return {
        "source": event.source,
        "target": event.target,
        "cameo": event.cameo,
        "plover": event.plover,
        "event_date": event.event_date,
        "location": event.location,
        "representative_event_id": event.event_id,
        "confidence": event.confidence,
        "representative_published_at": event.published_at,
    }


def merge(
    canonical: CanonicalEvent | None, event: DiplomaticEvent, *, window_hours: int = 72
) -> CanonicalEvent:
    """Fold one event into its story (``canonical`` None: the story's first report).

    Raises ``ValueError`` if the event belongs to another story than ``canonical``.
    """
    key = story_key(event, window_hours=window_hours)
    if canonical is None:
        return CanonicalEvent(
            story_id=story_id(key),
            story_key=key,
            **_representative(event),
            mention_count=1,
            sources=_union([], event.article_source),
            article_ids=[event.article_id],
            event_ids=[event.event_id],
            first_seen=event.published_at,
            last_seen=event.published_at,
        )
    if key != canonical.story_key:
        raise ValueError(f"event {event.event_id} belongs to story {key}, not {canonical.story_key}")
    if event.event_id in canonical.event_ids:
        return canonical
    article_ids = _union(canonical.article_ids, event.article_id)
    update: dict[str, object] = {
        # Articles, not event ids: one article coding a meeting in both directions is one mention.
        "mention_count": len(article_ids),
        "event_ids": _union(canonical.event_ids, event.event_id),
        "sources": _union(canonical.sources, event.article_source),
        "article_ids": article_ids,
        "first_seen": _min_time(canonical.first_seen, event.published_at),
        "last_seen": _max_time(canonical.last_seen, event.published_at),
    }
    current = _rank(
        canonical.confidence, canonical.representative_published_at, canonical.representative_event_id
    )
    if _rank(event.confidence, event.published_at, event.event_id) < current:
        update.update(_representative(event))
    # model_validate rather than model_copy(update=...) so the result is validated like any record.
    return CanonicalEvent.model_validate({**dict(canonical), **update})
