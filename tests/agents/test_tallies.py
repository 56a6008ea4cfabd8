"""Table arithmetic of the streaming worker: idempotent, exact, replaceable."""

from __future__ import annotations

from datetime import date

from agentkit import make_event

from streams.adapters import tallies


def apply_all(updates: list[dict], tables: dict[str, dict]) -> None:
    for update in updates:
        table = tables.setdefault(update["table"], {})
        limit = 2 if update["table"] == tallies.ACTOR else None
        table[update["key"]] = tallies.apply(table.get(update["key"]), update, limit=limit)


def test_event_day_prefers_the_event_date_then_the_publication_day() -> None:
    assert tallies.event_day(make_event("a", day=date(2022, 9, 19))) == date(2022, 9, 19)
    assert tallies.event_day(make_event("a", day=None)) == date(2022, 9, 20)


def test_table_entries_file_an_event_under_its_dyad_day_and_every_actor_code() -> None:
    cells = tallies.table_entries(make_event("a"))
    assert [(table, key) for table, key, _ in cells] == [
        ("dyad", "RUS|CHN|2022-09-19"),
        ("actor", "RUSGOV"),
        ("actor", "RUS"),
        ("actor", "CHNGOV"),
        ("actor", "CHN"),
        ("event", f"2022-09-19|{make_event('a').event_id}"),
    ]
    row = cells[-1][2]
    assert row["event_id"] == make_event("a").event_id and row["cameo_code"] == "042"
    assert row["publisher"] == "test wire" and row["event_date"] == "2022-09-19"


def test_applying_the_same_updates_again_changes_nothing() -> None:
    events = [make_event("a", code="042"), make_event("a", code="051", goldstein=3.4)]
    ledger, updates = tallies.ledger_update(None, tallies.article_cells(events))
    once: dict[str, dict] = {}
    apply_all(updates, once)
    _, again = tallies.ledger_update(ledger, tallies.article_cells(events))
    assert again == updates  # a redelivered article re-sends the same idempotent updates
    twice = {name: dict(table) for name, table in once.items()}
    apply_all(again + updates, twice)
    assert twice == once
    stats = tallies.day_stats(date(2022, 9, 19), once["dyad"]["RUS|CHN|2022-09-19"])
    assert stats["events"] == 2 and stats["by_root"] == {"04": 1, "05": 1} and stats["goldstein_sum"] == 5.3


def test_a_recoding_retracts_the_events_it_no_longer_produces_everywhere() -> None:
    old = [make_event("a", code="042"), make_event("a", code="190", source="CHN", target="USA", quad=4)]
    new = [make_event("a", code="043", version="rule-2")]
    tables: dict[str, dict] = {}
    ledger, updates = tallies.ledger_update(None, tallies.article_cells(old))
    apply_all(updates, tables)
    ledger, updates = tallies.ledger_update(ledger, tallies.article_cells(new))
    apply_all(updates, tables)
    assert tallies.day_stats(date(2022, 9, 19), tables["dyad"]["CHN|USA|2022-09-19"])["events"] == 0
    rus_chn = tables["dyad"]["RUS|CHN|2022-09-19"]["events"]
    assert [entry["code"] for entry in rus_chn.values()] == ["043"]
    assert tallies.timeline(tables["actor"]["USA"]) == []
    # a later redelivery of the old coding's retractions is harmless, and the event may come back
    ledger, updates = tallies.ledger_update(ledger, tallies.article_cells(old))
    apply_all(updates, tables)
    assert sorted(e["code"] for e in tables["dyad"]["RUS|CHN|2022-09-19"]["events"].values()) == ["042"]
    assert tallies.day_stats(date(2022, 9, 19), tables["dyad"]["CHN|USA|2022-09-19"])["events"] == 1


def test_an_actor_timeline_keeps_the_latest_events() -> None:
    events = [make_event(f"a{n}", day=date(2022, 9, n)) for n in (3, 1, 2)]
    tables: dict[str, dict] = {}
    for event in events:
        apply_all(tallies.ledger_update(None, tallies.article_cells([event]))[1], tables)
    latest = [entry["date"] for entry in tallies.timeline(tables["actor"]["RUS"])]
    assert latest == ["2022-09-03", "2022-09-02"]
