"""Repeated log lines are rate-limited with a count; a bad HTTP request is one line (issue 12)."""

from __future__ import annotations

import asyncio
import logging
from collections import namedtuple
from types import SimpleNamespace

from aiohttp.http_exceptions import LineTooLong

from streams.adapters import health, quiet_logs


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def record(
    msg: str = "cannot reach %s", level: int = logging.ERROR, name: str = "aiokafka"
) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, ("node 1",), None)


def test_a_burst_passes_then_lines_are_dropped_and_counted():
    clock = Clock()
    flt = quiet_logs.RateLimit(window_s=30, burst=5, clock=clock)
    passed = [flt.filter(record()) for _ in range(2000)]
    assert passed.count(True) == 5
    clock.now = 31
    summary = record()
    assert flt.filter(summary)
    assert "1995 more like this" in summary.getMessage() and "node 1" in summary.getMessage()


def test_different_messages_and_info_lines_are_not_limited():
    flt = quiet_logs.RateLimit(window_s=30, burst=1, clock=Clock())
    assert flt.filter(record("a %s")) and flt.filter(record("b %s"))
    assert all(flt.filter(record("c %s", level=logging.INFO)) for _ in range(100))


def test_a_bad_http_request_is_one_line_without_traceback():
    try:
        raise LineTooLong("GET /" + "x" * 10_000, "8190")
    except LineTooLong as exc:
        rec = logging.LogRecord(
            "aiohttp.server",
            logging.ERROR,
            __file__,
            1,
            "Error handling request",
            (),
            (type(exc), exc, exc.__traceback__),
        )
    assert quiet_logs.RateLimit(clock=Clock()).filter(rec)
    assert rec.exc_info is None and rec.levelno == logging.WARNING
    assert (
        rec.getMessage().startswith("bad HTTP request refused: LineTooLong") and len(rec.getMessage()) < 300
    )


def test_health_problems():
    h = health.Health(broker_ok_at=100.0, started=0.0)
    assert h.problems(last_progress=100.0, now=110.0) == []
    assert "broker unreachable" in h.problems(last_progress=100.0, now=120.0)[0]
    h = health.Health(broker_ok_at=500.0, behind=True)
    assert h.problems(last_progress=100.0, now=500.0)[0].startswith("processing stuck")
    h.behind = False
    assert h.problems(last_progress=100.0, now=500.0) == []


class _Client:
    def __init__(self) -> None:
        self.asked = 0

    async def fetch_all_metadata(self) -> None:
        self.asked += 1


TP = namedtuple("TP", "topic partition")  # as faust's TP


class _Consumer:
    def assignment(self) -> set[TP]:
        return {TP("raw", 0), TP("other", 0)}

    async def highwaters(self, *tps: TP) -> dict[TP, int]:
        return dict.fromkeys(tps, 7)


class _App:
    """What the probe reads: a version-checked app (``faust_patches.install``), its producer and consumer."""

    _wirewatch_patched = True

    def __init__(self, client: _Client | None) -> None:
        self.producer = SimpleNamespace(_producer=None if client is None else SimpleNamespace(client=client))
        self.consumer = _Consumer()


def test_the_health_probe_asks_the_broker_through_faust_patches():
    h = health.Health()
    asyncio.run(health.probe(_App(None), h, {"raw"}, lambda tp: 7))
    assert h.broker_ok_at is None
    assert h.broker_error == "ConnectionError: the worker's producer has not started"
    client = _Client()
    asyncio.run(health.probe(_App(client), h, {"raw"}, lambda tp: 3))
    assert client.asked == 1 and h.broker_ok_at is not None and h.broker_error is None
    assert h.behind  # committed 3 < end 7 on the consumed partition
    asyncio.run(health.probe(_App(client), h, {"raw"}, lambda tp: 7))
    assert not h.behind


def test_the_health_probe_refuses_an_app_whose_versions_were_not_checked():
    app = _App(_Client())
    app._wirewatch_patched = False
    h = health.Health()
    asyncio.run(health.probe(app, h, {"raw"}, lambda tp: 0))
    assert h.broker_error is not None and h.broker_error.startswith("NotChecked: ")
