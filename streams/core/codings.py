"""Every coded reading of every sentence of an article, before events are built.

For every sentence not silenced by a discard phrase, every verb and event noun is read
(:mod:`streams.core.triggers`); reporting frames ("Al Jazeera reports that …") are not
events, statements (CAMEO 01) only count when nothing better is coded and they name a
target, and only the shallowest coded clause of a sentence is kept.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from schemas.events import Modality
from streams.core.actor_index import ActorIndex
from streams.core.coding import Coding
from streams.core.mentions import ActorMention, Mentions
from streams.core.relevance import admissible
from streams.core.senses import needs_parties, needs_pattern
from streams.core.triggers import actor_key, nominal_codings, verb_codings

if TYPE_CHECKING:
    from streams.codebook import Codebook

# Only the shallowest coded clause of a sentence becomes an event: subordinate
# clauses ("… to help defend Saudi Arabia if it is attacked") mostly add noise.
MAIN_EVENTS_ONLY = True


REPORT_VERBS = frozenset(
    {
        "say",
        "tell",
        "announce",
        "report",
        "declare",
        "state",
        "add",
        "confirm",
        "claim",
        "insist",
        "reiterate",
        "note",
        "quote",
        "reveal",
        "indicate",
        "stress",
        "warn",
    }
)


def _clause_head(tok: Token) -> Token:
    t = tok
    for _ in range(20):
        if t.pos_ in ("VERB", "AUX") or t.head.i == t.i:
            return t
        t = t.head
    return t


def _governor(tok: Token) -> Token:
    """The verb an xcomp chain hangs from ("agreed to expand" → agreed)."""
    t = tok
    while t.dep_ == "xcomp" and t.head.i != t.i:
        t = t.head
    return t


def _depth(tok: Token) -> int:
    """Clause depth of a trigger: xcomp chains ("agreed to expand") and reporting
    frames ("said that …") do not count, so the main event of a sentence is at 0."""
    d = 0
    t = tok
    for _ in range(20):
        if t.head.i == t.i:
            break
        head = t.head
        if t.dep_ not in ("xcomp", "acomp", "aux") and not (
            t.dep_ == "ccomp" and head.lemma_.lower() in REPORT_VERBS
        ):
            d += 1
        t = head
    return d


def find_codings(
    doc: Doc,
    mentions: Mentions,
    *,
    codebook: Codebook,
    main_only: bool = MAIN_EVENTS_ONLY,
    readings: bool = True,
) -> list[Coding]:
    """Every coded reading of every sentence, unmerged (also used by the PETRARCH evaluation).

    ``readings=False`` and ``main_only=False`` give PETRARCH-2's own conventions: every
    coded clause, and no recoding of future/negated/intended acts into CAMEO's intent,
    threat, refusal and demand codes (which the CAMEO manual asks for and PETRARCH-2's
    validation suite does not expect).
    """
    index = ActorIndex(
        doc,
        mentions.actors,
        codebook.agents,
        places=mentions.places if readings else (),
        countries=mentions.countries if readings else (),
    )
    discards = codebook.discards
    if discards.discards_story(doc.text):
        return []
    out: list[Coding] = []
    acts: list[Coding] = []  # earlier acts a later "the action", "the launch" refers to
    discard_spans = discards.sentence_matches(doc.text)
    for sent in doc.sents:
        # A discard phrase ("years ago", "World War II", a sports cup) silences the clause
        # it stands in, not a whole sentence whose main event merely mentions the past.
        silenced = set()
        for a, b in discard_spans:
            if sent.start_char <= a < sent.end_char:
                span = doc.char_span(a, b, alignment_mode="expand")
                if span is not None:
                    silenced.add(_clause_head(span.root).i)
        codings: list[Coding] = []
        for tok in sent:
            if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.dep_ in ("ROOT", "conj", "ccomp")):
                codings.extend(verb_codings(tok, sent, index, codebook, readings))
            elif tok.pos_ in ("NOUN", "PROPN"):
                codings.extend(nominal_codings(tok, sent, index))
        # An outlet reporting is a frame, not an event ("Al Jazeera reports that …").
        # In the stream an outlet never acts (datelines such as "AFP North Korea fired …"
        # make it a subject); PETRARCH's suite codes media acting, so there only the
        # reporting frame is silenced.
        codings = [
            c for c in codings if not (_is_media(c.source) and (readings or _reporting(doc[c.trigger])))
        ]
        if silenced:
            codings = [
                c
                for c in codings
                if _clause_head(doc[c.trigger]).i not in silenced
                and _governor(doc[c.trigger]).i not in silenced
            ]
        if readings:
            codings = [
                c for c in codings if admissible(c.code[:2], c.source, c.target, reliable=_reliable(c))
            ]
        if readings:
            # "would be classed as marketing if parties telephoned": not an act that happened
            codings = [c for c in codings if c.modality is not Modality.HYPOTHETICAL]
        substantive = [c for c in codings if not c.code.startswith("01")]
        if substantive:
            codings = substantive
        else:
            codings = [c for c in codings if c.target is not None]
        if main_only and codings:
            top = min(_depth(doc[c.trigger]) for c in codings)
            codings = [c for c in codings if _depth(doc[c.trigger]) == top]
        if readings:
            codings = [_act_target(c, acts) for c in codings]
            acts.extend(c for c in codings if c.code[:2] in _ACT_ROOTS)
        out.extend(codings)
    return out


# Acts a reaction can refer back to, and the nouns it refers to them by.
_ACT_ROOTS = frozenset({"13", "15", "16", "17", "18", "19", "20"})
_ACT_NOUNS = frozenset(
    {
        "action",
        "launch",
        "test",
        "attack",
        "move",
        "decision",
        "strike",
        "provocation",
        "bombing",
        "killing",
        "shooting",
        "invasion",
        "aggression",
        "act",
        "incident",
        "violation",
        "raid",
        "firing",
    }
)
_REACTION_ROOTS = frozenset({"02", "10", "11", "12", "13"})


def _act_target(c: Coding, acts: list[Coding]) -> Coding:
    """ "China condemned the action", "the UN denounced the launch": a reaction with no named
    target whose object is a definite act noun faces the author of the last act reported
    before it (the CAMEO convention of coding the reaction against the actor)."""
    if c.target is not None or c.code[:2] not in _REACTION_ROOTS or not acts:
        return c
    verb = c.sentence.doc[c.trigger]
    objects = [o for o in verb.children if o.dep_ in ("dobj", "pobj", "nsubjpass")]
    objects += [g for p in verb.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"]
    if not any(
        o.lemma_.lower() in _ACT_NOUNS and any(d.lower_ in ("the", "this", "that", "its") for d in o.children)
        for o in objects
    ):
        return c
    for earlier in reversed(acts[-6:]):
        author = earlier.source
        if author.how != "implied" and actor_key(author) != actor_key(c.source):
            return replace(c, target=author)
    return c


def _reliable(c: Coding) -> bool:
    """A reading that says what happened by itself: a pattern or intent frame, or the default
    code of a verb whose sense needs no context ("condemned", "rejected", "invaded")."""
    if c.how in ("pattern", "intent"):
        return True
    verb = c.sentence.doc[c.trigger]
    return c.how == "verb" and not (needs_pattern(verb) or needs_parties(verb))


def _reporting(tok: Token) -> bool:
    return tok.lemma_.lower() in REPORT_VERBS or tok.lemma_.lower() in (
        "quote",
        "cite",
        "write",
        "broadcast",
        "publish",
    )


def _is_media(m: ActorMention) -> bool:
    sector = (m.actor.sector or "").upper()
    code = (m.actor.code or "").upper()
    return sector.startswith("MED") or code.endswith("MED")
