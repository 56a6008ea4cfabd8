"""HTTP views on the Faust web server: JSON answers from the tables, from any worker.

A table key lives on one worker (the one assigned its partition). An actor's
timeline is one key, so its request is forwarded whole to that worker (faust's
router, the mechanism behind ``app.table_route``). A dyad's daily series spans
one key per day (``SRC|TGT|YYYY-MM-DD``), so the view groups the days by owning
worker, reads its own share locally and asks each other worker for its share
through ``/dyads/{source}/{target}/local``.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import TYPE_CHECKING, Any

import faust
from aiohttp import ClientTimeout
from faust.exceptions import NotReady, SameNode
from faust.web import Request, Response, View
from yarl import URL

from streams.adapters import (
    actor_timeline,
    columns,
    faust_patches,
    page,
    scans,
    story_views,
    tallies,
    web_setup,
)
from streams.adapters import http_query as q
from streams.adapters.http_query import MAX_RANGE_DAYS, BadRequest

if TYPE_CHECKING:
    from streams.adapters.wiring import Wiring

__all__ = ["MAX_RANGE_DAYS", "BadRequest", "register"]

_PEER_TIMEOUT_S = 10.0
# The actor table keeps this many events per code (faust_app.ACTOR_TIMELINE_LIMIT).
ACTOR_LIMIT = 50


def _ident(url: URL) -> tuple[str, int]:
    return (url.host or "", int(url.port or 80))


def register(app: faust.App, w: Wiring) -> None:
    web_setup.install(app, w.settings.web)

    async def routable(table: Any) -> None:
        """Make sure the producer knows the partitions of the table's changelog topic.

        faust routes a key with the producer's partitioner, which reads the producer's
        metadata; a topic the producer has not (recently) written to is missing from it,
        and faust's router then fails with a TypeError (seen on a fresh `make run` a few
        minutes after start). Asking for the topic's partitions fetches it.
        """
        await faust_patches.ensure_partitions_known(app, table.changelog_topic.get_topic_name())

    def owner(table_name: str, key: str) -> URL | None:
        """The web URL of the worker holding ``key``; None when that worker is this one."""
        url = app.router.key_store(table_name, key)
        return None if _ident(url) == _ident(URL(str(app.conf.canonical_url))) else url

    def local_days(source: str, target: str, days: list[date], with_ids: bool) -> list[dict[str, Any]]:
        return [
            tallies.day_stats(d, w.dyads.get(tallies.dyad_key(source, target, d)), with_ids=with_ids)
            for d in days
        ]

    async def peer_days(
        url: URL, source: str, target: str, days: list[date], with_ids: bool
    ) -> list[dict[str, Any]]:
        query = {"days": ",".join(d.isoformat() for d in days)}
        if with_ids:
            query["ids"] = "1"
        target_url = url.with_path(f"/dyads/{source}/{target}/local").with_query(query)
        async with app.http_client.get(target_url, timeout=ClientTimeout(total=_PEER_TIMEOUT_S)) as response:
            response.raise_for_status()
            body = await response.json()
        return list(body["days"])

    @app.page("/dyads/{source}/{target}")
    class DyadSeries(View):
        """``GET /dyads/RUS/CHN?from=2022-09-19&to=2022-09-20[&ids=1][&format=csv]``: a daily series."""

        async def get(self, request: Request, source: str, target: str) -> Response:
            try:
                q.unknown_parameters(request.query, {"from", "to", "ids", "format"})
                src, tgt = q.code(source, "source"), q.code(target, "target")
                span = q.date_range(request.query, required=True)
                assert span is not None
                start, end = span.start, span.end
                days = tallies.days_between(start, end)
                fmt = q.output_format(request.query)
            except BadRequest as exc:
                return self.error(400, str(exc))
            with_ids = q.flag(request.query, "ids")
            mine: list[date] = []
            theirs: dict[URL, list[date]] = {}
            try:
                await routable(w.dyads)
                for d in days:
                    url = owner(w.dyads.name, tallies.dyad_key(src, tgt, d))
                    if url is None:
                        mine.append(d)
                    else:
                        theirs.setdefault(url, []).append(d)
            except (KeyError, NotReady):
                return self.error(503, "partitions are not assigned yet (worker starting or rebalancing)")
            series = local_days(src, tgt, mine, with_ids)
            try:
                parts = await asyncio.gather(
                    *(peer_days(url, src, tgt, ds, with_ids) for url, ds in theirs.items())
                )
            except Exception as exc:  # noqa: BLE001 - any peer failure is one 502 with its reason
                return self.error(502, f"a peer worker did not answer: {type(exc).__name__}: {exc}")
            for part in parts:
                series.extend(part)
            series.sort(key=lambda point: point["date"])
            rows = [columns.dyad_day_row(src, tgt, point) for point in series]
            return q.answer(
                self,
                fmt,
                {
                    "source": src,
                    "target": tgt,
                    "from": start.isoformat(),
                    "to": end.isoformat(),
                    "total_events": sum(point["events"] for point in series),
                    "days": series,
                },
                rows,
                columns.DYAD_DAY_COLUMNS,
            )

    @app.page("/dyads/{source}/{target}/local")
    class DyadLocalDays(View):
        """Peer-to-peer: the listed days of a dyad from this worker's own table partitions."""

        async def get(self, request: Request, source: str, target: str) -> Response:
            try:
                src, tgt = q.code(source, "source"), q.code(target, "target")
                days = [q.day(text, "days") for text in request.query.get("days", "").split(",") if text]
                if len(days) > MAX_RANGE_DAYS:
                    raise BadRequest(f"at most {MAX_RANGE_DAYS} days")
            except BadRequest as exc:
                return self.error(400, str(exc))
            return self.json({"days": local_days(src, tgt, days, q.flag(request.query, "ids"))})

    @app.page("/actors/{code}/events")
    class ActorTimeline(View):
        """``GET /actors/RUS/events[?limit=N][&from=…&to=…][&format=csv]``: an actor's latest events.

        The actor table keeps the latest 50 events per code; ``/events?from=…`` has them all.
        A code nothing was ever filed under is a 404 that says so.
        """

        async def get(self, request: Request, code: str) -> Response:
            try:
                q.unknown_parameters(request.query, {"limit", "from", "to", "format"})
                key = q.code(code, "code")
                span = q.date_range(request.query, required=False)
                count = q.limit(request.query, default=ACTOR_LIMIT, maximum=ACTOR_LIMIT)
                fmt = q.output_format(request.query)
            except BadRequest as exc:
                return self.error(400, str(exc))
            try:
                await routable(w.actors)
                return await app.router.route_req(w.actors.name, key, self.web, request)
            except SameNode:
                pass
            except (KeyError, NotReady):
                return self.error(503, "partitions are not assigned yet (worker starting or rebalancing)")
            value = w.actors.get(key)
            if value is None:
                return self.error(
                    404,
                    f"unknown actor code {key!r}: no event has been filed under it "
                    "(codes are CAMEO actor codes such as RUSGOV, or countries "
                    "such as RUS)",
                    code=key,
                )
            events = actor_timeline.timeline(value, w.actor_entries, key)
            if span is not None:
                first, last = span.start.isoformat(), span.end.isoformat()
                events = [e for e in events if e.get("date") and first <= e["date"] <= last]
            events = events[:count]
            rows = [columns.actor_timeline_row(e) for e in events]
            return q.answer(
                self,
                fmt,
                {"code": key, "count": len(events), "events": events},
                rows,
                columns.ACTOR_TIMELINE_COLUMNS,
            )

    @app.page("/healthz")
    class Health(View):
        """``GET /healthz``: 200 once the worker has input partitions and is not rebalancing, else 503.

        Also 503 (``"status": "unhealthy"`` with ``problems``) when the broker has not answered
        for 15 s or records wait while no agent made progress for 180 s (``streams.adapters.health``).

        "Not rebalancing" matters: faust skips and acknowledges records that reach a
        stream while its flow is suspended for a rebalance, so a readiness probe that
        lets traffic in during recovery invites loss (seen in the two-worker test).
        """

        async def get(self, request: Request) -> Response:
            assigned = sorted(
                f"{tp.topic}:{tp.partition}"
                for tp in app.assignor.assigned_actives()
                if tp.topic == w.raw.get_topic_name()
            )
            ready = bool(assigned) and not app.rebalancing and app.flow_control.is_active()
            problems = (
                w.health.problems(last_progress=w.progress.last)
                if w.health is not None and w.progress is not None
                else []
            )
            status = "ok" if ready else ("rebalancing" if assigned else "starting")
            if problems:  # the broker gone, or the coding stuck (issue 12)
                ready, status = False, "unhealthy"
            body = {
                "status": status,
                "problems": problems,
                "app": app.conf.id,
                "url": str(app.conf.canonical_url),
                "input_partitions": assigned,
                "coder_version": getattr(w.coder, "version", None) or _coder_version(),
            }
            return self.json(body, status=200 if ready else 503)

    scans.register(app, w)
    story_views.register(app)
    page.register(app, w)


def _coder_version() -> str | None:
    try:
        from streams.core.pipeline import CODER_VERSION
    except ImportError:
        return None
    return str(CODER_VERSION)
