"""Extract's rules on hand-built parses (no model): what each layer does with a given tree.

The trees are what en_core_web_sm gives for these sentences, written out by hand, so a
rule can be checked without loading the model; tests/pipeline/ checks the same on the
model's own parses.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from codebooks import make_codebook
from spacy.lang.en import English
from spacy.tokens import Doc

from streams.codebook.actors import ActorDictionary, parse_actor_lines
from streams.codebook.agents import AgentDictionary, parse_agent_lines
from streams.codebook.places import Gazetteer, Place
from streams.core.extract import extract
from streams.core.quotes import quote_spans

ACTORS = """\
RUSSIA [RUS]
+RUSSIAN
+MOSCOW
CHINA [CHN]
+CHINESE
+BEIJING
AL_JAZEERA [MED]
UN_SECURITY_COUNCIL [IGOUNO]
+SECURITY_COUNCIL
VLADIMIR_PUTIN
+PUTIN
\t[RUSELI 700101-990809]
\t[RUSGOV >080508]
"""
AGENTS = """\
GOVERNMENT [~GOV]
SECURITY_COUNCIL {} [~GOV]
PRESIDENT [~GOV]
"""

# (word, head, dep, pos, tag, lemma, ent IOB) — one tuple per token, heads absolute
SENTENCES = [
    # Nikolai Patrushev, secretary of Russia's national Security Council, met Guo Shengkun.
    [
        ("Nikolai", 1, "compound", "PROPN", "NNP", "Nikolai", "B-PERSON"),
        ("Patrushev", 11, "nsubj", "PROPN", "NNP", "Patrushev", "I-PERSON"),
        (",", 1, "punct", "PUNCT", ",", ",", "O"),
        ("secretary", 1, "appos", "NOUN", "NN", "secretary", "O"),
        ("of", 3, "prep", "ADP", "IN", "of", "O"),
        ("Russia", 9, "poss", "PROPN", "NNP", "Russia", "B-GPE"),
        ("'s", 5, "case", "PART", "POS", "'s", "O"),
        ("national", 9, "amod", "ADJ", "JJ", "national", "B-ORG"),
        ("Security", 9, "compound", "PROPN", "NNP", "Security", "I-ORG"),
        ("Council", 4, "pobj", "PROPN", "NNP", "Council", "I-ORG"),
        (",", 1, "punct", "PUNCT", ",", ",", "O"),
        ("met", 11, "ROOT", "VERB", "VBD", "meet", "O"),
        ("Guo", 13, "compound", "PROPN", "NNP", "Guo", "B-PERSON"),
        ("Shengkun", 11, "dobj", "PROPN", "NNP", "Shengkun", "I-PERSON"),
        (".", 11, "punct", "PUNCT", ".", ".", "O"),
    ],
    # Patrushev said that “our countries must show greater readiness.”
    [
        ("Patrushev", 1, "nsubj", "PROPN", "NNP", "Patrushev", "B-PERSON"),
        ("said", 1, "ROOT", "VERB", "VBD", "say", "O"),
        ("that", 7, "mark", "SCONJ", "IN", "that", "O"),
        ("\u201c", 7, "punct", "PUNCT", "``", "\u201c", "O"),
        ("our", 5, "poss", "PRON", "PRP$", "our", "O"),
        ("countries", 7, "nsubj", "NOUN", "NNS", "country", "O"),
        ("must", 7, "aux", "AUX", "MD", "must", "O"),
        ("show", 1, "ccomp", "VERB", "VB", "show", "O"),
        ("greater", 9, "amod", "ADJ", "JJR", "great", "O"),
        ("readiness", 7, "dobj", "NOUN", "NN", "readiness", "O"),
        (".", 1, "punct", "PUNCT", ".", ".", "O"),
        ("\u201d", 1, "punct", "PUNCT", "''", "\u201d", "O"),
    ],
    # Al Jazeera reports that the Chinese government met Russian President Vladimir Putin on Monday.
    [
        ("Al", 1, "compound", "PROPN", "NNP", "Al", "B-ORG"),
        ("Jazeera", 2, "nsubj", "PROPN", "NNP", "Jazeera", "I-ORG"),
        ("reports", 2, "ROOT", "VERB", "VBZ", "report", "O"),
        ("that", 7, "mark", "SCONJ", "IN", "that", "O"),
        ("the", 6, "det", "DET", "DT", "the", "O"),
        ("Chinese", 6, "amod", "ADJ", "JJ", "chinese", "B-NORP"),
        ("government", 7, "nsubj", "NOUN", "NN", "government", "O"),
        ("met", 2, "ccomp", "VERB", "VBD", "meet", "O"),
        ("Russian", 9, "amod", "ADJ", "JJ", "russian", "B-NORP"),
        ("President", 11, "compound", "PROPN", "NNP", "President", "O"),
        ("Vladimir", 11, "compound", "PROPN", "NNP", "Vladimir", "B-PERSON"),
        ("Putin", 7, "dobj", "PROPN", "NNP", "Putin", "I-PERSON"),
        ("on", 7, "prep", "ADP", "IN", "on", "O"),
        ("Monday", 12, "pobj", "PROPN", "NNP", "Monday", "B-DATE"),
        (".", 2, "punct", "PUNCT", ".", ".", "O"),
    ],
]


def build_doc() -> Doc:
    words, heads, deps, pos, tags, lemmas, ents, spaces = [], [], [], [], [], [], [], []
    offset = 0
    for sent in SENTENCES:
        for i, (w, h, d, p, t, lem, e) in enumerate(sent):
            words.append(w)
            heads.append(h + offset)
            deps.append(d)
            pos.append(p)
            tags.append(t)
            lemmas.append(lem)
            ents.append(e)
            nxt = sent[i + 1][0] if i + 1 < len(sent) else None
            no_space = nxt in (",", ".", "'s", "\u201d") or w == "\u201c" or (nxt is None and False)
            spaces.append(not no_space)
        offset += len(sent)
    return Doc(
        English().vocab,
        words=words,
        spaces=spaces,
        heads=heads,
        deps=deps,
        pos=pos,
        tags=tags,
        lemmas=lemmas,
        ents=ents,
    )


@pytest.fixture(scope="module")
def codebook():
    countries = [
        Place(n, iso, None, None, i, 1, "country")
        for i, (n, iso) in enumerate([("Russia", "RUS"), ("China", "CHN")])
    ]
    return make_codebook(
        actors=ActorDictionary(parse_actor_lines(ACTORS.splitlines())),
        agents=AgentDictionary(parse_agent_lines(AGENTS.splitlines())),
        nationalities={"RUSSIAN": "RUS", "CHINESE": "CHN"},
        places=Gazetteer([(p.name, p, True) for p in countries], {"RU": "RUS", "CN": "CHN"}),
    )


@pytest.fixture(scope="module")
def mentions(codebook):
    return extract(build_doc(), codebook=codebook, published_at=datetime(2022, 9, 20, tzinfo=UTC))


def by_text(mentions):
    return {a.text: (a.actor.code, a.how) for a in mentions.actors}


def test_apposition_resolves_an_unknown_person(mentions):
    assert by_text(mentions)["Nikolai Patrushev"] == ("RUSGOV", "context")


def test_role_phrase_beats_the_bare_dictionary(mentions):
    # "Security Council" alone is the UN's; "Russia's national Security Council" is Russia's
    assert by_text(mentions)["Russia's national Security Council"] == ("RUSGOV", "agent")
    assert not any(a.actor.code == "IGOUNO" for a in mentions.actors)


def test_surname_coreference(mentions):
    assert by_text(mentions)["Patrushev"] == ("RUSGOV", "coreference")


def test_unknown_person_without_context_is_an_uncoded_entity(mentions):
    # a party to events (span and text), but with no code and no country: never political alone
    assert by_text(mentions)["Guo Shengkun"] == (None, "entity")


def test_outlet_is_dropped_and_nationality_agent_phrase_kept(mentions):
    texts = by_text(mentions)
    assert "Al Jazeera" not in texts
    assert texts["Chinese government"] == ("CHNGOV", "nationality")


def test_title_folded_into_a_known_person(mentions):
    putin = by_text(mentions)["Russian President Vladimir Putin"]
    assert putin == ("RUSGOV", "dictionary")
    mention = next(a for a in mentions.actors if a.text.endswith("Putin"))
    assert mention.actor.country == "RUS" and mention.actor.sector == "GOV"
    assert mention.actor.name == "VLADIMIR_PUTIN"


def test_quote_speaker_from_the_reporting_verb(mentions):
    assert len(mentions.quotes) == 1
    q = mentions.quotes[0]
    assert q.text == "our countries must show greater readiness."
    assert q.speaker_text == "Patrushev" and q.speaker.actor.code == "RUSGOV"


def test_dates_and_countries(mentions):
    assert [(d.text, d.value) for d in mentions.dates] == [("Monday", date(2022, 9, 19))]
    assert mentions.countries[:2] == ("RUS", "CHN")


def test_offsets(mentions):
    doc_text = build_doc().text
    for m in (*mentions.actors, *mentions.quotes, *mentions.dates):
        assert doc_text[m.start : m.end] == m.text


def test_quote_spans():
    text = 'He said “we will act now” and called it “balanced”. She said "this is not over yet" today.'
    spans = quote_spans(text)
    assert [text[a:b] for a, b in spans] == ["we will act now", "this is not over yet"]  # no scare quotes


def test_short_dictionary_words_must_be_acronyms():
    from streams.core.actor_context import _case_fits

    doc = English()("the Un Certain Regard jury and the UN and Xi")
    assert not _case_fits(doc[0:2])  # "the Un"
    assert _case_fits(doc[6:8])  # "the UN"
    assert not _case_fits(doc[9:10])  # "Xi" not tagged as a person
    doc.ents = [doc.char_span(doc.text.index("Xi"), len(doc.text), label="PERSON")]
    assert _case_fits(doc[9:10])


def test_dictionary_names_must_be_capitalised():
    from streams.core.actor_context import _case_fits

    doc = English()("a male athlete flew to Male")
    assert not _case_fits(doc[1:2])
    assert _case_fits(doc[5:6])
