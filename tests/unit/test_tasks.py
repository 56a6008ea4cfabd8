"""The task runner and CI entry point: the targets the README promises exist and CI only runs `make test`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_help_lists_the_promised_targets():
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    listed = {line.split()[1] for line in out.splitlines() if line.strip().startswith("make ")}
    assert {"install", "broker", "broker-stop", "test", "run", "lint"} <= listed


def test_ci_runs_make_test_and_nothing_else():
    script = ROOT / ".ci" / "run"
    assert os.access(script, os.X_OK)
    lines = [ln.strip() for ln in script.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines[0] == "set -euo pipefail"
    assert lines[-1] == "make test"
    assert all(ln.startswith(("set ", "cd ")) for ln in lines[:-1])


def test_test_script_stops_the_broker_on_every_exit():
    text = (ROOT / "deploy" / "test.sh").read_text()
    assert "trap cleanup EXIT" in text
    assert "broker stop" in text.split("cleanup()", 1)[1].split("}", 1)[0]
    assert "WIREWATCH_TEST_BOOTSTRAP" in text
