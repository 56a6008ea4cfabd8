"""The views' query parameters: every bad value is a clear 400 message, nothing is ignored silently."""

from __future__ import annotations

from datetime import date

import pytest

from streams.adapters import http_query as q
from streams.adapters.http_query import BadRequest


def test_a_range_defaults_its_end_to_its_start_and_is_bounded() -> None:
    span = q.date_range({"from": "2022-09-19"}, required=True)
    assert span is not None and (span.start, span.end, span.days) == (date(2022, 9, 19), date(2022, 9, 19), 1)
    assert q.date_range({}, required=False) is None
    with pytest.raises(BadRequest, match="'from' is required"):
        q.date_range({}, required=True)
    with pytest.raises(BadRequest, match="before"):
        q.date_range({"from": "2022-09-19", "to": "2022-09-18"}, required=True)
    with pytest.raises(BadRequest, match="at most 366 days, asked 367"):
        q.date_range({"from": "2022-01-01", "to": "2023-01-02"}, required=True)
    with pytest.raises(BadRequest, match="to='yesterday' is not a date"):
        q.date_range({"from": "2022-09-19", "to": "yesterday"}, required=True)
    with pytest.raises(BadRequest, match="'from' is required"):  # a lone 'to' is not a range
        q.date_range({"to": "2022-09-19"}, required=False)


def test_limit_format_and_unknown_parameters() -> None:
    assert q.limit({}, default=20, maximum=50) == 20 and q.limit({"limit": "7"}, default=20, maximum=50) == 7
    cases = (("0", "between 1 and 50"), ("51", "between 1 and 50"), ("ten", "not a whole number"))
    for bad, message in cases:
        with pytest.raises(BadRequest, match=message):
            q.limit({"limit": bad}, default=20, maximum=50)
    assert q.output_format({}) == "json" and q.output_format({"format": "CSV"}) == "csv"
    with pytest.raises(BadRequest, match="format must be one of json, csv, got 'xlsx'"):
        q.output_format({"format": "xlsx"})
    q.unknown_parameters({"from": "x"}, {"from", "to"})
    with pytest.raises(BadRequest, match=r"unknown query parameter 'form' \(this view takes: from, to\)"):
        q.unknown_parameters({"form": "2022-09-19"}, {"from", "to"})


def test_actor_codes() -> None:
    assert q.code("rusgov", "code") == "RUSGOV"
    assert q.code("---COP", "code") == "---COP"  # as the coder stores hyphen-padded codes (issue 12)
    with pytest.raises(BadRequest):
        q.code("---", "code")
    with pytest.raises(BadRequest, match="2-30 letters, digits or hyphens"):
        q.code("RUS GOV", "code")
