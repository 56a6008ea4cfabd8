"""Retention windows of the ledger and story tables: which keys expire at time T (issue 12)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

from streams.adapters import retention, trimming
from streams.settings import Settings

T = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_an_entry_older_than_the_window_expires_and_one_inside_it_stays():
    found = retention.expiry(
        [
            ("old", T - timedelta(days=31)),
            ("edge", T - timedelta(days=30)),
            ("new", T - timedelta(hours=1)),
            ("now", T),
        ],
        days=30,
        wall=T,
    )
    assert found.now == T and found.cutoff == T - timedelta(days=30)
    assert found.expired == ["old"]  # exactly at the cutoff stays
    assert found.unstamped == []


def test_the_clock_is_the_newest_time_held_so_an_archive_keeps_its_latest_days():
    archive = [
        ("a", datetime(2017, 9, 1, tzinfo=UTC)),
        ("b", datetime(2017, 10, 20, tzinfo=UTC)),
        ("c", datetime(2017, 11, 1, tzinfo=UTC)),
    ]
    found = retention.expiry(archive, days=30, wall=T)
    assert found.now == datetime(2017, 11, 1, tzinfo=UTC)
    assert found.expired == ["a"]


def test_the_clock_never_runs_ahead_of_the_wall_clock():
    future = T + timedelta(days=400)  # a mis-dated article must not expire everything else
    found = retention.expiry([("future", future), ("today", T - timedelta(days=2))], days=30, wall=T)
    assert found.now == T and found.expired == []


def test_zero_days_keeps_everything_and_entries_without_a_time_are_reported():
    pairs = [("old", T - timedelta(days=3000)), ("legacy", None), ("new", T)]
    assert retention.expiry(pairs, days=0, wall=T).expired == []
    found = retention.expiry(pairs, days=30, wall=T)
    assert found.expired == ["old"] and found.unstamped == ["legacy"]
    assert retention.expiry([("legacy", None)], days=30, wall=T) == retention.Expiry(unstamped=["legacy"])


def test_an_article_counts_from_its_publication_else_its_newest_event_day_else_its_coding():
    published = datetime(2022, 9, 20, 8, 30, tzinfo=UTC)
    days = [date(2022, 9, 19), None, date(2022, 9, 21)]
    assert retention.article_time(published, days, coded_at=T) == published
    assert retention.article_time(None, days, coded_at=T) == datetime(2022, 9, 21, tzinfo=UTC)
    assert retention.article_time(None, [None], coded_at=T) == T


def test_a_block_ends_after_its_days_and_the_undated_block_has_no_end():
    assert retention.block_end("2017-09-11/f15", block_days=7) == datetime(2017, 9, 18, tzinfo=UTC)
    assert retention.block_end("undated", block_days=7) is None
    assert retention.block_end("not-a-day/f1", block_days=7) is None
    cutoff = datetime(2017, 9, 18, 0, 0, 1, tzinfo=UTC)
    assert retention.block_expired("2017-09-11/f15", cutoff, block_days=7)
    assert not retention.block_expired("2017-09-18/f15", cutoff, block_days=7)
    assert not retention.block_expired("undated", cutoff, block_days=7)


def test_the_agent_checks_again_before_it_deletes():
    cutoff = T - timedelta(days=30)
    old = {"events": {}, retention.AT: retention.iso(T - timedelta(days=40))}
    assert retention.ledger_expired(old, cutoff)
    recoded = {**old, retention.AT: retention.iso(T)}  # re-coded with a new time since the pass
    assert not retention.ledger_expired(recoded, cutoff)
    assert not retention.ledger_expired({**old, "pending": {}}, cutoff)  # half-way through its parts
    assert not retention.ledger_expired({"events": {}}, cutoff)  # no time yet: stamped first
    assert not retention.ledger_expired(None, cutoff)


def test_retention_messages_round_trip_through_json_values():
    trim = retention.trim_message(T)
    assert retention.is_retention(trim) and retention.cutoff_of(trim) == T
    stamp = retention.stamp_message(T)
    assert retention.stamp_of(stamp) == T and retention.cutoff_of(stamp) is None
    assert not retention.is_retention({"article_id": "a", "events": {}})
    assert retention.parse_time("2022-09-20") == datetime(2022, 9, 20, tzinfo=UTC)
    assert retention.parse_time("2022-09-20T10:00:00") == datetime(2022, 9, 20, 10, tzinfo=UTC)
    assert retention.parse_time("soon") is None and retention.parse_time(None) is None


class Sent:
    def __init__(self) -> None:
        self.messages: list[tuple[Any, Any]] = []

    async def send(self, *, key: Any, value: Any) -> None:
        self.messages.append((key, value))


class Wired:
    def __init__(self, ledger: dict[str, Any]) -> None:
        self.ledger = ledger
        self.ledger_topic = Sent()
        self.sinks = {"watch": Sent()}


def test_a_pass_asks_the_owner_to_forget_expired_articles_and_to_stamp_legacy_ones():
    w = Wired(
        {
            "old": {"events": {}, retention.AT: retention.iso(T - timedelta(days=45))},
            "new": {"events": {}, retention.AT: retention.iso(T - timedelta(days=1))},
            "legacy": {"events": {}},
        }
    )
    found = asyncio.run(trimming.trim_ledger(object(), w, days=30, wall=T))
    assert found.expired == ["old"] and found.unstamped == ["legacy"]
    assert w.ledger_topic.messages == [
        ("old", retention.trim_message(T - timedelta(days=31))),
        ("legacy", retention.stamp_message(T)),
    ]
    for key, message in w.ledger_topic.messages:
        asyncio.run(trimming.on_ledger_message(w, key, message))
    assert set(w.ledger) == {"new", "legacy"}
    assert w.ledger["legacy"][retention.AT] == retention.iso(T)
    assert w.sinks["watch"].messages == [("old", retention.trim_message(T - timedelta(days=31)))]
    again = asyncio.run(trimming.on_ledger_message(w, "old", retention.trim_message(T)))  # repeated
    assert again is False and set(w.ledger) == {"new", "legacy"}


def test_a_pass_over_the_story_blocks_forgets_blocks_whose_days_ended_before_the_window():
    blocks = {"2026-10-01/f1": {}, "2026-11-26/f1": {}, "undated": {}}
    topic = Sent()
    found = asyncio.run(trimming.trim_blocks(object(), blocks, topic, days=30, block_days=7, wall=T))
    assert found.expired == ["2026-10-01/f1"]
    for key, message in topic.messages:
        assert trimming.on_block_message(blocks, key, message, block_days=7)
    assert set(blocks) == {"2026-11-26/f1", "undated"}


def test_a_block_kept_in_parts_is_forgotten_with_its_parts_and_a_part_is_never_a_block():
    key = "2026-10-01/f1"
    blocks: dict[str, Any] = {
        key: {"block": key, "parts": 2},
        f"{key}|part0/2": {"members": {}, "links": []},
        f"{key}|part1/2": {"members": {}, "links": []},
        "2026-11-30/f1": {},
    }
    topic = Sent()
    found = asyncio.run(trimming.trim_blocks(object(), blocks, topic, days=30, block_days=7, wall=T))
    assert found.expired == [key]  # one message for the block, none for its parts
    assert not trimming.on_block_message(blocks, f"{key}|part0/2", topic.messages[0][1], block_days=7)
    assert trimming.on_block_message(blocks, key, topic.messages[0][1], block_days=7)
    assert set(blocks) == {"2026-11-30/f1"}


def test_the_default_windows_are_thirty_days_and_can_be_set_from_the_environment(monkeypatch):
    assert Settings().retention.ledger_days == 30 and Settings().retention.stories_days == 30
    monkeypatch.setenv("WIREWATCH_RETENTION__LEDGER_DAYS", "7")
    monkeypatch.setenv("WIREWATCH_RETENTION__STORIES_DAYS", "0")
    settings = Settings()
    assert settings.retention.ledger_days == 7 and settings.retention.stories_days == 0
