"""Fixtures for tests against a real Apache Kafka broker.

``make test`` starts one broker for the whole run and exports its address as
``WIREWATCH_TEST_BOOTSTRAP``; without it (plain ``pytest``) the session starts
its own broker on a free port with a temporary data dir and stops it at the end.
A broker that cannot start FAILS the tests: integration tests are never skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest

from streams.adapters.broker import LocalBroker, free_port, metadata_ok
from streams.errors import BrokerError
from streams.settings import BrokerSettings


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``"127.0.0.1:PORT"`` of a running, answering broker."""
    given = os.environ.get("WIREWATCH_TEST_BOOTSTRAP")
    if given:
        if not metadata_ok(given, timeout_s=15.0):
            pytest.fail(
                f"WIREWATCH_TEST_BOOTSTRAP={given} does not answer a Kafka metadata request", pytrace=False
            )
        yield given
        return
    broker = LocalBroker(
        BrokerSettings(),  # only home/version/heap are taken from here; port and data dir are ours
        port=free_port(),
        data_dir=tmp_path_factory.mktemp("kafka"),
    )
    try:
        broker.start()
    except BrokerError as exc:
        pytest.fail(f"could not start the local Kafka broker: {exc}", pytrace=False)
    try:
        yield broker.bootstrap
    finally:
        broker.stop()


@pytest.fixture
def unique_topic() -> Callable[[str], str]:
    """Factory of fresh topic (or group) names, so tests never see each other's records."""

    def make(prefix: str = "t") -> str:
        return f"wwtest.{prefix}.{uuid.uuid4().hex[:12]}"

    return make
