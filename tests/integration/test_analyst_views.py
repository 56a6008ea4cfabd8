"""The views and `wirewatch export` on a real worker and broker: every output loads in pandas, typed.

One worker codes the sample wire; the test then reads it the ways an analyst would:
the JSON and CSV views, their errors, and the three exports as CSV and Parquet.
"""

from __future__ import annotations

import io
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamkit import StreamEnv, Worker, encode, http_get, poll, publish, sample_articles

from streams.adapters import columns, tallies
from streams.adapters.nlp import load_coder
from streams.core import canonical

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]


class Coded:
    def __init__(self, worker: Worker, events: list, env: StreamEnv) -> None:
        self.worker, self.events, self.env = worker, events, env
        self.ids = {e.event_id for e in events}
        days = sorted(d.isoformat() for e in events if (d := tallies.event_day(e)))
        self.first, self.last = days[0], days[-1]


@pytest.fixture(scope="module")
def coded(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Coded]:
    env = StreamEnv(kafka_bootstrap, tmp_path_factory.mktemp("analyst-views"))
    env.create_topics()
    raws = sample_articles()
    events = [e for o in load_coder().process_batch(raws) for e in o.events]
    worker = Worker(env).start()
    try:
        worker.wait_healthy()
        publish(kafka_bootstrap, env.topics["raw"], (encode(raw) for raw in raws))
        state = Coded(worker, events, env)
        # the sample's events span more than one view range (one is dated 2019): export reads them all
        poll(
            lambda: export_ids(state) == state.ids or None,
            timeout_s=180,
            what="every event in the events table",
        )
        yield state
    finally:
        code = worker.stop()
        assert code == 0, worker.log_tail()


def export(
    state: Coded, kind: str, fmt: str, path: Path, start: str, end: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "streams.cli",
            "export",
            kind,
            "--from",
            start,
            "--to",
            end,
            "--format",
            fmt,
            "--output",
            str(path),
            "--url",
            state.worker.url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=state.env.env(),
    )


def export_ids(state: Coded) -> set[str]:
    path = state.env.tmp / "poll.csv"
    done = export(state, "events", "csv", path, state.first, state.last)
    assert done.returncode == 0, done.stderr
    return set(pd.read_csv(path, dtype=columns.pandas_dtypes(columns.EVENT_COLUMNS))["event_id"])


def get_text(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers.get_content_type(), response.read().decode("utf-8")


def test_exports_load_in_pandas_with_typed_columns(coded: Coded) -> None:
    tmp = coded.env.tmp
    for kind in ("events", "dyads", "stories"):
        cols = columns.KINDS[kind]
        for fmt in ("csv", "parquet"):
            path = tmp / f"{kind}.{fmt}"
            done = export(coded, kind, fmt, path, coded.first, coded.last)
            assert done.returncode == 0, done.stderr
            assert "exported " in done.stderr and kind in done.stderr
            df = (
                pd.read_parquet(path)
                if fmt == "parquet"
                else pd.read_csv(
                    path, dtype=columns.pandas_dtypes(cols), parse_dates=columns.date_columns(cols)
                )
            )
            assert list(df.columns) == columns.names(cols), (kind, fmt)
            assert len(df) > 0
            if kind == "events":
                assert set(df["event_id"]) == coded.ids
                by_id = {e.event_id: e for e in coded.events}
                assert all(df["cameo_code"][i] == by_id[df["event_id"][i]].cameo.code for i in range(len(df)))
                assert df["goldstein"].dtype == "float64" and str(df["published_at"].dt.tz) == "UTC"
                assert df["url"].notna().sum() == sum(e.article_url is not None for e in coded.events)
            if kind == "dyads":
                cells = [
                    key for e in coded.events for t, key, _ in tallies.table_entries(e) if t == tallies.DYAD
                ]
                assert int(df["events"].sum()) == len(cells)
                assert (df["quad_1"] + df["quad_2"] + df["quad_3"] + df["quad_4"] == df["events"]).all()
            if kind == "stories":
                expected = {s.story_id for s in canonical.cluster(coded.events)}
                assert set(df["story_id"]) == expected
                assert df["mention_count"].max() == 2  # the sample's two-outlet story


def test_views_honour_limit_range_and_csv(coded: Coded) -> None:
    url = coded.worker.url
    status, body = http_get(f"{url}/events?from=2022-09-01&to=2022-09-30&limit=2")
    assert status == 200 and body["count"] == 2 and body["truncated"] is True
    assert [r["event_date"] for r in body["events"]] == sorted(r["event_date"] for r in body["events"])
    day = "2022-09-22"
    status, body = http_get(f"{url}/events?from={day}")
    assert status == 200 and body["events"] and {r["event_date"] for r in body["events"]} == {day}
    kind, text = get_text(f"{url}/events?from={day}&format=csv")
    assert kind == "text/csv"
    df = pd.read_csv(io.StringIO(text), dtype=columns.pandas_dtypes(columns.EVENT_COLUMNS))
    assert set(df["event_id"]) == {r["event_id"] for r in body["events"]}

    status, stories = http_get(f"{url}/stories?limit=3")
    counts = [s["mention_count"] for s in stories["stories"]]
    assert status == 200 and len(counts) == 3 and counts == sorted(counts, reverse=True) and counts[0] == 2

    status, timeline = http_get(f"{url}/actors/RUS/events?limit=1")
    assert status == 200 and timeline["count"] == 1
    status, timeline = http_get(f"{url}/actors/RUS/events?from=2022-09-19&to=2022-09-19")
    assert status == 200 and timeline["count"] >= 1
    assert {e["date"] for e in timeline["events"]} == {"2022-09-19"}
    kind, text = get_text(f"{url}/actors/RUS/events?format=csv")
    header = ",".join(columns.names(columns.ACTOR_TIMELINE_COLUMNS))
    assert kind == "text/csv" and text.splitlines()[0] == header
    kind, text = get_text(f"{url}/dyads/RUS/CHN?from=2022-09-12&to=2022-09-20&format=csv")
    series = pd.read_csv(io.StringIO(text), parse_dates=["date"])
    assert kind == "text/csv" and len(series) == 9 and series["events"].sum() > 0


def test_errors_say_what_is_wrong_in_json(coded: Coded) -> None:
    url = coded.worker.url
    status, body = http_get(f"{url}/actors/XXQ/events")
    assert status == 404 and "unknown actor code 'XXQ'" in body["error"] and body["code"] == "XXQ"
    status, body = http_get(f"{url}/no/such/view")
    assert status == 404 and body["error"].startswith("no such view")
    for internal in ("/router/", "/table/"):
        status, body = http_get(url + internal)
        assert status == 404 and "no such view" in body["error"]
    status, body = http_get(f"{url}/dyads/RUS/CHN?from=2022-09-19&bogus=1")
    assert status == 400 and "'bogus'" in body["error"]
    status, body = http_get(f"{url}/events?from=2022-09-19&limit=100000")
    assert status == 400 and "limit must be between 1 and" in body["error"]
    status, body = http_get(f"{url}/events?from=2019-01-01&to=2022-09-30")  # a fixed span, whatever the dates
    assert status == 400 and "at most 366 days" in body["error"]
    status, body = http_get(f"{url}/stories?format=xlsx")
    assert status == 400 and "format must be one of json, csv" in body["error"]
