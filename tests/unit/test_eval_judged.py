"""Rates of a judged sample (streams.commands.eval_judged): Wilson intervals and confidence bands."""

from __future__ import annotations

import pytest

from streams.commands.eval_judged import judged_rates, wilson


def test_wilson_interval_brackets_the_rate():
    lo, hi = wilson(14, 20)
    assert lo < 0.7 < hi
    assert wilson(0, 0) == (0.0, 0.0)
    assert wilson(10, 10)[1] == pytest.approx(1.0)


def test_rates_failures_and_bands():
    verdicts = [
        {"event_id": "a", "event_ok": True, "type_ok": True, "fully_correct": True, "confidence": 0.8},
        {
            "event_id": "b",
            "event_ok": True,
            "type_ok": False,
            "fully_correct": False,
            "failure": "wrong_root",
            "confidence": 0.55,
        },
        {
            "event_id": "c",
            "event_ok": False,
            "fully_correct": False,
            "failure": "not_event:metaphor,wrong_root",
        },
    ]
    out = judged_rates(verdicts, {"c": 0.3})
    assert out["rates"]["event_ok"]["k"] == 2 and out["rates"]["fully_correct"]["rate"] == pytest.approx(
        0.333
    )
    assert out["failures"] == {"wrong_root": 2, "not_event:metaphor": 1}
    bands = {b["band"]: (b["n"], b["fully_correct"]) for b in out["confidence_bands"]}
    assert bands["0.0-0.5"] == (1, 0) and bands["0.5-0.6"] == (1, 0) and bands["0.7-1.0"] == (1, 1)
