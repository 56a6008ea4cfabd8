"""Stories that a story-level discard phrase rules out skip spaCy, with the same (empty) result.

``classify`` returns no event for a story whose text holds a story-level discard
phrase (PETRARCH's ``+`` discards: sports, entertainment ...), so the pipeline
does not parse such a story at all. These tests pin both halves: the skip
happens, and coding the parsed story the long way finds nothing either.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.articles import RawArticle
from streams.adapters.nlp import load_coder
from streams.core.classify import classify
from streams.core.clean import clean_article
from streams.core.extract import extract
from streams.core.pipeline import CODER_VERSION

pytestmark = pytest.mark.pipeline

WHEN = datetime(2022, 9, 20, tzinfo=UTC)
NEWS = (
    "Nikolai Patrushev, secretary of Russia's Security Council, met Guo Shengkun, a senior official "
    "of China's Communist Party, in Nanping on Monday. "
    "Russia and China agreed to expand security cooperation."
)
SPORT = "Later, Manchester United beat Chelsea in the Champions League."


def _raw(article_id: str, body: str) -> RawArticle:
    return RawArticle(
        id=article_id, title="Russia and China agree to expand security ties", body=body, published_at=WHEN
    )


@pytest.fixture(scope="module")
def coder():
    return load_coder()


def test_discarded_story_is_not_parsed_and_codes_nothing(coder) -> None:
    raw = _raw("skip-sport", f"{NEWS}\n\n{SPORT}")
    outcome = coder.process(raw)
    assert outcome.events == []
    assert "parse" not in outcome.timings, "spaCy ran on a story that cannot hold an event"
    # the long way: parse, extract and classify it anyway; classify must find nothing as well
    clean = clean_article(raw)
    doc = coder.nlp(clean.text)
    mentions = extract(doc, codebook=coder.codebook, published_at=clean.published_at)
    assert classify(doc, mentions, codebook=coder.codebook, clean=clean, coder_version=CODER_VERSION) == []


def test_batch_skips_only_the_discarded_story(coder) -> None:
    sport, news = _raw("skip-sport", f"{NEWS}\n\n{SPORT}"), _raw("keep-news", NEWS)
    skipped, coded = coder.process_batch([sport, news], batch_size=2)
    assert skipped.events == [] and "parse" not in skipped.timings
    assert "parse" in coded.timings
    assert coded.events, "the same story without the sports sentence is coded"
    assert [e.event_id for e in coded.events] == [e.event_id for e in coder.process(news).events]
