"""`wirewatch bench pipeline` runs end to end on bundled articles and reports sane numbers.

A smoke test, not a timed test: it checks the report's shape and that every
rate is a positive number, never how fast anything is.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from streams.cli import main

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = [ROOT / "streams" / "sample", ROOT / "tests" / "data" / "seed"]

pytestmark = pytest.mark.pipeline


def _bundled_input() -> Path:
    present = [p for p in BUNDLED if p.is_dir() and (any(p.glob("*.jsonl")) or any(p.glob("*.txt")))]
    assert present, f"no bundled articles in {BUNDLED}"
    return present[0]


def test_bench_pipeline_reports_positive_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    source = _bundled_input()
    code = main(["bench", "pipeline", str(source), "--limit", "3", "--repeat", "1", "--batch-size", "2"])
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert "articles/s" in "\n".join(lines[:-1]), "a human table precedes the JSON line"
    result = json.loads(lines[-1])

    for key in (
        "baseline_articles_per_s",
        "pipeline_articles_per_s",
        "baseline_words_per_s",
        "pipeline_words_per_s",
        "ratio",
        "peak_rss_mb",
    ):
        value = result[key]
        assert isinstance(value, float) and math.isfinite(value) and value > 0, (key, value)
    assert 1 <= result["n"] <= 3
    assert result["batch_size"] == 2
    assert result["model"]
    assert result["versions"]["spacy"]
    assert result["stage_seconds"], "Outcome.timings were collected"
    assert all(v >= 0 for v in result["stage_seconds"].values())
    assert result["ratio"] == pytest.approx(
        result["pipeline_articles_per_s"] / result["baseline_articles_per_s"]
    )


def test_bench_pipeline_with_two_processes(capsys: pytest.CaptureFixture[str]) -> None:
    source = _bundled_input()
    args = ["bench", "pipeline", str(source), "--limit", "4", "--repeat", "1", "--batch-size", "1"]
    assert main([*args, "--processes", "2"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["processes"] == 2
    # the pool codes what one process codes, and both were timed in the same round
    assert result["events"] > 0 and len(result["one_process_seconds"]) == 1
    assert result["speedup_vs_1_process"] > 0 and result["ratio_cpu"] > 0
    assert all(v is not None and v > 0 for v in result["pool_peak_rss_mb"])
