"""Verb senses (streams.core.senses) on hand-built parses: when a verb's default reading holds."""

from __future__ import annotations

from hand_parsed import hand_parsed

from streams.core.senses import (
    asked_question,
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


ENT_FIELDS = ("word", "lemma", "pos", "tag", "head", "dep", "ent")
# Police patrol the streets on Dec. 31, 2016.  (an agency caption)
CAPTION_DATED = [
    ("Police", "police", "NOUN", "NNS", 1, "nsubj", "O"),
    ("patrol", "patrol", "VERB", "VBP", 1, "ROOT", "O"),
    ("the", "the", "DET", "DT", 3, "det", "O"),
    ("streets", "street", "NOUN", "NNS", 1, "dobj", "O"),
    ("on", "on", "ADP", "IN", 1, "prep", "O"),
    ("Dec.", "dec.", "PROPN", "NNP", 4, "pobj", "B-DATE"),
    ("31", "31", "NUM", "CD", 5, "nummod", "I-DATE"),
    (",", ",", "PUNCT", ",", 5, "punct", "I-DATE"),
    ("2016", "2016", "NUM", "CD", 5, "nummod", "I-DATE"),
    (".", ".", "PUNCT", ".", 1, "punct", "O"),
]
# Police patrol the streets on Tuesday.  (a scheduled act)
PATROL_TUESDAY = [
    ("Police", "police", "NOUN", "NNS", 1, "nsubj", "O"),
    ("patrol", "patrol", "VERB", "VBP", 1, "ROOT", "O"),
    ("the", "the", "DET", "DT", 3, "det", "O"),
    ("streets", "street", "NOUN", "NNS", 1, "dobj", "O"),
    ("on", "on", "ADP", "IN", 1, "prep", "O"),
    ("Tuesday", "tuesday", "PROPN", "NNP", 4, "pobj", "B-DATE"),
    (".", ".", "PUNCT", ".", 1, "punct", "O"),
]
LEAD = [(w, lem, pos, tag, head, dep, "O") for (w, lem, pos, tag, head, dep) in CALLED_ENVOY]


def test_a_caption_dated_with_its_year_is_generic_but_a_weekday_dates_an_act():
    caption = hand_parsed([LEAD, CAPTION_DATED], ENT_FIELDS)
    assert generic_present(caption[len(LEAD) + 1])
    scheduled = hand_parsed([LEAD, PATROL_TUESDAY], ENT_FIELDS)
    assert not generic_present(scheduled[len(LEAD) + 1])


# Asked about the deal, the spokesman said nothing.
ASKED_ABOUT = [
    ("Asked", "ask", "VERB", "VBN", 5, "advcl"),
    ("about", "about", "ADP", "IN", 0, "prep"),
    ("the", "the", "DET", "DT", 3, "det"),
    ("deal", "deal", "NOUN", "NN", 1, "pobj"),
    (",", ",", "PUNCT", ",", 5, "punct"),
    ("said", "say", "VERB", "VBD", 5, "ROOT"),
    ("nothing", "nothing", "PRON", "NN", 5, "dobj"),
    (".", ".", "PUNCT", ".", 5, "punct"),
]
# The president asked Congress to act.
ASKED_CONGRESS = [
    ("The", "the", "DET", "DT", 1, "det"),
    ("president", "president", "NOUN", "NN", 2, "nsubj"),
    ("asked", "ask", "VERB", "VBD", 2, "ROOT"),
    ("Congress", "congress", "PROPN", "NNP", 2, "dobj"),
    ("to", "to", "PART", "TO", 5, "aux"),
    ("act", "act", "VERB", "VB", 2, "xcomp"),
    (".", ".", "PUNCT", ".", 2, "punct"),
]


def test_a_reporters_question_to_the_speaker_is_no_appeal():
    assert asked_question(doc(ASKED_ABOUT)[0])
    assert not asked_question(doc(ASKED_CONGRESS)[2])


# The commission is likely to demand action.
LIKELY_TO_DEMAND = [
    ("The", "the", "DET", "DT", 1, "det"),
    ("commission", "commission", "NOUN", "NN", 2, "nsubj"),
    ("is", "be", "AUX", "VBZ", 2, "ROOT"),
    ("likely", "likely", "ADJ", "JJ", 2, "acomp"),
    ("to", "to", "PART", "TO", 5, "aux"),
    ("demand", "demand", "VERB", "VB", 3, "xcomp"),
    ("action", "action", "NOUN", "NN", 5, "dobj"),
    (".", ".", "PUNCT", ".", 2, "punct"),
]
# The commission is ready to demand action.
READY_TO_DEMAND = [
    (w if w != "likely" else "ready", lem if lem != "likely" else "ready", *rest)
    for (w, lem, *rest) in LIKELY_TO_DEMAND
]


def test_a_forecast_is_hypothetical_but_readiness_is_not():
    from schemas.events import Modality
    from streams.core.readings import modality_of

    assert modality_of(doc(LIKELY_TO_DEMAND)[5]) is Modality.HYPOTHETICAL
    assert modality_of(doc(READY_TO_DEMAND)[5]) is Modality.ASSERTED
