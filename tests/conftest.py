"""Shared test configuration: the layer markers follow the folder a test lives in."""

from __future__ import annotations

import signal
import threading
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


def pytest_configure(config: pytest.Config) -> None:
    # kafka-python 3.0 loads its protocol schemas with the legacy importlib.resources API: ~200 warnings
    # per run that are not ours and would bury the ones that are
    for message in ("read_text is deprecated", "open_text is deprecated"):
        config.addinivalue_line("filterwarnings", f"ignore:{message}:DeprecationWarning")
    # a CI timeout sends SIGTERM: turn it into the KeyboardInterrupt pytest already handles, so fixture
    # teardowns still run and no broker started by a test outlives the run
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")
