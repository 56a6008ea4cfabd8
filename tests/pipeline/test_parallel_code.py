"""``wirewatch code --processes N``: the output of one process, line for line, from forked coders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from streams.cli import main

ROOT = Path(__file__).resolve().parents[2]
INPUTS = [str(ROOT / "streams" / "sample" / "sample-wire.jsonl"), str(ROOT / "tests" / "data" / "seed")]


def _code(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[list[str], str]:
    assert main(["code", *INPUTS, "--published-at", "2022-09-20", "--batch-size", "2", *extra]) == 0
    out, err = capsys.readouterr()
    return out.splitlines(), err


def test_two_processes_give_the_same_lines_in_the_same_order(capsys: pytest.CaptureFixture[str]) -> None:
    one, err_one = _code(capsys)
    two, err_two = _code(capsys, "--processes", "2")
    assert len(one) > 10, "the sample wire and the seed yield events"
    assert two == one
    # the closing summary counts the same articles and events
    count = re.compile(r"coded (\d+) article\(s\) from (\d+) file\(s\) → (\d+) event\(s\)")
    assert count.search(err_two).groups() == count.search(err_one).groups()


def test_processes_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["code", *INPUTS, "--processes", "0"])
    assert "--processes" in capsys.readouterr().err
