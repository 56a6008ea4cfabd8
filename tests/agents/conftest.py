"""Agent tests: the apps ``agentkit.fresh_app`` made are let go of cleanly after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from agentkit import made_apps


@pytest.fixture(autouse=True)
def _close_what_faust_opened_for_the_test() -> Iterator[None]:
    """Close the event loop of each never-started consumer thread faust made for a test's app.

    ``agent.test_context()`` makes the app's consumer, whose aiokafka thread service gets an
    event loop of its own when created (``mode.threads.ServiceThread``); the app never starts,
    so nothing closes it, and its sockets surface as ResourceWarnings (errors here) later.
    """
    yield
    while made_apps:
        app = made_apps.pop()
        consumer = app._consumer
        thread = getattr(consumer, "_thread", None)
        loop = getattr(thread, "thread_loop", None)
        if loop is not None and not loop.is_running() and not loop.is_closed():
            loop.close()
