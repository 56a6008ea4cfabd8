"""CLI surprises that need a real broker: publish to a typo'd topic, `make run` on someone else's broker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from kafka import KafkaAdminClient

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "streams" / "sample" / "sample-wire.jsonl"


def run(args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WIREWATCH_")}
    return subprocess.run([sys.executable, "-m", "streams.cli", *args], env={**clean, **(env or {})},
                          cwd=cwd, capture_output=True, text=True, timeout=120)  # fmt: skip


def topics(bootstrap: str) -> set[str]:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        return set(admin.list_topics())
    finally:
        admin.close()


def test_publish_refuses_a_topic_that_does_not_exist_unless_create(kafka_bootstrap, unique_topic) -> None:
    typo = unique_topic("raww")
    proc = run(["publish", "--no-progress", "--bootstrap", kafka_bootstrap, "--topic", typo, str(SAMPLE)])
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    [line] = proc.stderr.splitlines()
    assert line.startswith(f"wirewatch: error: topic {typo!r} does not exist on {kafka_bootstrap}")
    assert "--create" in line and "raw, clean, events" in line
    assert typo not in topics(kafka_bootstrap)  # nothing was created behind the user's back

    proc = run(["publish", "--no-progress", "--create", "--bootstrap", kafka_bootstrap, "--topic", typo,
                str(SAMPLE)], env={"WIREWATCH_TOPICS__PARTITIONS": "3"})  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [
        f"created topic {typo} (3 partitions, replication 1)",
        f"published 6 article(s) to {typo}",
    ]
    assert typo in topics(kafka_bootstrap)


def test_make_run_refuses_a_broker_it_did_not_start_and_says_whose(kafka_bootstrap, tmp_path) -> None:
    port = kafka_bootstrap.rsplit(":", 1)[1]
    # from a folder whose data/kafka holds no broker, the test broker on that port is someone else's
    proc = run(["broker", "ensure"], env={"WIREWATCH_BROKER__PORT": port}, cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    [line] = proc.stderr.splitlines()
    assert line.startswith(
        f"wirewatch: error: port {port} is taken by a broker (or service) that `make run` did not start: pid "
    )
    assert "kafka.Kafka" in line  # whose it is: the broker's process, as /proc shows it
    assert "WIREWATCH_BROKER__PORT=" in line
    assert f"WIREWATCH_KAFKA__BOOTSTRAP_SERVERS={kafka_bootstrap}" in line
    assert not (tmp_path / "data").exists()  # no broker of its own was started on the side

    # naming that broker on purpose is fine
    named = {"WIREWATCH_KAFKA__BOOTSTRAP_SERVERS": kafka_bootstrap}
    proc = run(["broker", "ensure"], env=named, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (
        f"using the Kafka cluster WIREWATCH_KAFKA__BOOTSTRAP_SERVERS names: {kafka_bootstrap}"
    )
