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
    code = main(
        ["bench", "pipeline", str(source), "--limit", "3", "--repeat", "1", "--batch-size", "2"]
    )
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
