"""LocalBroker's checks that need no Java process: clear one-line errors, safe pid handling."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from streams.adapters.broker import LocalBroker, _megabytes, _port_free, free_port
from streams.errors import BrokerError
from streams.settings import BrokerSettings


@pytest.fixture
def no_tools_path(tmp_path, monkeypatch):
    """A PATH with neither java nor mvn on it."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return empty


def test_java_missing_is_one_line(tmp_path, no_tools_path):
    broker = LocalBroker(BrokerSettings(), port=free_port(), data_dir=tmp_path / "k")
    with pytest.raises(BrokerError) as info:
        broker.start()
    assert "Java not found on PATH" in str(info.value)
    assert "\n" not in str(info.value)


def test_maven_missing_is_one_line_when_jars_are_not_cached(tmp_path, no_tools_path):
    broker = LocalBroker(BrokerSettings(), home=tmp_path / "empty-cache", data_dir=tmp_path / "k")
    with pytest.raises(BrokerError) as info:
        broker.ensure_jars()
    assert "Maven (mvn) not found on PATH" in str(info.value)
    assert "\n" not in str(info.value)


def test_port_taken_is_detected_before_anything_starts(tmp_path, monkeypatch):
    java_dir = tmp_path / "bin"
    java_dir.mkdir()
    fake_java = java_dir / "java"  # only found by shutil.which; never run because the port check fails first
    fake_java.write_text("#!/bin/sh\nexit 99\n")
    fake_java.chmod(0o755)
    monkeypatch.setenv("PATH", str(java_dir))
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert not _port_free(port)
        broker = LocalBroker(BrokerSettings(), port=port, data_dir=tmp_path / "k", home=tmp_path / "cache")
        with pytest.raises(BrokerError) as info:
            broker.start()
    assert str(info.value).startswith(f"port {port} on 127.0.0.1 is already in use")
    assert "\n" not in str(info.value)
    assert not (tmp_path / "cache").exists()  # failed before fetching anything


def test_pid_file_of_a_foreign_process_is_never_signalled(tmp_path):
    broker = LocalBroker(BrokerSettings(), port=free_port(), data_dir=tmp_path / "k")
    broker.data_dir.mkdir(parents=True)
    broker.pid_file.write_text(f"{os.getpid()}\n")  # a live pid that is not a broker (pid reuse)
    assert broker.status().running is False
    assert broker.stop().startswith("broker not running")
    assert not broker.pid_file.exists()


def test_explicit_port_moves_the_controller_with_it(tmp_path):
    b = LocalBroker(BrokerSettings(port=9092, controller_port=9999), port=20000, data_dir=tmp_path)
    assert (b.port, b.controller_port, b.bootstrap) == (20000, 20001, "127.0.0.1:20000")
    b = LocalBroker(BrokerSettings(port=9092), data_dir=tmp_path)
    assert b.controller_port == 9093
    b = LocalBroker(BrokerSettings(port=9092, controller_port=9999), data_dir=tmp_path)
    assert b.controller_port == 9999


def test_jar_cache_is_per_version_under_home(tmp_path):
    b = LocalBroker(BrokerSettings(kafka_version="3.9.2"), home=tmp_path / "h", data_dir=tmp_path / "d")
    assert b.libs_dir == tmp_path / "h" / "kafka-3.9.2" / "libs"
    assert not b.jars_present()


@pytest.mark.parametrize("heap, mb", [("512m", 512), ("1g", 1024), ("1G", 1024), ("262144k", 256)])
def test_heap_sizes(heap, mb):
    assert _megabytes(heap) == mb


def test_free_port_gives_two_consecutive_free_ports():
    p = free_port()
    assert _port_free(p) and _port_free(p + 1)


def test_cli_without_java_prints_one_line_and_fails(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    proc = subprocess.run(
        [sys.executable, "-m", "streams.cli", "broker", "start", "--port", str(free_port()),
         "--data-dir", str(tmp_path / "k")],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith("wirewatch: error: Java not found on PATH")
    assert "Traceback" not in proc.stderr


def test_only_kafka_3_9_is_supported_by_the_pom(tmp_path):
    broker = LocalBroker(
        BrokerSettings(kafka_version="4.1.0"), home=tmp_path / "cache", data_dir=tmp_path / "k"
    )
    with pytest.raises(BrokerError, match="3.9.x only"):
        broker.ensure_jars()


def test_integration_tests_fail_rather_than_skip_without_a_broker(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "WIREWATCH_TEST_BOOTSTRAP"}
    env["PATH"] = str(empty)  # no java: the kafka_bootstrap fixture cannot start a broker
    target = Path(__file__).resolve().parents[1] / "integration" / "test_kafka_roundtrip.py"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(target)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout
    assert "1 error" in proc.stdout and "skipped" not in proc.stdout
    assert "could not start the local Kafka broker: Java not found on PATH" in proc.stdout
