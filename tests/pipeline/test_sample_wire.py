"""The bundled sample wire through the real coder: what `make run` will show.

The sample exists to demonstrate the product, so this pins what it must
demonstrate: the seed byte for byte, a story reported by two outlets that
de-duplicates into one canonical event, a conflict story, a non-English article
that is not coded, HTML artefacts that do not reach the events, and alerts from
the example rules file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas import RawArticle
from schemas.canonical import CanonicalEvent
from streams.adapters.alerting import load_rules
from streams.adapters.nlp import load_coder
from streams.core import alerts, dedup

pytestmark = pytest.mark.pipeline

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "streams" / "sample" / "sample-wire.jsonl"


@pytest.fixture(scope="module")
def outcomes():  # type: ignore[no-untyped-def]
    raws = [RawArticle.model_validate_json(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    return {o.raw.id: o for o in load_coder().process_batch(raws)}


def test_sample_is_the_seed_plus_five_of_our_own(outcomes) -> None:  # type: ignore[no-untyped-def]
    assert len(outcomes) == 6
    seed = outcomes["sample-seed-russia-china"].raw
    assert (
        seed.body.encode("utf-8") == (ROOT / "tests" / "data" / "seed" / "wire-russia-china.txt").read_bytes()
    )
    assert seed.source == "Al Jazeera" and seed.published_at.isoformat() == "2022-09-20T00:00:00+00:00"


def test_french_article_is_not_coded(outcomes) -> None:  # type: ignore[no-untyped-def]
    french = outcomes["sample-lettre-france-allemagne"]
    assert french.clean.codable is False and french.events == []


def test_html_artefacts_are_cleaned(outcomes) -> None:  # type: ignore[no-untyped-def]
    html = outcomes["sample-bosphorus-turkey-ukraine-grain"]
    assert "<p>" not in html.clean.text and "&#39;" not in html.clean.text and "&nbsp;" not in html.clean.text
    assert html.events, "the Turkey-Ukraine article is coded"
    assert all("<" not in e.evidence[0].text for e in html.events)


def test_conflict_story_is_coded_as_conflict(outcomes) -> None:  # type: ignore[no-untyped-def]
    border = outcomes["sample-caspian-armenia-azerbaijan-border"].events
    dyads = {
        frozenset({dedup.actor_key(e.source), dedup.actor_key(e.target)})
        for e in border
        if e.cameo.quad_class >= 3
    }
    assert frozenset({"ARM", "AZE"}) in dyads


def test_two_outlets_fold_into_one_story(outcomes) -> None:  # type: ignore[no-untyped-def]
    stories: dict[str, CanonicalEvent] = {}
    for outcome in outcomes.values():
        for event in outcome.events:
            key = dedup.story_key(event, window_hours=72)
            stories[key] = dedup.merge(stories.get(key), event, window_hours=72)
    multi = [s for s in stories.values() if len(s.sources) >= 2]
    assert any({"Meridian Wire", "Harbour Post"} <= set(s.sources) for s in multi), [
        (s.story_key, s.sources) for s in stories.values()
    ]
    assert all(s.mention_count == len(s.article_ids) for s in stories.values())


def test_example_rules_alert_on_the_sample(outcomes) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    rules = load_rules(ROOT / "deploy" / "alerts.example.yaml")
    events = [e for o in outcomes.values() for e in o.events]
    fired = [a for e in events for a in alerts.evaluate_watch(rules.watch_rules, e, now=datetime.now(UTC))]
    names = {a.rule for a in fired}
    assert "russia-china-contact" in names and "caucasus-border-conflict" in names
