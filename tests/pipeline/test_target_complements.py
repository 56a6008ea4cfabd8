"""Targets named in complements (coder 0.9.2), read by the real model and codebook on
sentences written for wirewatch: a place inside the object's phrase does not beat the party
named after it, and a bare "UK" is the United Kingdom."""

from __future__ import annotations

from readkit import codings


def test_talks_in_a_capital_with_a_named_party_face_the_party(coder):
    sentence = (
        "Russian Foreign Minister Sergei Lavrov held talks in Tehran with Saudi Arabia's foreign minister."
    )
    found = dyads(coder, sentence)
    targets = {t for _, t in found}
    assert targets and all(t and t.startswith("SAU") for t in targets), found


def dyads(coder, sentence: str):
    return {(source, target) for _, source, target in codings(coder, sentence)}


def test_talks_in_a_capital_alone_keep_the_place(coder):
    found = dyads(coder, "Russian Foreign Minister Sergei Lavrov held talks in Tehran.")
    assert {t for _, t in found} == {"IRN"}, found


def test_a_bare_uk_is_the_united_kingdom(coder):
    found = dyads(coder, "France refused to lift the ban on UK beef.")
    assert ("FRA", "GBR") in found, found
