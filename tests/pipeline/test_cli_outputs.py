"""``wirewatch code --format csv|parquet|plover`` on the sample wire (real model), loaded as analysts do."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from schemas import DiplomaticEvent, RawArticle
from schemas.plover import PloverRecord
from streams.adapters import columns
from streams.cli import main

pytestmark = pytest.mark.pipeline

SAMPLE = Path(__file__).resolve().parents[2] / "streams" / "sample" / "sample-wire.jsonl"
ARTICLES = {
    r.id: r
    for r in (
        RawArticle.model_validate_json(line)
        for line in SAMPLE.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
}


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("outputs")
    paths = {fmt: out / f"events.{fmt}" for fmt in ("jsonl", "csv", "parquet", "plover")}
    for fmt, path in paths.items():
        assert main(["code", str(SAMPLE), "--format", fmt, "--output", str(path)]) == 0
    return paths


def test_every_event_names_its_article_url_and_outlet(coded: dict[str, Path]) -> None:
    events = [DiplomaticEvent.model_validate_json(line) for line in coded["jsonl"].read_text().splitlines()]
    assert len(events) >= 15
    for e in events:
        raw = ARTICLES[e.article_id]
        assert (e.article_url, e.article_source) == (raw.url, raw.source)
        assert e.article_title
    assert sum(e.article_url is not None for e in events) > len(events) / 2  # all but the seed have URLs


def test_csv_and_parquet_hold_the_same_typed_rows(coded: dict[str, Path]) -> None:
    events = [DiplomaticEvent.model_validate_json(line) for line in coded["jsonl"].read_text().splitlines()]
    cols = columns.EVENT_COLUMNS
    from_csv = pd.read_csv(
        coded["csv"], dtype=columns.pandas_dtypes(cols), parse_dates=columns.date_columns(cols)
    )
    from_parquet = pd.read_parquet(coded["parquet"])
    for df in (from_csv, from_parquet):
        assert list(df.columns) == columns.names(cols)
        assert list(df["event_id"]) == [e.event_id for e in events]
        assert list(df["cameo_code"]) == [e.cameo.code for e in events]
        assert list(df["publisher"]) == [e.article_source for e in events]
        assert df["goldstein"].dtype == "float64"
        assert str(df["published_at"].dt.tz) == "UTC"
    assert from_parquet["quad_class"].dtype == "int8" and str(from_csv["quad_class"].dtype) == "Int8"
    assert list(from_csv["url"].fillna("")) == [e.article_url or "" for e in events]
    assert [d.date() for d in from_csv["event_date"]] == list(from_parquet["event_date"])


def test_plover_lines_validate(coded: dict[str, Path]) -> None:
    events = [DiplomaticEvent.model_validate_json(line) for line in coded["jsonl"].read_text().splitlines()]
    lines = coded["plover"].read_text().splitlines()
    records = [PloverRecord.model_validate(json.loads(line)) for line in lines]
    assert [r.id for r in records] == [e.event_id for e in events]
    assert all(
        r.event == [e.plover.event] and r.quad_code == e.cameo.quad_class
        for r, e in zip(records, events, strict=True)
    )
    assert [r.cite_info.publication if r.cite_info else None for r in records] == [
        e.article_source for e in events
    ]
    assert [r.cite_info.url if r.cite_info else None for r in records] == [e.article_url for e in events]
