"""Flat outputs load in pandas with typed columns; PLOVER records use PLOVER's fields only."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError

from schemas import (
    Actor,
    Cameo,
    CanonicalEvent,
    DateRange,
    DiplomaticEvent,
    Evidence,
    Location,
    Plover,
    Quote,
)
from schemas.events import Modality
from schemas.plover import PloverRecord
from streams.adapters import columns, tallies, writers
from streams.adapters.plover_json import plover_json, plover_record
from streams.core import dedup


def event(
    article: str = "a1",
    *,
    code: str = "042",
    when: date | DateRange | None = date(2022, 9, 19),
    target: bool = True,
    located: bool = True,
    url: str | None = "https://news.example/a1",
    modality: Modality = Modality.ASSERTED,
) -> DiplomaticEvent:
    return DiplomaticEvent(
        event_id=f"ev-{article}-{code}",
        article_id=article,
        article_source="Meridian Wire",
        article_url=url,
        article_title="Ministers meet",
        published_at=datetime(2022, 9, 20, 6, 30, tzinfo=UTC),
        source=Actor(text="Lavrov", code="RUSGOV", country="RUS", sector="GOV", name="SERGEY_LAVROV"),
        target=Actor(text="Beijing", code="CHNGOV", country="CHN", sector="GOV") if target else None,
        cameo=Cameo(code=code, root=code[:2], name="Make a visit", goldstein=1.9, quad_class=1),
        plover=Plover(event="CONSULT", mode="visit"),
        modality=modality,
        event_date=when,
        location=Location(name="Beijing", country="CHN", lat=39.9, lon=116.4, geonameid=1816670)
        if located
        else None,
        evidence=[
            Evidence(text="Lavrov visited Beijing.", start=10, end=33, paragraph=1, trigger="visited"),
            Evidence(text="He met Wang.", start=40, end=52, paragraph=2, trigger="met"),
        ],
        quote=Quote(text="We are friends", speaker="Lavrov"),
        confidence=0.8,
        coder_version="wirewatch-coder-test",
    )


EVENTS = [
    event("a1"),
    event(
        "a2",
        code="0311",
        when=DateRange(start=date(2022, 9, 12), end=date(2022, 9, 18), text="last week"),
        target=False,
        located=False,
        url=None,
        modality=Modality.FUTURE,
    ),
    event("a3", code="190", when=None),
]


def write(fmt: str, cols: tuple[columns.Column, ...], rows: list[dict]) -> bytes:
    out = io.BytesIO()
    writer = writers.row_writer(fmt, cols, out)
    writer.write(rows)
    writer.close()
    return out.getvalue()


def read_csv(data: bytes, cols: tuple[columns.Column, ...]) -> pd.DataFrame:
    return pd.read_csv(
        io.BytesIO(data), dtype=columns.pandas_dtypes(cols), parse_dates=columns.date_columns(cols)
    )


def test_event_rows_load_typed_from_csv() -> None:
    df = read_csv(
        write("csv", columns.EVENT_COLUMNS, [columns.event_row(e) for e in EVENTS]), columns.EVENT_COLUMNS
    )
    assert list(df.columns) == columns.names(columns.EVENT_COLUMNS)
    assert list(df["cameo_code"]) == ["042", "0311", "190"]  # leading zeros kept
    assert list(df["cameo_root"]) == ["04", "03", "19"] and list(df["cameo_base"]) == ["042", "031", "190"]
    assert str(df["quad_class"].dtype) == "Int8" and str(df["geonameid"].dtype) == "Int64"
    assert df["goldstein"].dtype == "float64" and df["latitude"].isna().tolist() == [False, True, False]
    assert pd.api.types.is_datetime64_any_dtype(df["event_date"])
    assert [d.date() for d in df["event_date"]] == [date(2022, 9, 19), date(2022, 9, 12), date(2022, 9, 20)]
    assert df["event_date_end"][1].date() == date(2022, 9, 18)
    assert str(df["published_at"].dt.tz) == "UTC"
    assert list(df["url"].fillna("")) == ["https://news.example/a1", "", "https://news.example/a1"]
    assert set(df["publisher"]) == {"Meridian Wire"}
    assert df["target_code"].isna().tolist() == [False, True, False]
    assert list(df["evidence_count"]) == [2, 2, 2] and df["evidence"][0] == "Lavrov visited Beijing."
    assert list(df["modality"]) == ["asserted", "future", "asserted"]


def test_event_rows_load_typed_from_parquet_without_options(tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    path.write_bytes(write("parquet", columns.EVENT_COLUMNS, [columns.event_row(e) for e in EVENTS]))
    df = pd.read_parquet(path)
    assert list(df.columns) == columns.names(columns.EVENT_COLUMNS)
    assert list(df["cameo_code"]) == ["042", "0311", "190"]
    assert df["quad_class"].dtype == "int8" and df["goldstein"].dtype == "float64"
    assert df["evidence_start"].dtype == "int32"
    assert list(df["event_date"]) == [date(2022, 9, 19), date(2022, 9, 12), date(2022, 9, 20)]
    assert str(df["published_at"].dtype).startswith("datetime64") and str(df["published_at"].dt.tz) == "UTC"
    assert df["published_at"][0] == pd.Timestamp("2022-09-20T06:30:00Z")
    schema = pq.read_schema(path)
    assert str(schema.field("event_date").type) == "date32[day]"
    assert schema.field("cameo_code").metadata[b"description"].startswith(b"CAMEO event code")


def test_empty_outputs_still_carry_their_columns(tmp_path: Path) -> None:
    text = write("csv", columns.EVENT_COLUMNS, []).decode()
    assert text.strip() == ",".join(columns.names(columns.EVENT_COLUMNS))
    path = tmp_path / "empty.parquet"
    path.write_bytes(write("parquet", columns.STORY_COLUMNS, []))
    df = pd.read_parquet(path)
    assert len(df) == 0 and list(df.columns) == columns.names(columns.STORY_COLUMNS)


def test_dyad_day_rows_count_quads_and_roots() -> None:
    cells = tallies.article_cells([event("a1"), event("a4", code="043")])
    value: dict = {}
    for cells_of_event in cells.values():
        for table, key, entry in cells_of_event:
            if table == tallies.DYAD:
                value = tallies.apply(
                    value, {"op": tallies.UPSERT, "event_id": entry["article_id"] + key, "entry": entry}
                )
    row = columns.dyad_day_row("RUS", "CHN", tallies.day_stats(date(2022, 9, 19), value))
    assert row["events"] == 2 and row["quad_1"] == 2 and row["quad_4"] == 0 and row["root_04"] == 2
    df = read_csv(write("csv", columns.DYAD_DAY_COLUMNS, [row]), columns.DYAD_DAY_COLUMNS)
    assert df["root_04"].tolist() == [2] and str(df["root_04"].dtype) == "Int32"
    assert df["goldstein_sum"].tolist() == [3.8]


def test_story_rows_from_canonical_events() -> None:
    story: CanonicalEvent | None = None
    for e in (event("a1"), event("b1").model_copy(update={"article_source": "Harbour Post"})):
        story = dedup.merge(story, e)
    assert story is not None
    row = columns.story_row(story)
    assert row["mention_count"] == 2 and row["source_count"] == 2
    assert row["publishers"] == "Harbour Post;Meridian Wire" and row["event_date"] == "2022-09-19"
    df = read_csv(write("csv", columns.STORY_COLUMNS, [row]), columns.STORY_COLUMNS)
    assert df["mention_count"].tolist() == [2] and str(df["first_seen"].dt.tz) == "UTC"


def test_every_column_says_what_it_means_and_names_are_unique() -> None:
    for cols in columns.KINDS.values():
        assert len(set(columns.names(cols))) == len(cols)
        assert all(c.description for c in cols)
    gdelt = {c.gdelt for c in columns.EVENT_COLUMNS if c.gdelt}
    assert {
        "GLOBALEVENTID",
        "SQLDATE",
        "Actor1Code",
        "EventCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "SOURCEURL",
    } <= gdelt


# --- PLOVER -----------------------------------------------------------------------------------------

# The record fields of the PLOVER manual (draft 2.0), Table 6.1.
PLOVER_FIELDS = {
    "id",
    "has_event",
    "date",
    "time",
    "enddate",
    "endtime",
    "actor",
    "recipient",
    "event",
    "event_loc",
    "event_text",
    "quad_code",
    "event_scale",
    "mode",
    "context",
    "link",
    "text",
    "text_info",
    "cite_info",
    "coder",
    "coded_date",
    "coded_time",
    "comment",
}


def test_plover_records_validate_and_use_only_plover_fields() -> None:
    lines = [plover_json(e) for e in EVENTS]
    for line, source in zip(lines, EVENTS, strict=True):
        data = json.loads(line)
        assert set(data) <= PLOVER_FIELDS and {"id", "date", "actor", "event"} <= set(data)
        record = PloverRecord.model_validate(data)
        assert record.id == source.event_id and record.event == ["CONSULT"] and record.mode == ["visit"]
        assert record.actor[0].code == "RUS" and record.actor[0].sector == "GOV"
        assert record.actor[0].entity_text == "Lavrov" and record.actor[0].identifier_text == "SERGEY_LAVROV"
        assert record.quad_code == 1 and record.event_text == ["visited", "met"]
        assert record.link == dedup.story_id(dedup.story_key(source, window_hours=72))
    first, ranged, undated = (json.loads(line) for line in lines)
    assert first["date"] == "2022-09-19" and "enddate" not in first
    assert first["recipient"] == [{"code": "CHN", "sector": "GOV", "entity_text": "Beijing"}]
    assert first["event_loc"]["geonameid"] == 1816670 and first["event_loc"]["country_code"] == "CHN"
    assert first["cite_info"]["url"] == "https://news.example/a1"
    assert first["cite_info"]["publication"] == "Meridian Wire"
    assert first["text"] == "Lavrov visited Beijing." and first["text_info"] == {"start": 10, "end": 33}
    assert (ranged["date"], ranged["enddate"]) == ("2022-09-12", "2022-09-18")
    assert "recipient" not in ranged and "event_loc" not in ranged and ranged["comment"] == "modality: future"
    assert undated["date"] == "2022-09-20"  # no event date: the publication day, as the tables count it


def test_the_plover_model_refuses_other_vocabularies() -> None:
    good = json.loads(plover_json(EVENTS[0]))
    with pytest.raises(ValidationError):
        PloverRecord.model_validate({**good, "source": [{"code": "RUS"}]})  # CAMEO-era name, not PLOVER's
    with pytest.raises(ValidationError):
        PloverRecord.model_validate({k: v for k, v in good.items() if k != "actor"})  # required
    with pytest.raises(ValidationError):
        PloverRecord.model_validate({**good, "event": "CONSULT"})  # a list, not a string


def test_an_event_without_any_date_has_no_plover_record() -> None:
    undated = event("a9", when=None).model_copy(update={"published_at": None})
    with pytest.raises(ValueError, match="neither an event date nor a publication date"):
        plover_record(undated)


def test_parquet_is_refused_on_a_text_only_stdout_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    import contextlib

    from streams.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        status = main(["code", "-", "--format", "parquet"])
    assert status == 1
    assert capsys.readouterr().err == (
        "wirewatch: error: parquet is binary: give --output FILE or redirect stdout to a file\n"
    )


def test_binary_output_opens_the_file_or_says_why_it_cannot(tmp_path: Path) -> None:
    from streams.errors import InputError

    target = tmp_path / "rows.csv"
    with writers.binary_output(target, "csv") as out:
        out.write(b"a,b\n")
    assert target.read_bytes() == b"a,b\n"
    with pytest.raises(InputError, match=r"missing/rows\.csv: cannot write: No such file or directory"):
        writers.binary_output(tmp_path / "missing" / "rows.csv", "parquet")
