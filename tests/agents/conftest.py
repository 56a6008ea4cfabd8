"""Agent tests: what faust opened for a test's never-started apps is closed after the test."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _close_the_event_loops_faust_opened() -> Iterator[None]:
    """Close every event loop a test left open and idle.

    ``agent.test_context()`` and ``app.consumer`` make the app's consumer, whose aiokafka
    thread service gets an event loop of its own when created (``mode.threads.ServiceThread``);
    the app never starts, so nothing closes it, and its sockets surface later as
    ResourceWarnings, which ``filterwarnings = error`` makes failures of whichever test runs then.
    """
    yield
    closed = False
    for obj in gc.get_objects():
        if isinstance(obj, asyncio.AbstractEventLoop) and not obj.is_running() and not obj.is_closed():
            obj.close()
            closed = True
    if closed:  # the next test's faust app then makes a new loop instead of finding a closed one
        asyncio.set_event_loop(None)
