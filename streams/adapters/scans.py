"""HTTP views over whole tables: events and dyad-days of a date range, stories, the newest events.

Each view reads this worker's table partitions and, unless asked with ``scope=local``,
asks every other worker holding partitions of the same table for theirs (the hosts
come from faust's partition assignor), then merges, de-duplicates (a standby copy
may hold a row twice) and cuts to ``limit``. ``truncated`` says whether rows were
left out; ``wirewatch export`` uses it to refuse an incomplete file.

    GET /events?from=YYYY-MM-DD[&to=…][&limit=N][&format=csv]      flat event rows of the range
    GET /events/recent[?limit=N]                                    the newest events this cluster coded
    GET /dyads?from=YYYY-MM-DD[&to=…][&limit=N][&format=csv]        every dyad-day of the range
    GET /stories[?from=…&to=…][&limit=N][&format=csv]               canonical stories by mention count
    (``GET /stories/{id}``, one story and its reports, is in ``story_views``.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import faust
from aiohttp import ClientTimeout
from faust.exceptions import NotReady
from faust.web import Request, Response, View
from yarl import URL

from streams.adapters import block_parts, columns, event_feed, story_views, tallies, view_guard
from streams.adapters import http_query as q
from streams.adapters.http_query import BadRequest
from streams.core import canonical

if TYPE_CHECKING:
    from faust.types.tables import TableT

    from streams.adapters.wiring import Wiring

_PEER_TIMEOUT_S = 15.0
EVENTS_LIMIT = (1000, 10_000)  # (default, maximum) rows per answer
DYADS_LIMIT = (1000, 10_000)
STORIES_LIMIT = (50, 5000)
RECENT_LIMIT = (20, 200)

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Listing:
    """One scan view: its path, its body's field, the merge order, a row's identity, the CSV columns."""

    path: str
    field: str
    order: Callable[[dict[str, Any]], Any]
    identity: Callable[[dict[str, Any]], Any]
    columns: tuple[columns.Column, ...]


class PeerError(Exception):
    pass


def _ident(url: URL) -> tuple[str, int]:
    return (url.host or "", int(url.port or 80))


def peers(app: faust.App, table: TableT) -> list[URL]:
    """Web URLs of the other workers holding active partitions of ``table``."""
    me = _ident(URL(str(app.conf.canonical_url)))
    hosts = app.router.table_metadata(table.name)
    return sorted(
        {URL(host) for host, topics in hosts.items() if any(topics.values()) and _ident(URL(host)) != me},
        key=str,
    )


async def _fetch(app: faust.App, url: URL) -> dict[str, Any]:
    try:
        async with app.http_client.get(url, timeout=ClientTimeout(total=_PEER_TIMEOUT_S)) as response:
            body = await response.json()
            if response.status != 200:
                raise PeerError(f"{url.host}:{url.port} answered {response.status}: {body.get('error')}")
            return dict(body)
    except PeerError:
        raise
    except Exception as exc:  # noqa: BLE001 - any peer failure is one 502 with its reason
        raise PeerError(f"{url.host}:{url.port} did not answer: {type(exc).__name__}: {exc}") from exc


def _merge(
    parts: list[dict[str, Any]],
    field: str,
    key: Callable[[dict[str, Any]], Any],
    identity: Callable[[dict[str, Any]], Any],
    count: int,
) -> tuple[Rows, bool]:
    seen: set[Any] = set()
    rows: Rows = []
    for part in parts:
        for row in part[field]:
            ident = identity(row)
            if ident not in seen:
                seen.add(ident)
                rows.append(row)
    rows.sort(key=key)
    truncated = len(rows) > count or any(part.get("truncated") for part in parts)
    return rows[:count], truncated


def _range_body(span: q.Range | None) -> dict[str, Any]:
    return {"from": span.start.isoformat(), "to": span.end.isoformat()} if span else {}


def register(app: faust.App, w: Wiring) -> None:
    guard = view_guard.guard_of(app)  # table scans on a thread, a bounded number at once (issue 12)

    async def gathered(
        request: Request, table: TableT, path: str, local: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """This worker's part and every peer's, or only ours with ``scope=local``."""
        if request.query.get("scope") == "local":
            return [local]
        query = {k: v for k, v in request.query.items() if k != "format"}
        query["scope"] = "local"
        others = peers(app, table)
        fetched = await asyncio.gather(
            *(_fetch(app, url.with_path(path).with_query(query)) for url in others)
        )
        return [local, *fetched]

    def scope(request: Request) -> None:
        value = request.query.get("scope")
        if value not in (None, "local"):
            raise BadRequest(f"scope must be 'local' (this worker's partitions only), got {value!r}")

    def check(request: Request, allowed: set[str]) -> None:
        q.unknown_parameters(request.query, allowed | {"scope"})
        scope(request)

    def range_query(
        request: Request, *, required: bool, limits: tuple[int, int]
    ) -> tuple[q.Range | None, int, str]:
        """``from``/``to``, ``limit`` and ``format`` of a range view (``BadRequest`` on a bad one)."""
        check(request, {"from", "to", "limit", "format"})
        span = q.date_range(request.query, required=required)
        count = q.limit(request.query, default=limits[0], maximum=limits[1])
        return span, count, q.output_format(request.query)

    async def answer(
        view: View,
        request: Request,
        listing: Listing,
        table: TableT,
        local: dict[str, Any],
        count: int,
        fmt: str,
        extra: dict[str, Any],
    ) -> Response:
        """``local`` merged with every peer's part, cut to ``count``, as JSON or CSV."""
        try:
            parts = await gathered(request, table, listing.path, local)
        except (KeyError, NotReady):
            return view.error(503, "partitions are not assigned yet (worker starting or rebalancing)")
        except PeerError as exc:
            return view.error(502, f"a peer worker did not answer: {exc}")
        rows, truncated = _merge(parts, listing.field, listing.order, listing.identity, count)
        body = {**extra, "count": len(rows), "truncated": truncated, listing.field: rows}
        return q.answer(view, fmt, body, rows, listing.columns)

    async def scanned(
        view: View,
        request: Request,
        listing: Listing,
        table: TableT,
        scan: Callable[[], Rows],
        count: int,
        fmt: str,
        extra: dict[str, Any],
    ) -> Response:
        """``scan`` (all of this worker's rows) and their sort run by the guard, then ``answer``."""
        try:
            rows = await guard.run(lambda: sorted(scan(), key=listing.order))
        except view_guard.Busy as exc:
            return view_guard.busy_response(view, exc)
        local = {listing.field: rows[:count], "truncated": len(rows) > count}
        return await answer(view, request, listing, table, local, count, fmt, extra)

    @app.page("/events")
    class Events(View):
        """Flat rows of the events of a date range (their event day), by date."""

        async def get(self, request: Request) -> Response:
            try:
                span, count, fmt = range_query(request, required=True, limits=EVENTS_LIMIT)
            except BadRequest as exc:
                return self.error(400, str(exc))
            assert span is not None
            first, last = span.start.isoformat(), span.end.isoformat()

            def scan() -> Rows:
                rows = [
                    w.event_rows.get(key)
                    for key in list(w.event_rows.keys())
                    if event_feed.in_range(key, first, last)
                ]
                return [r for r in rows if r]

            return await scanned(self, request, EVENTS, w.event_rows, scan, count, fmt, _range_body(span))

    @app.page("/events/recent")
    class RecentEvents(View):
        """The newest events as the workers applied them, newest first (the live page's feed)."""

        async def get(self, request: Request) -> Response:
            try:
                check(request, {"limit"})
                count = q.limit(request.query, default=RECENT_LIMIT[0], maximum=RECENT_LIMIT[1])
            except BadRequest as exc:
                return self.error(400, str(exc))
            if not w.recent.seeded:
                try:
                    rows = await guard.run(
                        lambda: [row for row in map(w.event_rows.get, list(w.event_rows.keys())) if row]
                    )
                except view_guard.Busy as exc:
                    return view_guard.busy_response(self, exc)
                w.recent.seed(rows)
            local = {"events": w.recent.latest(count), "truncated": False}
            return await answer(self, request, RECENT, w.event_rows, local, count, "json", {})

    @app.page("/dyads")
    class DyadDays(View):
        """Every dyad-day with events in a date range: counts by quad class and root, Goldstein sum."""

        async def get(self, request: Request) -> Response:
            try:
                span, count, fmt = range_query(request, required=True, limits=DYADS_LIMIT)
            except BadRequest as exc:
                return self.error(400, str(exc))
            assert span is not None
            first, last = span.start.isoformat(), span.end.isoformat()

            def scan() -> Rows:
                rows: Rows = []
                for key in list(w.dyads.keys()):
                    source, target, day = key.split("|")
                    if first <= day <= last:
                        stats = tallies.day_stats(date.fromisoformat(day), w.dyads.get(key))
                        if stats["events"]:
                            rows.append(columns.dyad_day_row(source, target, stats))
                return rows

            return await scanned(self, request, DYADS, w.dyads, scan, count, fmt, _range_body(span))

    @app.page("/stories")
    class Stories(View):
        """Canonical stories (one per event across outlets), most-reported first."""

        async def get(self, request: Request) -> Response:
            try:
                span, count, fmt = range_query(request, required=False, limits=STORIES_LIMIT)
            except BadRequest as exc:
                return self.error(400, str(exc))
            table = story_views.blocks_table(app)
            if table is None:
                return story_views.no_stories(self)

            # the scan runs on a thread: it reads a copy taken here, on the loop, never parts
            # of a block the agent is rewriting at that moment (block_parts.snapshot)
            blocks = block_parts.snapshot(table)

            def scan() -> Rows:
                rows = [
                    columns.story_row(story)
                    for value in block_parts.heads(blocks)  # a big block is kept in parts
                    for story in canonical.canonical_events(canonical.from_json(value))
                ]
                if span is not None:
                    first, last = span.start.isoformat(), span.end.isoformat()
                    rows = [r for r in rows if r["event_date"] and first <= r["event_date"] <= last]
                return rows

            return await scanned(self, request, STORIES, table, scan, count, fmt, _range_body(span))


def _event_order(row: dict[str, Any]) -> tuple[str, str, str]:
    return (row.get("event_date") or "", row.get("published_at") or "", row.get("event_id") or "")


def _when(text: str | None) -> float:
    return datetime.fromisoformat(text).timestamp() if text else 0.0


def _arrival_order(row: dict[str, Any]) -> tuple[bool, float, float, str]:
    """Newest first: arrival time, then publication (rows from a restarted worker have no arrival time)."""
    received = row.get("received_at")
    return (received is None, -_when(received), -_when(row.get("published_at")), row.get("event_id") or "")


def _dyad_order(row: dict[str, Any]) -> tuple[str, str, str]:
    return (row["date"], row["source"], row["target"])


def _story_order(row: dict[str, Any]) -> tuple[int, float, str]:
    return (-int(row["mention_count"]), -_when(row.get("last_seen")), row["story_id"])


def _event_id(row: dict[str, Any]) -> str:
    return str(row["event_id"])


def _story_id(row: dict[str, Any]) -> str:
    return str(row["story_id"])


EVENTS = Listing("/events", "events", _event_order, _event_id, columns.EVENT_COLUMNS)
RECENT = Listing("/events/recent", "events", _arrival_order, _event_id, columns.EVENT_COLUMNS)
DYADS = Listing("/dyads", "dyads", _dyad_order, _dyad_order, columns.DYAD_DAY_COLUMNS)
STORIES = Listing("/stories", "stories", _story_order, _story_id, columns.STORY_COLUMNS)
