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
import re
from datetime import date
from typing import TYPE_CHECKING, Any

import faust
from faust.exceptions import NotReady, SameNode
from faust.web import Request, Response, View
from yarl import URL

from streams.adapters import tallies

if TYPE_CHECKING:
    from streams.adapters.faust_app import Wiring

MAX_RANGE_DAYS = 366
_CODE = re.compile(r"^[A-Za-z0-9]{2,30}$")
_PEER_TIMEOUT_S = 10.0


class BadRequest(Exception):
    pass


def _code(value: str, what: str) -> str:
    if not _CODE.match(value):
        raise BadRequest(f"{what} must be an actor code of 2-30 letters or digits, got {value!r}")
    return value.upper()


def _day(value: str | None, what: str) -> date:
    if not value:
        raise BadRequest(f"query parameter {what!r} is required (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise BadRequest(f"{what}={value!r} is not a date (YYYY-MM-DD)") from exc


def _flag(request: Request, name: str) -> bool:
    return request.query.get(name, "").lower() in {"1", "true", "yes"}


def _ident(url: URL) -> tuple[str, int]:
    return (url.host or "", int(url.port or 80))


def register(app: faust.App, w: Wiring) -> None:
    async def routable(table: Any) -> None:
        """Make sure the producer knows the partitions of the table's changelog topic.

        faust routes a key with the producer's partitioner, which reads the producer's
        metadata; a topic the producer has not (recently) written to is missing from it,
        and faust's router then fails with a TypeError (seen on a fresh `make run` a few
        minutes after start). Asking for the topic's partitions fetches it.
        """
        producer = app.producer._ensure_producer()  # faust's aiokafka driver: the AIOKafkaProducer
        await producer.partitions_for(table.changelog_topic.get_topic_name())

    def owner(table_name: str, key: str) -> URL | None:
        """The web URL of the worker holding ``key``; None when that worker is this one."""
        url = app.router.key_store(table_name, key)
        return None if _ident(url) == _ident(URL(str(app.conf.canonical_url))) else url

    def local_days(source: str, target: str, days: list[date], with_ids: bool) -> list[dict[str, Any]]:
        return [tallies.day_stats(d, w.dyads.get(tallies.dyad_key(source, target, d)), with_ids=with_ids)
                for d in days]

    async def peer_days(
        url: URL, source: str, target: str, days: list[date], with_ids: bool
    ) -> list[dict[str, Any]]:
        query = {"days": ",".join(d.isoformat() for d in days)}
        if with_ids:
            query["ids"] = "1"
        target_url = url.with_path(f"/dyads/{source}/{target}/local").with_query(query)
        async with app.http_client.get(target_url, timeout=_PEER_TIMEOUT_S) as response:
            response.raise_for_status()
            body = await response.json()
        return list(body["days"])

    @app.page("/dyads/{source}/{target}")
    class DyadSeries(View):
        """``GET /dyads/RUS/CHN?from=2022-09-19&to=2022-09-20[&ids=1]``: the daily series of a dyad."""

        async def get(self, request: Request, source: str, target: str) -> Response:
            try:
                src, tgt = _code(source, "source"), _code(target, "target")
                start = _day(request.query.get("from"), "from")
                end = _day(request.query.get("to") or request.query.get("from"), "to")
                if end < start:
                    raise BadRequest("'to' is before 'from'")
                days = tallies.days_between(start, end)
                if len(days) > MAX_RANGE_DAYS:
                    raise BadRequest(f"a range covers at most {MAX_RANGE_DAYS} days, asked {len(days)}")
            except BadRequest as exc:
                return self.error(400, str(exc))
            with_ids = _flag(request, "ids")
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
                    *(peer_days(url, src, tgt, ds, with_ids) for url, ds in theirs.items()))
            except Exception as exc:  # noqa: BLE001 - any peer failure is one 502 with its reason
                return self.error(502, f"a peer worker did not answer: {type(exc).__name__}: {exc}")
            for part in parts:
                series.extend(part)
            series.sort(key=lambda point: point["date"])
            return self.json({
                "source": src,
                "target": tgt,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "total_events": sum(point["events"] for point in series),
                "days": series,
            })

    @app.page("/dyads/{source}/{target}/local")
    class DyadLocalDays(View):
        """Peer-to-peer: the listed days of a dyad from this worker's own table partitions."""

        async def get(self, request: Request, source: str, target: str) -> Response:
            try:
                src, tgt = _code(source, "source"), _code(target, "target")
                days = [_day(text, "days") for text in request.query.get("days", "").split(",") if text]
                if len(days) > MAX_RANGE_DAYS:
                    raise BadRequest(f"at most {MAX_RANGE_DAYS} days")
            except BadRequest as exc:
                return self.error(400, str(exc))
            return self.json({"days": local_days(src, tgt, days, _flag(request, "ids"))})

    @app.page("/actors/{code}/events")
    class ActorTimeline(View):
        """``GET /actors/RUS/events``: the latest events of an actor code, latest first."""

        async def get(self, request: Request, code: str) -> Response:
            try:
                key = _code(code, "code")
            except BadRequest as exc:
                return self.error(400, str(exc))
            try:
                await routable(w.actors)
                return await app.router.route_req(w.actors.name, key, self.web, request)
            except SameNode:
                pass
            except (KeyError, NotReady):
                return self.error(503, "partitions are not assigned yet (worker starting or rebalancing)")
            events = tallies.timeline(w.actors.get(key))
            return self.json({"code": key, "count": len(events), "events": events})

    @app.page("/healthz")
    class Health(View):
        """``GET /healthz``: 200 once the worker has input partitions and is not rebalancing, else 503.

        "Not rebalancing" matters: faust skips and acknowledges records that reach a
        stream while its flow is suspended for a rebalance, so a readiness probe that
        lets traffic in during recovery invites loss (seen in the two-worker test).
        """

        async def get(self, request: Request) -> Response:
            assigned = sorted(f"{tp.topic}:{tp.partition}" for tp in app.assignor.assigned_actives()
                              if tp.topic == w.raw.get_topic_name())
            ready = bool(assigned) and not app.rebalancing and app.flow_control.is_active()
            body = {
                "status": "ok" if ready else ("rebalancing" if assigned else "starting"),
                "app": app.conf.id,
                "url": str(app.conf.canonical_url),
                "input_partitions": assigned,
                "coder_version": getattr(w.coder, "version", None) or _coder_version(),
            }
            return self.json(body, status=200 if ready else 503)


def _coder_version() -> str | None:
    try:
        from streams.core.pipeline import CODER_VERSION
    except ImportError:
        return None
    return str(CODER_VERSION)
