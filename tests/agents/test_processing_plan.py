"""What one coded article writes is measured before anything is sent (issue 12)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from agentkit import make_event

from schemas import CleanArticle, RawArticle
from streams.adapters import ledger_parts, processing
from streams.errors import DL_EMIT, DL_TOO_MANY_EVENTS


@dataclass
class Outcome:
    clean: CleanArticle
    events: list


def outcome(article_id: str, n: int, text: str = "They met.") -> Outcome:
    clean = CleanArticle(article_id=article_id, title="T", paragraphs=[text], text=text)
    events = [make_event(article_id, day=date(2000, 1, 1) + timedelta(days=i)) for i in range(n)]
    return Outcome(clean, events)


def test_an_ordinary_article_plans_clean_events_and_one_ledger_record():
    raw = RawArticle(id="a")
    records = processing.plan(raw, outcome("a", 3))
    assert [role for role, _, _ in records] == ["clean", "events", "events", "events", "ledger"]


def test_many_events_go_to_the_ledger_in_bounded_parts():
    raw = RawArticle(id="a")
    records = processing.plan(raw, outcome("a", 600))
    ledger = [value for role, _, value in records if role == "ledger"]
    assert len(ledger) > 1 and all(ledger_parts.size(v) <= ledger_parts.PART_BYTES + 8192 for v in ledger)
    assert sum(len(v["events"]) for v in ledger) == 600


def test_too_many_events_is_a_dead_letter_code():
    with pytest.raises(processing.Unsendable) as caught:
        processing.plan(RawArticle(id="a"), outcome("a", ledger_parts.MAX_EVENTS + 1))
    assert caught.value.code == DL_TOO_MANY_EVENTS


def test_a_record_larger_than_the_broker_takes_is_a_dead_letter_code():
    with pytest.raises(processing.Unsendable) as caught:
        processing.plan(RawArticle(id="a"), outcome("a", 1, text="é" * 500_000))
    assert caught.value.code == DL_EMIT


def test_a_large_key_is_replaced_by_its_hash():
    assert processing.bounded_key(b"k") == b"k"
    assert processing.bounded_key(None) is None
    big = processing.bounded_key(b"K" * 100_000)
    assert big is not None and big.startswith(b"sha256:") and len(big) == 71
