"""`LocalBroker` start/stop on its own port and data dir (separate from the session broker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.adapters.broker import LocalBroker, free_port, metadata_ok
from streams.errors import BrokerError
from streams.settings import BrokerSettings

pytestmark = pytest.mark.integration


def processes_using(data_dir: Path) -> list[int]:
    """Pids whose command line mentions ``data_dir`` (the broker's properties file lives there)."""
    needle = str(data_dir).encode()
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if needle in (proc / "cmdline").read_bytes():
                pids.append(int(proc.name))
        except OSError:
            continue  # exited while we looked
    return pids


def test_start_is_idempotent_and_stop_leaves_nothing(tmp_path):
    broker = LocalBroker(BrokerSettings(), port=free_port(), data_dir=tmp_path / "kafka")
    try:
        first = broker.start()
        pid = broker.status().pid
        assert first.startswith("broker started")
        assert metadata_ok(broker.bootstrap)

        second = broker.start()
        assert second.startswith("broker already running")
        assert broker.status().pid == pid  # no second JVM
        assert processes_using(broker.data_dir) == [pid]
        cluster_id = broker.cluster_id_file.read_text()

        # the same data dir asked for on another port: reported, not a second broker
        elsewhere = LocalBroker(BrokerSettings(), port=free_port(), data_dir=broker.data_dir)
        assert elsewhere.status().bootstrap == broker.bootstrap
        with pytest.raises(BrokerError, match=f"already runs on port {broker.port}, not {elsewhere.port}"):
            elsewhere.start()
    finally:
        broker.stop()

    assert processes_using(broker.data_dir) == []
    assert not broker.pid_file.exists()
    status = broker.status()
    assert not status.running and not status.ready
    assert broker.stop().startswith("broker not running")

    # a restart reuses the formatted storage (same cluster id) and answers again
    try:
        assert broker.start().startswith("broker started")
        assert broker.cluster_id_file.read_text() == cluster_id
        assert metadata_ok(broker.bootstrap)
    finally:
        broker.stop()
    assert processes_using(broker.data_dir) == []


def test_port_taken_by_a_running_broker_is_one_clear_line(tmp_path):
    port = free_port()
    first = LocalBroker(BrokerSettings(), port=port, data_dir=tmp_path / "a")
    other = LocalBroker(BrokerSettings(), port=port, data_dir=tmp_path / "b")
    try:
        first.start()
        with pytest.raises(BrokerError) as info:
            other.start()
    finally:
        first.stop()
    message = str(info.value)
    assert "\n" not in message
    assert f"port {port} on 127.0.0.1 is already in use" in message
    assert processes_using(other.data_dir) == []


def test_start_timeout_kills_the_half_started_broker(tmp_path):
    settings = BrokerSettings(start_timeout_s=0.5)  # far less than a JVM needs
    broker = LocalBroker(settings, port=free_port(), data_dir=tmp_path / "kafka")
    with pytest.raises(BrokerError) as info:
        broker.start()
    first_line = str(info.value).splitlines()[0]
    assert "not ready after" in first_line or "exited during start-up" in first_line
    assert str(broker.log_file) in first_line
    assert processes_using(broker.data_dir) == []
