"""A story after one article's re-coding: its new reports in, its retracted ones out (issue 18).

Minimal on purpose: the story record (``CanonicalEvent``) keeps only its representative
report's fields, not every report's, so taking a report out can replace the representative
only by one of the article's new reports of the same story. The canonical-events issue
(14) gives the merge a state that keeps every report; the worker then retracts through it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from schemas.canonical import CanonicalEvent
from schemas.events import DiplomaticEvent
from streams.core import dedup


def revise(
    story: CanonicalEvent | None,
    *,
    article_id: str,
    upserts: Sequence[DiplomaticEvent],
    retracts: Iterable[str],
    window_hours: int,
) -> CanonicalEvent | None:
    """The story after ``article_id``'s current reports of it (``upserts``) and its withdrawn ones.

    None: the story has no report left (its key should be deleted). Idempotent.
    """
    for event in upserts:
        story = dedup.merge(story, event, window_hours=window_hours)
    if story is None:
        return None
    gone = set(retracts) - {e.event_id for e in upserts}
    if gone.isdisjoint(story.event_ids):
        return story
    event_ids = [i for i in story.event_ids if i not in gone]
    article_ids = story.article_ids if upserts else [a for a in story.article_ids if a != article_id]
    if not event_ids or not article_ids:
        return None
    update: dict[str, object] = {
        "event_ids": event_ids,
        "article_ids": article_ids,
        "mention_count": len(article_ids),
    }
    if story.representative_event_id in gone and upserts:
        best = min(upserts, key=lambda e: dedup._rank(e.confidence, e.published_at, e.event_id))
        update.update(dedup._representative(best))
    return CanonicalEvent.model_validate({**dict(story), **update})
