"""Shared test configuration: the layer markers follow the folder a test lives in."""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

_LAYER_MARKERS = {"integration": pytest.mark.integration, "pipeline": pytest.mark.pipeline}
_TESTS_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # `pytest -m "not integration"` then works without every file repeating its own pytestmark
    for item in items:
        try:
            layer = Path(item.path).resolve().relative_to(_TESTS_DIR).parts[0]
        except ValueError:
            continue
        marker = _LAYER_MARKERS.get(layer)
        if marker is not None:
            item.add_marker(marker)
        if layer == "integration":
            # Ratchet (issue 13): warnings in the integration tests are shown, not errors, until the
            # harness closes what it opens (tests/integration/streamkit.py leaves worker log files
            # and a Popen of a worker still running open: ResourceWarnings found with the strict run)
            item.add_marker(pytest.mark.filterwarnings("default"))


@pytest.fixture(autouse=True)
def _close_the_event_loop_faust_made() -> Iterator[None]:
    """Close the event loop mode (faust's service library) created for a test outside a running loop.

    ``faust.App`` and its services resolve their loop with ``mode.utils.loops.get_event_loop``,
    which creates one and caches it per thread when none runs (``create_app`` in a test); nothing
    closes it, and its self-pipe sockets then surface as ResourceWarnings in whichever later test
    the garbage collector runs in, which ``filterwarnings = error`` turns into failures.
    """
    yield
    from mode.utils import loops

    loop = getattr(loops._current_loop, "loop", None)
    if loop is not None and not loop.is_running() and not loop.is_closed():
        loop.close()
        asyncio.set_event_loop(None)


def pytest_configure(config: pytest.Config) -> None:
    # a CI timeout sends SIGTERM: turn it into the KeyboardInterrupt pytest already handles, so fixture
    # teardowns still run and no broker started by a test outlives the run
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")
