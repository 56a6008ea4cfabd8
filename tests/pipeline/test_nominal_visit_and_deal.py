"""A nominal visit's host hosts (043), and "deal with" is handling, not cooperation (coder
0.9.5), by the real model and codebook on sentences written for wirewatch."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.articles import RawArticle
from streams.adapters.nlp import load_coder

LEAD = "The foreign ministers met in Geneva on Monday, officials said.\n\n"


@pytest.fixture(scope="module")
def coder():
    return load_coder()


def codings(coder, sentence: str):
    raw = RawArticle(
        id="nominal",
        source="test",
        url="https://example.org/n",
        published_at=datetime(2016, 7, 15, tzinfo=UTC),
        title="Ministers meet over the crisis",
        body=LEAD + sentence,
    )
    return {
        (e.cameo.code, e.source.code if e.source else None, e.target.code if e.target else None)
        for e in coder.process(raw).events
        if e.evidence[0].text.startswith(sentence[:30])
    }


def test_the_host_of_a_nominal_visit_hosts(coder):
    found = codings(coder, "The Japanese prime minister's visit to China began with a banquet.")
    assert ("042", "JPNGOV", "CHN") in found, found
    assert ("043", "CHN", "JPNGOV") in found, found
    assert ("042", "CHN", "JPNGOV") not in found


def test_dealing_with_claims_is_no_cooperation(coder):
    assert (
        codings(coder, "The minister dealt with claims that the government had misled Parliament.") == set()
    )
