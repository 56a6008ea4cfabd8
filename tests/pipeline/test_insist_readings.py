""" "Insisted" states a view unless it demands an act (coder 0.9.3), read by the real model on
sentences written for wirewatch."""

from __future__ import annotations

import pytest

from streams.adapters.nlp import load_coder
from streams.core.senses import statement_not_demand


@pytest.fixture(scope="module")
def nlp():
    return load_coder().nlp


def insist(nlp, sentence: str):
    return next(t for t in nlp(sentence) if t.lemma_.lower() == "insist")


@pytest.mark.parametrize(
    "sentence",
    [
        "The minister insisted the talks had been a success.",
        "The talks would resume next week, the spokesman insisted.",
        'The president insisted: "We have nothing to hide."',
    ],
)
def test_a_claim_is_not_a_demand(nlp, sentence):
    assert statement_not_demand(insist(nlp, sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "The minister insisted on the release of the prisoners.",
        "The minister insisted that Iran must release the prisoners.",
        "The minister insisted it was time for Iran to release the prisoners.",
        "The minister insisted that Iran needs to release the prisoners.",
    ],
)
def test_insisting_on_an_act_is_a_demand(nlp, sentence):
    assert not statement_not_demand(insist(nlp, sentence))
