"""Who did it to whom: source and target actors from the dependency parse.

The source is the verb's subject (the ``by`` agent of a passive), inherited
through ``xcomp``/``conj`` chains ("agreed to expand", "praised … and said"); the
target is the object, the dative, or the object of a preposition, looked for in the
verb's phrase and then inside its direct object ("restore ties *with Gondor*",
"support *for Moscow's* interests"). A noun phrase names the actor it contains:
the mention on its head, else one on a compound/possessive/adjective/appositive or
an ``of``/``from``/``in`` phrase ("soldiers from Gondor"). Coordinated actors
("A and B agreed") give one dyad per actor; with no other target they face each
other. Pronouns take the nearest earlier actor; "both sides" the last pair seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from streams.core.actor_index import (
    ActorIndex,
    actor_code,
    agent_only,
    coordinated,
    np_actors,
    overlap,
    unique_mentions,
)
from streams.core.mentions import ActorMention

_TARGET_PREPS = (
    "with",
    "to",
    "against",
    "on",
    "for",
    "toward",
    "towards",
    "from",
    "into",
    "at",
    "over",
    "about",
    "between",
    "by",
    "of",
    "in",
)
# Prepositions that say where or when, not to whom: tried last for a target.
_LOCATIVE_PREPS = frozenset(
    # ("on" is not among them: "opened fire on protesters", "sanctions on Russia" name a target)
    {"in", "at", "near", "along", "during", "inside", "outside", "throughout", "across"}
)


# Passive forms that describe the subject's own stance ("is opposed to", "is committed to").
STATIVE_PASSIVES = frozenset({"oppose", "commit", "determine", "dedicate", "devote", "engage"})


@dataclass(frozen=True)
class Dyad:
    source: ActorMention
    target: ActorMention | None
    reversed_: bool = False  # the reverse reading of a symmetric dyad


def subject_tokens(verb: Token) -> tuple[list[Token], bool]:
    """(subject heads, passive?) of ``verb``, climbing xcomp/conj/acomp chains."""
    t = verb
    for _ in range(6):
        subs = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subs:
            passive = any(c.dep_ == "nsubjpass" for c in subs)
            if passive:
                agents = [p for c in t.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
                if not agents and t.lemma_.lower() in STATIVE_PASSIVES:
                    return subs, False  # "Israel is opposed to …": the subject acts
                return agents, True
            return subs, False
        if t.dep_ == "relcl":
            return [t.head], False
        if t.dep_ == "acl" and t.head.dep_ in ("dobj", "pobj") and t.head.head.pos_ in ("VERB", "AUX"):
            # "issued a declaration demanding …": the issuer demands
            t = t.head.head
            continue
        if t.dep_ == "xcomp":
            # object control: "urged Eriador to respond" — Eriador responds
            objs = [c for c in t.head.children if c.dep_ in ("dobj",)]
            if objs and t.head.lemma_.lower() not in ("promise",):
                return objs, False
        if t.dep_ in ("xcomp", "conj", "acomp", "advcl", "ccomp") and t.head.i != t.i:
            t = t.head
            continue
        break
    return [], False


def _target_tokens(verb: Token) -> list[Token]:
    """Candidate target heads, best first: objects, the object's own phrases ("an attack
    *by* X", "ties *with* Y"), the verb's non-locative phrases, then locative ones."""
    out: list[Token] = []
    children = list(verb.children)
    out.extend(c for c in children if c.dep_ == "nsubjpass")
    objs = [c for c in children if c.dep_ in ("dobj", "dative", "iobj", "attr", "oprd")]
    out.extend(objs)
    for obj in [c for c in objs if c.dep_ == "dobj"]:
        for p in obj.children:
            if p.dep_ == "prep" and p.lower_ not in _LOCATIVE_PREPS:
                out.extend(c for c in p.children if c.dep_ == "pobj")
        for c in obj.children:
            if c.dep_ == "acl":
                # "expressed hopes that Osgiliath could be drawn in", "an accord to supply Gondor"
                out.extend(x for x in c.children if x.dep_ in ("dobj", "nsubj", "nsubjpass"))
    preps = [c for c in children if c.dep_ == "prep"]

    def rank(c: Token) -> tuple[bool, int]:
        return c.lower_ in _LOCATIVE_PREPS, _TARGET_PREPS.index(c.lower_) if c.lower_ in _TARGET_PREPS else 99

    for p in sorted(preps, key=rank):
        if p.lower_ in _LOCATIVE_PREPS:
            continue
        out.extend(c for c in p.children if c.dep_ == "pobj")
    for x in [c for c in children if c.dep_ in ("xcomp", "ccomp")]:
        out.extend(c for c in x.children if c.dep_ in ("dobj", "nsubj", "nsubjpass"))
        for p in x.children:
            if p.dep_ == "prep" and p.lower_ not in _LOCATIVE_PREPS:
                out.extend(c for c in p.children if c.dep_ == "pobj")
    for x in [c for c in children if c.dep_ == "advcl" and any(m.lower_ == "to" for m in c.children)]:
        # a purpose clause: "signed an accord to supply Gondor", "to protest against Sweden's decision"
        out.extend(c for c in x.children if c.dep_ in ("dobj", "dative"))
        for p in x.children:
            if p.dep_ == "prep" and p.lower_ not in _LOCATIVE_PREPS:
                out.extend(c for c in p.children if c.dep_ == "pobj")
    for x in [
        c for c in children if c.dep_ == "advcl" and any(m.lower_ in ("if", "unless") for m in c.children)
    ]:
        # a condition names who is being pressed: "… unless Israel rescinded its annexation"
        out.extend(c for c in x.children if c.dep_ in ("nsubj", "nsubjpass"))
    for p in sorted(preps, key=rank):
        if p.lower_ in _LOCATIVE_PREPS:
            out.extend(c for c in p.children if c.dep_ == "pobj")
    return out


_NO_DESCEND = frozenset(
    {
        "conj",
        "cc",
        "ccomp",
        "advcl",
        "relcl",
        "parataxis",
        "punct",
        "mark",
        "nsubj",
        "nsubjpass",
        "csubj",
        "aux",
        "neg",
    }
)


def _deep_target(verb: Token, index: ActorIndex, sources: list[ActorMention]) -> list[ActorMention]:
    """Breadth-first down the verb's own phrase: "considers bolstering ties *with China*"."""
    frontier = [c for c in verb.children if c.dep_ not in _NO_DESCEND and c.i > verb.i]
    for _ in range(5):
        nxt: list[Token] = []
        for tok in frontier:
            m = index.at(tok)
            if (
                m is not None
                and m not in sources
                and tok.dep_
                in (
                    "pobj",
                    "dobj",
                    "poss",
                    "compound",
                    "dative",
                    "attr",
                    "oprd",
                    "appos",
                    "conj",
                    "nmod",
                    "amod",
                )
            ):
                found = [a for a in np_actors(tok, index) if a not in sources]
                return found or [m]
            nxt.extend(c for c in tok.children if c.dep_ not in _NO_DESCEND and c.dep_ != "relcl")
        frontier = nxt
        if not frontier:
            break
    return []


def _weak_in_object(m: ActorMention, obj: Token, index: ActorIndex) -> bool:
    """A mention inside an object's phrase that only says where the act happened ("held
    talks *in Bishkek* with Modi"): not the target while the sentence names another."""
    if obj.dep_ not in ("dobj", "nsubjpass"):
        return False
    x = index.doc[m.token_start : m.token_end].root
    while x.i != obj.i and x.head.i != x.i:
        if x.dep_ == "pobj" and x.head.lower_ in _LOCATIVE_PREPS:
            return True
        x = x.head
    return False


def _locative_slot(tok: Token, verb: Token) -> bool:
    """ "in Beirut" of "was killed in Beirut": where the verb happened, not to whom."""
    return tok.dep_ == "pobj" and tok.head.lower_ in _LOCATIVE_PREPS and tok.head.head.i == verb.i


def _agent_target(
    cands: Sequence[Token], index: ActorIndex, sources: list[ActorMention]
) -> list[ActorMention]:
    """An unnamed agent as the target ("disperse demonstrators"), with the country the
    context gives it; a bare "---" agent only where the article names no country at all
    (elsewhere it would block the implied domestic target and say less than it)."""
    for t in cands:
        found = agent_only(t, index, strict=True)
        placed = found is not None and (found.actor.country or not index.countries)
        if found is not None and placed and not any(overlap(found, s) for s in sources):
            return [found]
    return []


def _uncoded(m: ActorMention) -> bool:
    return m.how == "entity" and not m.actor.code


def find_dyads(
    verb: Token,
    index: ActorIndex,
    *,
    target_slot: Token | None = None,
    source_slot: Token | None = None,
    symmetric: bool = True,
    implied_source: ActorMention | None = None,
) -> list[Dyad]:
    """Dyads of a verb. ``symmetric``: coordinated subjects with no other target face
    each other ("A and B agreed"), as CAMEO codes agreements and meetings.
    ``implied_source``: the source when the text names none (:func:`unknown_attacker`)."""
    subj_toks, _passive = subject_tokens(verb)
    sources: list[ActorMention] = []
    if source_slot is not None and index.at(source_slot) is not None:
        sources = [index.at(source_slot)]  # type: ignore[list-item]
    else:
        for s in subj_toks:
            sources.extend(np_actors(s, index))
            sources.extend(coordinated(s, index, sources))
    sources = unique_mentions(sources)
    if not sources:
        sources = [m for m in (agent_only(s, index) for s in subj_toks) if m is not None]
    if not sources and implied_source is not None:
        sources = [implied_source]
    if not sources:
        return []
    targets: list[ActorMention] = []
    if target_slot is not None and index.at(target_slot) is not None:
        targets = np_actors(target_slot, index) or [index.at(target_slot)]  # type: ignore[list-item]
    else:
        fallback: list[ActorMention] = []
        uncoded: list[ActorMention] = []
        cands = _target_tokens(verb)
        where_only = False  # the target found is only where the verb happened ("in Beirut")
        fallback_where = False
        weak_only: list[ActorMention] = []
        for t in cands:
            found = [
                m for m in np_actors(t, index) if m not in sources and not any(overlap(m, s) for s in sources)
            ]
            weak = [m for m in found if _weak_in_object(m, t, index)]
            if weak:
                # "held talks in Bishkek with Modi": the place is kept only if no party follows
                found = [m for m in found if m not in weak]
                weak_only = weak_only or weak
            other = [m for m in found if actor_code(m) not in {actor_code(s) for s in sources}]
            if other and all(_uncoded(m) for m in other):
                # a person or body no dictionary knows ("Paul Nitze", "UCF"): a target only
                # when no coded actor follows ("to the U.S.", "in central Iran")
                uncoded = uncoded or other
                continue
            if other:
                targets = other
                where_only = _locative_slot(t, verb)
                break
            if found and not fallback:
                fallback = found  # same code as the source: a domestic event, kept if nothing better
                fallback_where = _locative_slot(t, verb)
        if not targets:
            deep = [m for m in _deep_target(verb, index, sources) if m not in weak_only]
            other = [m for m in deep if actor_code(m) not in {actor_code(s) for s in sources}]
            coded = [m for m in other if not _uncoded(m)]
            targets = coded or uncoded or other or fallback or deep or weak_only
            where_only = (
                not coded
                and not uncoded
                and not other
                and ((bool(fallback) and fallback_where) or (not fallback and not deep and bool(weak_only)))
            )
        if (not targets or where_only) and not (symmetric and len(sources) >= 2):
            # an unnamed agent in a target position ("to disperse demonstrators", "demands
            # from Shona rebels", the victim of "a journalist was killed in Beirut"), placed
            # by context; it beats the place the verb happened in, not a named actor
            agents = _agent_target([t for t in cands if not _locative_slot(t, verb)], index, sources)
            targets = agents or targets
    targets = unique_mentions(targets)
    dyads: list[Dyad] = []
    if targets:
        for s in sources:
            for t in targets:
                if s is not t and not overlap(s, t):
                    dyads.append(Dyad(s, t))
        return dyads
    if len(sources) >= 2 and symmetric:
        # "A and B agreed …": they face each other, both ways.
        a, b = sources[0], sources[1]
        index.note_pair(verb.i, a, b)
        for s in sources:
            for t in sources:
                if s is not t and actor_code(s) != actor_code(t):
                    dyads.append(Dyad(s, t))
        return dyads
    return [Dyad(s, None) for s in sources]


def _governing_subjects(tok: Token, index: ActorIndex) -> list[ActorMention]:
    t = tok
    for _ in range(6):
        if t.head.i == t.i:
            break
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            subs, _ = subject_tokens(t)
            found: list[ActorMention] = []
            for s in subs:
                found.extend(np_actors(s, index))
            if found:
                return found
    return []


def nominal_dyads(noun: Token, index: ActorIndex) -> list[Dyad]:
    """Participants of a meeting-like noun: "meeting with B", "talks between A and B", "A's visit to B"."""
    inner: list[ActorMention] = []
    partner: list[ActorMention] = []
    for p in noun.children:
        if p.dep_ == "prep" and p.lower_ in ("between", "among"):
            for o in p.children:
                if o.dep_ == "pobj":
                    inner.extend(np_actors(o, index))
        elif p.dep_ == "prep" and p.lower_ in ("with", "to"):
            for o in p.children:
                if o.dep_ == "pobj":
                    partner.extend(np_actors(o, index))
        elif p.dep_ in ("poss", "compound", "amod"):
            inner.extend(np_actors(p, index))
    inner = unique_mentions(inner)
    partner = unique_mentions(partner)
    if len(inner) >= 2 and not partner:
        a, b = inner[0], inner[1]
        index.note_pair(noun.i, a, b)
        return [Dyad(a, b), Dyad(b, a, True)] if actor_code(a) != actor_code(b) else []
    sources = inner or _governing_subjects(noun, index)
    if not sources or not partner:
        return []
    out: list[Dyad] = []
    for s in sources:
        for t in partner:
            if actor_code(s) != actor_code(t):
                out.append(Dyad(s, t))
                out.append(Dyad(t, s, True))
                index.note_pair(noun.i, s, t)
    return out
