"""Every former traceback or silent surprise of the CLI is now one line with a hint (no broker needed).

Each case runs ``python -m streams.cli`` as a user would, in a clean environment, and asserts
the whole of stderr: one ``wirewatch: error: …`` line (or one warning), no traceback.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from streams.adapters.broker import free_port

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "data" / "seed" / "wire-russia-china.txt"


def run(args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None,
        stdin: str = "") -> subprocess.CompletedProcess[str]:  # fmt: skip
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WIREWATCH_")}
    return subprocess.run([sys.executable, "-m", "streams.cli", *args], env={**clean, **(env or {})},
                          cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120)  # fmt: skip


def one_error_line(proc: subprocess.CompletedProcess[str], *fragments: str) -> str:
    assert proc.returncode != 0, proc
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("wirewatch: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def test_a_taken_web_port_is_one_line_before_anything_loads() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = run(["worker", "--web-port", str(port)])
    one_error_line(
        proc, f"web port {port} on 127.0.0.1 is already in use", "--web-port", "WIREWATCH_WEB__PORT"
    )
    assert proc.returncode == 2


@pytest.mark.parametrize("command", [["worker"], ["publish", str(SEED)], ["tail", "events"], ["lag"],
                                     ["code", str(SEED)], ["topics", "describe"]])  # fmt: skip
def test_a_bad_setting_names_the_variable_and_its_value(command: list[str]) -> None:
    proc = run(command, env={"WIREWATCH_NLP__BATCH_SIZE": "lots"})
    one_error_line(proc, "invalid setting WIREWATCH_NLP__BATCH_SIZE='lots'", "valid integer", "check-config")


def test_a_secret_value_is_never_echoed() -> None:
    proc = run(["check-config"], env={"WIREWATCH_KAFKA__SASL_PASSWORD": "pw", "WIREWATCH_WEB__PORT": "x"})
    line = one_error_line(proc, "WIREWATCH_WEB__PORT='x'")
    assert "pw" not in line.replace("WIREWATCH_", "")


@pytest.mark.parametrize("command", [["publish", str(SEED)], ["tail", "events"], ["lag"], ["worker"],
                                     ["topics", "create"], ["replay", "--from-beginning"]])  # fmt: skip
def test_a_bad_bootstrap_flag_is_one_line(command: list[str]) -> None:
    proc = run([*command, "--bootstrap", "127.0.0.1:abc"])
    one_error_line(proc, "--bootstrap '127.0.0.1:abc'", "the port must be a number", "HOST:PORT")


def test_a_bad_bootstrap_variable_is_one_line() -> None:
    proc = run(["tail", "events"], env={"WIREWATCH_KAFKA__BOOTSTRAP_SERVERS": "kafka"})
    one_error_line(proc, "WIREWATCH_KAFKA__BOOTSTRAP_SERVERS='kafka'", "not HOST:PORT")


def test_a_missing_model_is_one_line_with_the_setting() -> None:
    proc = run(["code", str(SEED)], env={"WIREWATCH_NLP__MODEL": "no_such_model_xyz"})
    one_error_line(proc, "spaCy model 'no_such_model_xyz' is not installed", "WIREWATCH_NLP__MODEL")


def test_unreachable_kafka_is_one_line_with_the_hint_for_every_command() -> None:
    """All at once (each waits out kafka.connect_timeout_s, 4 s, instead of kafka-python's 30 s)."""
    bootstrap = f"127.0.0.1:{free_port(1)}"  # nothing listens there
    commands = [
        ["publish", str(SEED)],
        ["tail", "events"],
        ["lag"],
        ["topics", "describe"],
        ["replay", "--from-beginning", "--dry-run"],
        ["worker", "--web-port", str(free_port(1))],
    ]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WIREWATCH_")}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "streams.cli", *c, "--bootstrap", bootstrap],
            env=clean,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for c in commands
    ]
    for command, proc in zip(commands, procs, strict=True):
        out, err = proc.communicate(timeout=120)
        result = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        one_error_line(
            result, f"cannot reach Kafka at {bootstrap} within 4 s", "wirewatch broker start", "--bootstrap"
        )
        assert command  # every command gave the same hint


def test_an_unknown_wirewatch_variable_is_warned_about_with_the_likely_name() -> None:
    proc = run(["check-config"], env={"WIREWATCH_KAFKA__BOOTSTRAP_SERVER": "x:1", "WIREWATCH_COLOUR": "1"})
    assert proc.returncode == 0
    assert sorted(proc.stderr.splitlines()) == [
        "wirewatch: warning: WIREWATCH_COLOUR is not a wirewatch setting and is ignored "
        "(`wirewatch check-config` lists the settings)",
        "wirewatch: warning: WIREWATCH_KAFKA__BOOTSTRAP_SERVER is not a wirewatch setting and is ignored "
        "(did you mean WIREWATCH_KAFKA__BOOTSTRAP_SERVERS?)",
    ]
    # a whole group as JSON is a setting too; so is the test fixtures' variable
    proc = run(["check-config"], env={"WIREWATCH_WEB": '{"port": 7000}', "WIREWATCH_TEST_BOOTSTRAP": "a:1"})
    assert proc.returncode == 0 and proc.stderr == ""


def test_one_setting_moves_the_local_broker_and_every_client() -> None:
    proc = run(["check-config"], env={"WIREWATCH_BROKER__PORT": "9192"})
    assert '"bootstrap_servers": "127.0.0.1:9192"' in proc.stdout
    proc = run(["check-config"], env={"WIREWATCH_BROKER__PORT": "9192",
                                      "WIREWATCH_KAFKA__BOOTSTRAP_SERVERS": "kafka:9092"})  # fmt: skip
    assert '"bootstrap_servers": "kafka:9092"' in proc.stdout  # a named cluster wins


@pytest.mark.parametrize("name", ["feed.csv", "feed.xml"])
def test_an_unsupported_input_is_refused_by_name(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("id,title\na,b\n")
    proc = run(["code", "--quiet", str(path)])
    assert proc.returncode == 1 and proc.stdout == ""
    suffix = path.suffix
    assert proc.stderr.splitlines() == [
        f"wirewatch: {path}: unsupported input format {suffix!r}: wirewatch reads .jsonl/.ndjson, "
        ".json (array or objects), .txt/.text/.md, any of them as .gz, or - (stdin)"
    ]
