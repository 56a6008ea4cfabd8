"""Verb senses (streams.core.senses) on hand-built parses: when a verb's default reading holds."""

from __future__ import annotations

from hand_parsed import hand_parsed

from streams.core.senses import (
    generic_present,
    habitual,
    naming,
    needs_parties,
    needs_pattern,
    transitive_other_sense,
)

FIELDS = ("word", "lemma", "pos", "tag", "head", "dep")


def doc(*sentences):
    return hand_parsed(sentences, FIELDS)


# They called it a sad day.
CALLED_IT = [
    ("They", "they", "PRON", "PRP", 1, "nsubj"),
    ("called", "call", "VERB", "VBD", 1, "ROOT"),
    ("it", "it", "PRON", "PRP", 4, "nsubj"),
    ("a", "a", "DET", "DT", 4, "det"),
    ("sad", "sad", "ADJ", "JJ", 4, "amod"),
    ("day", "day", "NOUN", "NN", 1, "ccomp"),
    (".", ".", "PUNCT", ".", 1, "punct"),
]
# The minister called the envoy.
CALLED_ENVOY = [
    ("The", "the", "DET", "DT", 1, "det"),
    ("minister", "minister", "NOUN", "NN", 2, "nsubj"),
    ("called", "call", "VERB", "VBD", 2, "ROOT"),
    ("the", "the", "DET", "DT", 4, "det"),
    ("envoy", "envoy", "NOUN", "NN", 2, "dobj"),
    (".", ".", "PUNCT", ".", 2, "punct"),
]
# The attack demonstrated the power.
DEMONSTRATED_POWER = [
    ("The", "the", "DET", "DT", 1, "det"),
    ("attack", "attack", "NOUN", "NN", 2, "nsubj"),
    ("demonstrated", "demonstrate", "VERB", "VBD", 2, "ROOT"),
    ("the", "the", "DET", "DT", 4, "det"),
    ("power", "power", "NOUN", "NN", 2, "dobj"),
    (".", ".", "PUNCT", ".", 2, "punct"),
]
# Students demonstrated.
STUDENTS_DEMONSTRATED = [
    ("Students", "student", "NOUN", "NNS", 1, "nsubj"),
    ("demonstrated", "demonstrate", "VERB", "VBD", 1, "ROOT"),
    (".", ".", "PUNCT", ".", 1, "punct"),
]
# The ministry typically reacts with anger.
TYPICALLY_REACTS = [
    ("The", "the", "DET", "DT", 1, "det"),
    ("ministry", "ministry", "NOUN", "NN", 3, "nsubj"),
    ("typically", "typically", "ADV", "RB", 3, "advmod"),
    ("reacts", "react", "VERB", "VBZ", 3, "ROOT"),
    ("with", "with", "ADP", "IN", 3, "prep"),
    ("anger", "anger", "NOUN", "NN", 4, "pobj"),
    (".", ".", "PUNCT", ".", 3, "punct"),
]
# Police patrol the streets.
POLICE_PATROL = [
    ("Police", "police", "NOUN", "NNS", 1, "nsubj"),
    ("patrol", "patrol", "VERB", "VBP", 1, "ROOT"),
    ("the", "the", "DET", "DT", 3, "det"),
    ("streets", "street", "NOUN", "NNS", 1, "dobj"),
    (".", ".", "PUNCT", ".", 1, "punct"),
]


def test_common_verbs_need_a_pattern_and_verbs_of_interaction_need_parties():
    d = doc(CALLED_ENVOY)
    assert needs_parties(d[2]) and not needs_pattern(d[2])
    assert needs_pattern(doc(CALLED_IT)[1]) is False  # "call" is not a pattern-only verb
    assert not needs_pattern(doc(STUDENTS_DEMONSTRATED)[1])


def test_naming_is_not_an_act_between_parties():
    assert naming(doc(CALLED_IT)[1])
    assert not naming(doc(CALLED_ENVOY)[2])


def test_demonstrate_with_an_object_shows_rather_than_protests():
    assert transitive_other_sense(doc(DEMONSTRATED_POWER)[2])
    assert not transitive_other_sense(doc(STUDENTS_DEMONSTRATED)[1])


def test_habitual_statements_are_not_events():
    assert habitual(doc(TYPICALLY_REACTS)[3])
    assert not habitual(doc(CALLED_ENVOY)[2])


def test_a_bare_present_after_the_lead_is_generic_but_the_lead_may_be_a_headline():
    lead_first = doc(POLICE_PATROL, CALLED_ENVOY)
    assert not generic_present(lead_first[1])  # the lead: headline style
    later = doc(CALLED_ENVOY, POLICE_PATROL)
    assert generic_present(later[len(CALLED_ENVOY) + 1])
    assert not generic_present(later[2])  # past tense
