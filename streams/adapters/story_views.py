"""``GET /stories/{id}``: one canonical event and its reports.

A story id names its block (``streams.core.canonical.story_id``), so the request
is forwarded whole to the worker holding that block (faust's router, as for an
actor timeline) and answered from its block state: the canonical event's flat row
(``story``) and one row per report (``reports``: event id, article, outlet, URL,
headline, publication time, CAMEO code, dyad, event date, confidence), earliest
first. An id no block holds is a 404 that says so; a story merged into another
since it was listed is a 404 too (the canonical topic holds its tombstone).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import faust
from faust.exceptions import NotReady, SameNode
from faust.web import Request, Response, View

from streams.adapters import block_parts, columns, faust_patches
from streams.adapters import http_query as q
from streams.adapters.http_query import BadRequest
from streams.core import canonical

if TYPE_CHECKING:
    from faust.types.tables import TableT


def report_rows(state: canonical.BlockState, event_ids: list[str]) -> list[dict[str, Any]]:
    rows = []
    for eid in event_ids:
        m = state.members[eid]
        f = m.fields
        when = f.get("event_date")
        target = f.get("target") or {}
        rows.append(
            {
                "event_id": eid,
                "article_id": m.article_id,
                "outlet": m.outlet or None,
                "url": f.get("article_url"),
                "title": f.get("article_title"),
                "published_at": m.published_at.isoformat() if m.published_at else None,
                "cameo_code": f["cameo"]["code"],
                "source": f["source"].get("code") or f["source"].get("country") or f["source"].get("text"),
                "target": target.get("code") or target.get("country") or target.get("text"),
                "event_date": when.get("start") if isinstance(when, dict) else when,
                "confidence": m.confidence,
            }
        )
    return sorted(rows, key=lambda r: (r["published_at"] or "", r["event_id"]))


def lookup(value: dict[str, Any] | None, story_id: str) -> dict[str, Any] | None:
    """The story's row and its reports from its block's state; None when the block holds no such story."""
    if not value:
        return None
    state = canonical.from_json(value)
    for ids in canonical.components(state):
        if canonical.story_id(state.block, ids[0]) == story_id:
            story = canonical.canonical_event(state, ids)
            return {"story": columns.story_row(story), "reports": report_rows(state, ids)}
    return None


NO_STORIES = "this worker keeps no canonical stories (the story agents are not attached)"


def blocks_table(app: faust.App) -> TableT | None:
    """The story agents' block table, which ``GET /stories`` and ``/stories/{id}`` read; None without them."""
    alerting = getattr(app, "alerting", None)
    return None if alerting is None else alerting.blocks


def no_stories(view: View) -> Response:
    return view.error(404, NO_STORIES)


def register(app: faust.App) -> None:
    @app.page("/stories/{story_id}")
    class Story(View):
        """``GET /stories/sty-20170911f15-…``: one canonical event and its reports."""

        async def get(self, request: Request, story_id: str) -> Response:
            try:
                q.unknown_parameters(request.query, set())
            except BadRequest as exc:
                return self.error(400, str(exc))
            table = blocks_table(app)
            if table is None:
                return no_stories(self)
            block = canonical.block_of(story_id)
            if block is None:
                return self.error(400, f"not a story id: {story_id!r} (ids look like sty-20170911f15-<hash>)")
            try:
                # the router needs the changelog's partitions in the producer's metadata (views.routable)
                await faust_patches.ensure_partitions_known(app, table.changelog_topic.get_topic_name())
                return await app.router.route_req(table.name, block, self.web, request)
            except SameNode:
                pass
            except (KeyError, NotReady):
                return self.error(503, "partitions are not assigned yet (worker starting or rebalancing)")
            found = lookup(block_parts.load(table, block).value, story_id)
            if found is None:
                return self.error(
                    404,
                    f"unknown story {story_id!r}: no such canonical event (it may have "
                    "merged into another since it was listed)",
                )
            return self.json({"story_id": story_id, **found})
