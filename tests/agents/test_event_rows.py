"""The events table and the newest-events feed, fed by the tally agent; the web server's own behaviour.

The web part serves the app's aiohttp application on a real port (no broker needed:
these views answer from configuration and the page's files).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
from agentkit import RuleCoder, fresh_app, serve
from test_agents import article, run_ledger, run_process, run_tally

from streams.adapters import tallies
from streams.settings import AppSettings, Settings, TopicSettings, WebSettings


def test_events_table_holds_each_events_flat_row_once_and_a_recoding_removes_it() -> None:
    class Upgraded(RuleCoder):
        version = "rule-2"

    async def scenario() -> None:
        _, w, sent = fresh_app()
        await run_process(w, [article("a1", "042:RUS>CHN 190:CHN>USA")] * 2)  # redelivered
        await run_ledger(w, sent, times=2)
        await run_tally(w, sent.on("tally_topic"))
        rows = {key: w.event_rows.get(key) for key in w.event_rows.keys()}
        assert len(rows) == 2 and all(key.startswith("2022-09-19|") for key in rows)
        assert {row["cameo_code"] for row in rows.values()} == {"042", "190"}
        assert {row["publisher"] for row in rows.values()} == {"test wire"}
        feed = w.recent.latest(10)
        assert len(feed) == 2 and {r["event_id"] for r in feed} == {r["event_id"] for r in rows.values()}
        assert all(r["received_at"] for r in feed)

        sent.records.clear()
        w.coder = Upgraded()
        await run_process(w, [article("a1", "043:RUS>CHN")])
        await run_ledger(w, sent)
        await run_tally(w, sent.on("tally_topic"))
        rows = {key: w.event_rows.get(key) for key in w.event_rows.keys()}
        assert [row["cameo_code"] for row in rows.values()] == ["043"]
        assert [r["cameo_code"] for r in w.recent.latest(10)] == ["043"]  # retracted events leave the feed

    asyncio.run(scenario())


def _settings(internal: bool) -> Settings:
    return Settings(
        app=AppSettings(id="wwtest-web", store="memory://"),
        topics=TopicSettings(partitions=1),
        web=WebSettings(internal_views=internal),
    )


async def _serve(internal: bool) -> tuple[aiohttp.web.AppRunner, str]:
    from streams.adapters.faust_app import create_app

    return await serve(create_app(_settings(internal), coder=RuleCoder()))


async def _get(session: aiohttp.ClientSession, url: str, method: str = "GET") -> tuple[int, str, Any]:
    async with session.request(method, url) as response:
        text = await response.text()
        try:
            body = json.loads(text)
        except json.JSONDecodeError:
            body = text
        return response.status, response.content_type, body


def test_errors_are_json_and_faust_internal_views_are_off_by_default() -> None:
    async def scenario() -> None:
        runner, base = await _serve(internal=False)
        try:
            async with aiohttp.ClientSession() as session:
                for path in ("/nope", "/router/", "/table/", "/graph/", "/assignment/"):
                    status, kind, body = await _get(session, base + path)
                    assert (status, kind) == (404, "application/json"), path
                    assert body["error"].startswith("no such view") and body["status"] == 404
                status, kind, body = await _get(session, base + "/healthz", method="POST")
                assert status == 405 and kind == "application/json" and "not allowed" in body["error"]
                status, kind, page = await _get(session, base + "/")
                assert status == 200 and kind == "text/html" and "/ui/app.js" in page
                for asset, expected in (("app.js", "application/javascript"), ("app.css", "text/css")):
                    status, kind, _ = await _get(session, f"{base}/ui/{asset}")
                    assert (status, kind) == (200, expected)
                status, _, body = await _get(session, base + "/ui/secrets.txt")
                assert status == 404 and "no such asset" in body["error"]
                status, _, body = await _get(session, base + "/events?from=2022-09-19&form=x")
                assert status == 400 and "unknown query parameter 'form'" in body["error"]
        finally:
            await runner.cleanup()

    asyncio.run(scenario())


def test_a_setting_turns_faust_internal_views_on() -> None:
    async def scenario() -> None:
        runner, base = await _serve(internal=True)
        try:
            async with aiohttp.ClientSession() as session:
                status, kind, body = await _get(session, base + "/router/")
                assert status == 200 and kind == "application/json" and isinstance(body, dict)
                status, _, _ = await _get(session, base + "/table/")
                assert status == 200
                status, kind, _ = await _get(session, base + "/")  # our page keeps '/'
                assert status == 200 and kind == "text/html"
        finally:
            await runner.cleanup()

    asyncio.run(scenario())


def test_table_entries_of_an_undated_event_are_filed_as_undated() -> None:
    from agentkit import make_event

    undated = make_event("u", day=None).model_copy(update={"published_at": None})
    keys = [key for table, key, _ in tallies.table_entries(undated) if table == tallies.EVENT]
    assert keys == [f"undated|{undated.event_id}"]
