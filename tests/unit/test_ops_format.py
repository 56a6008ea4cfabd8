"""``wirewatch tail`` lines and ``replay`` times: pure formatting and parsing, no broker."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from schemas import Actor, Cameo, DateRange, DeadLetter, DiplomaticEvent, Evidence, Plover, RawArticle
from schemas.alerts import Alert
from streams.adapters.ops_admin import parse_time
from streams.adapters.pretty import format_record
from streams.core.dedup import merge
from streams.errors import ConfigError


def seed_event(**kw: object) -> DiplomaticEvent:
    base = dict(
        event_id="ev-1",
        article_id="a1",
        article_source="Al Jazeera",
        published_at=datetime(2022, 9, 20, tzinfo=UTC),
        source=Actor(text="Patrushev", code="RUSGOV", country="RUS"),
        target=Actor(text="Guo Shengkun", code="CHNGOV", country="CHN"),
        cameo=Cameo(code="043", root="04", name="Host a visit", goldstein=2.8, quad_class=1),
        plover=Plover(event="CONSULT"),
        event_date=date(2022, 9, 19),
        evidence=[
            Evidence(
                text="On September 19, Patrushev made the comments during a meeting with Guo Shengkun, "
                "a top official of China's Communist Party.",
                start=0,
                end=10,
            )
        ],
        confidence=0.9,
        coder_version="t",
    )
    base.update(kw)
    return DiplomaticEvent(**base)  # type: ignore[arg-type]


def line(record: object, **kw: str) -> str:
    return format_record(record.model_dump_json().encode(), **kw)  # type: ignore[attr-defined]


def test_event_line() -> None:
    text = line(seed_event())
    assert text.startswith('2022-09-19 RUSGOV → CHNGOV 043 CONSULT "On September 19, Patrushev made')
    assert text.endswith('…"') and len(text) < 120


def test_event_with_range_and_without_target() -> None:
    ev = seed_event(event_date=DateRange(start=date(2022, 9, 12), end=date(2022, 9, 18)), target=None)
    assert line(ev).startswith("2022-09-12..2022-09-18 RUSGOV → - 043 CONSULT")
    undated = seed_event(event_date=None)
    assert line(undated).startswith("2022-09-20 RUSGOV")  # falls back to the publication date


def test_canonical_line() -> None:
    story = merge(
        merge(None, seed_event()), seed_event(event_id="ev-2", article_id="a2", article_source="Xinhua")
    )
    text = line(story)
    assert text.startswith("2022-09-19 RUSGOV → CHNGOV 043 CONSULT ×2 [Al Jazeera, Xinhua] sty-")


def test_alert_dead_letter_and_article_lines() -> None:
    alert = Alert(
        alert_id="a",
        rule="r",
        kind="watch",
        severity="high",
        event_ids=["e"],
        message="r: RUSGOV -> CHNGOV 043",
        created_at=datetime(2022, 9, 20, tzinfo=UTC),
    )
    assert line(alert) == "ALERT HIGH r: RUSGOV -> CHNGOV 043"
    dead = DeadLetter(
        original_b64="",
        topic="raw",
        partition=0,
        offset=7,
        stage="decode",
        error_code="DL001",
        message="not JSON",
        failed_at=datetime(2022, 9, 20, tzinfo=UTC),
    )
    assert line(dead) == "DEAD DL001 decode raw[0]@7: not JSON"
    raw = RawArticle(id="x", source="Wire", title="Title", published_at=datetime(2022, 9, 20, tzinfo=UTC))
    assert line(raw) == '2022-09-20 [Wire] x "Title"'
    # what `publish` wrote without schema_id is still recognised on the raw topic
    assert format_record(b'{"id": "y", "body": "text"}', topic_alias="raw") == '---------- [-] y "text"'


def test_garbage_does_not_break_tail() -> None:
    assert format_record(b"\xff\xfe{").startswith("<not JSON, 3 bytes>")
    assert format_record(None) == "<tombstone>"
    assert format_record(b"[1, 2]") == "[1, 2]"


def test_parse_time() -> None:
    now = datetime(2022, 9, 20, 12, tzinfo=UTC)
    assert parse_time("2022-09-20") == datetime(2022, 9, 20, tzinfo=UTC)
    assert parse_time("2022-09-20T06:00:00Z") == datetime(2022, 9, 20, 6, tzinfo=UTC)
    assert parse_time("2022-09-20T06:00:00+02:00").utcoffset() == timedelta(hours=2)
    assert parse_time("2h", now=now) == now - timedelta(hours=2)
    assert parse_time("7d", now=now) == now - timedelta(days=7)
    with pytest.raises(ConfigError, match="cannot read time"):
        parse_time("yesterday-ish")


def test_event_set_line() -> None:
    from schemas import EventSet

    record = EventSet(
        article_id="art-1",
        revision="rev-2",
        coder_version="coder-b",
        event_ids=["e3"],
        retracts=["e1", "e2"],
        supersedes="rev-1",
        superseded_versions=["coder-a"],
    )
    line = format_record(record.model_dump_json().encode())
    assert line == "SET art-1 coder-b: 1 event(s), 2 retracted, supersedes rev-1"
