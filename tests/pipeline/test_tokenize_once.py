"""The pipeline tokenizes once: the parse continues from the story gate's Doc, with the events
that parsing the clean text from scratch gives (the sample wire and the seed, batched and one by one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.adapters.nlp import load_coder
from streams.commands.bench.corpus import load_articles
from streams.core.pipeline import _code, _gate

pytestmark = pytest.mark.pipeline

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def raws():
    paths = [ROOT / "streams" / "sample" / "sample-wire.jsonl", ROOT / "tests" / "data" / "seed"]
    return [raw for p in paths for raw in load_articles(p, None)]


def _from_scratch(coder, outcome):
    """What the article gives when its clean text is parsed from the string, as before."""
    if _gate(outcome.clean, coder.nlp, coder.codebook) is None:
        return []
    return _code(coder.nlp(outcome.clean.text), outcome.clean, coder.codebook, None, {})


def test_same_events_as_parsing_the_text(raws) -> None:
    coder = load_coder()
    batched = coder.process_batch(raws, batch_size=4)
    assert sum(len(o.events) for o in batched) > 10
    for outcome in batched:
        expected = [e.model_dump_json() for e in _from_scratch(coder, outcome)]
        assert [e.model_dump_json() for e in outcome.events] == expected, outcome.raw.id
        single = coder.process(outcome.raw)
        assert [e.model_dump_json() for e in single.events] == expected, outcome.raw.id
        assert "gate" in outcome.timings
