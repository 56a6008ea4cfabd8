"""The table-scan views (``streams.adapters.scans``, ``story_views``) on a served app: no broker.

Each view's rows come from this worker's table (``scope=local``: no peers asked), are
scanned by the view guard, sorted, cut to ``limit`` with ``truncated`` saying so; a
guard that refuses is a 503 with ``Retry-After``; the story views answer 404 alike
on a worker without the story agents.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import Any

import aiohttp
from agentkit import fresh_app, make_event, serve

from streams.adapters import story_views, tallies, view_guard


async def _get(session: aiohttp.ClientSession, url: str) -> tuple[int, dict[str, str], Any]:
    async with session.get(url) as response:
        text = await response.text()
        body = json.loads(text) if response.content_type == "application/json" else text
        return response.status, dict(response.headers), body


def _filed(w: Any, *events: Any) -> None:
    for event in events:  # as the tally agent files them (the table's own store: no agent running)
        for table, key, value in tallies.table_entries(event):
            if table == tallies.EVENT:
                w.event_rows.data[key] = value


def test_a_range_view_sorts_its_rows_cuts_them_to_the_limit_and_says_so() -> None:
    async def scenario() -> None:
        app, w, _ = fresh_app()
        _filed(w, *(make_event(f"a{i}", day=date(2022, 9, d)) for i, d in enumerate((21, 19, 20, 25))))
        runner, base = await serve(app)
        try:
            async with aiohttp.ClientSession() as session:
                url = f"{base}/events?from=2022-09-19&to=2022-09-21&scope=local"
                status, _, body = await _get(session, url + "&limit=2")
                assert status == 200 and (body["count"], body["truncated"]) == (2, True)
                assert [r["event_date"] for r in body["events"]] == ["2022-09-19", "2022-09-20"]
                assert (body["from"], body["to"]) == ("2022-09-19", "2022-09-21")
                status, _, body = await _get(session, url)
                assert [r["event_date"] for r in body["events"]] == ["2022-09-19", "2022-09-20", "2022-09-21"]
                assert body["truncated"] is False
                status, _, text = await _get(session, url + "&limit=2&format=csv")
                assert status == 200 and len(text.strip().splitlines()) == 3  # header and two rows
        finally:
            await runner.cleanup()

    asyncio.run(scenario())


def test_a_refusing_guard_is_a_503_with_retry_after_on_every_scan_view() -> None:
    async def scenario() -> None:
        app, _, _ = fresh_app()

        async def refuse(fn: Any, *args: Any) -> Any:
            raise view_guard.Busy("the worker is answering 10 heavy queries; retry shortly")

        view_guard.guard_of(app).run = refuse  # type: ignore[method-assign]
        runner, base = await serve(app)
        try:
            async with aiohttp.ClientSession() as session:
                for path in (
                    "/events?from=2022-09-19&scope=local",
                    "/dyads?from=2022-09-19&scope=local",
                    "/events/recent?scope=local",
                ):
                    status, headers, body = await _get(session, base + path)
                    assert status == 503, path
                    assert headers["Retry-After"] == str(view_guard.RETRY_AFTER_S)
                    assert "heavy queries" in body["error"]
        finally:
            await runner.cleanup()

    asyncio.run(scenario())


def test_both_story_views_answer_404_alike_without_the_story_agents() -> None:
    async def scenario() -> None:
        app, _, _ = fresh_app()  # create_app alone: no story agents attached
        runner, base = await serve(app)
        try:
            async with aiohttp.ClientSession() as session:
                for path in ("/stories", "/stories?from=2022-09-19", "/stories/sty-20170911f15-0123456789"):
                    status, _, body = await _get(session, base + path)
                    assert (status, body["error"]) == (404, story_views.NO_STORIES), path
        finally:
            await runner.cleanup()

    asyncio.run(scenario())
