"""Attacks whose text names no author or no victim, and the places things happen in.

:func:`is_locative` and :func:`locations` say where a sentence puts an act;
:func:`unknown_attacker` supplies the implied perpetrator of an attack nobody is named
for, :func:`place_target` the place an attack with no named victim was aimed at, and
:func:`bombing_code` CAMEO's 183x when a bomb was the means.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from schemas.events import Actor
from streams.core.actor_index import ActorIndex
from streams.core.dyads import subject_tokens
from streams.core.mentions import ActorMention

# Nouns naming an attack or its means, not who carried it out ("a roadside bombing
# killed …", "killed by an improvised explosive device").
ATTACK_NOUNS = frozenset(
    {
        "attack",
        "ambush",
        "bomb",
        "bombing",
        "blast",
        "explosion",
        "device",
        "explosive",
        "ied",
        "grenade",
        "mine",
        "landmine",
        "rocket",
        "missile",
        "mortar",
        "shell",
        "shelling",
        "gunfire",
        "airstrike",
        "crossfire",
    }
)


BOMB_NOUNS = frozenset({"bomb", "bombing", "blast", "explosion", "device", "explosive", "ied"})


def _attack_noun(tok: Token) -> bool:
    return tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in ATTACK_NOUNS


# Violent verbs that name a deliberate act by themselves; "kill", "wound" or "die" may be
# an accident ("killed when a tram derailed") unless an attack is named as the means.
DELIBERATE_VERBS = frozenset(
    {
        "attack",
        "assault",
        "assassinate",
        "murder",
        "shoot",
        "gun",
        "stab",
        "behead",
        "bomb",
        "shell",
        "ambush",
        "abduct",
        "kidnap",
        "massacre",
        "execute",
        "torture",
        "storm",
        "raid",
    }
)


# The dependency path from a place up to the verb stays inside the verb's own phrase:
# objects, prepositional phrases of place and their modifiers — no other clause.
_PHRASE_DEPS = frozenset({"pobj", "prep", "compound", "amod", "nmod", "appos", "dobj", "npadvmod", "agent"})


_PHRASE_PREPS = frozenset(
    {"in", "at", "near", "outside", "inside", "across", "throughout", "of", "on", "into", "against", "by"}
)


def _in_phrase(tok: Token, verb: Token, *, subject: bool) -> bool:
    """Whether ``tok`` hangs from ``verb`` through its own phrase (``subject``: the
    subject's phrase counts too: "a bombing *near Samarra* killed …")."""
    t = tok
    for _ in range(12):
        if t.head.i == t.i:
            return False
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.i == verb.i:
            return subject
        if t.dep_ not in _PHRASE_DEPS or (t.dep_ in ("prep", "agent") and t.lower_ not in _PHRASE_PREPS):
            return False
        t = t.head
        if t.i == verb.i:
            return True
    return False


def _phrase_location(verb: Token, index: ActorIndex, *, subject: bool) -> tuple[int, str, str, Span] | None:
    for start, country, place in index.locations(verb.sent):
        span = index.doc.char_span(start, start + len(place), alignment_mode="expand")
        if span is not None and _in_phrase(span.root, verb, subject=subject):
            return start, country, place, span
    return None


def _means(verb: Token) -> list[Token]:
    """What a violent act was done with or by: its subject and ``by``/``in`` phrases."""
    out = [c for c in verb.children if c.dep_ == "nsubj"]
    for c in verb.children:
        if c.dep_ in ("agent", "prep") and c.lower_ in ("by", "in"):
            out.extend(p for p in c.children if p.dep_ == "pobj")
    return out


def unknown_attacker(verb: Token, index: ActorIndex) -> ActorMention | None:
    """The unidentified perpetrator of an attack whose text names no one: an agentless
    passive of a deliberate act ("was assassinated in Beirut"; "killed in a car bomb
    explosion in Beirut") or an attack as the subject ("a roadside bombing near Samarra
    killed …"). Placed in the country of the place the verb's own phrase names (the
    PLOVER gold's convention), marked as implied; None when the phrase says nowhere, when
    the victim is itself a weapon ("the missile was fired from Sunan") or when nothing
    says the act was an attack ("killed when a tram derailed near London")."""
    if not index.countries:
        return None
    subj, passive = subject_tokens(verb)
    victims = [c for c in verb.children if c.dep_ == "nsubjpass"]
    if subj and not all(_attack_noun(s) for s in subj):
        return None
    if not subj and not (passive or victims):
        return None
    if any(_attack_noun(v) for v in victims):
        return None  # a weapon launched, not a victim attacked
    if verb.lemma_.lower() not in DELIBERATE_VERBS and not any(_attack_noun(m) for m in _means(verb)):
        return None
    found = _phrase_location(verb, index, subject=True)
    if found is None:
        return None
    _, country, place, _span = found
    anchor = subj[0] if subj else verb
    text = f"unidentified perpetrator in {place} (implied)"
    return ActorMention(
        start=anchor.idx,
        end=anchor.idx + len(anchor.text),
        text=text,
        actor=Actor(text=text, code=country, country=country),
        token_start=anchor.i,
        token_end=anchor.i + 1,
        how="implied",
    )


def bombing_code(verb: Token) -> str | None:
    """CAMEO 183x when a bomb is the means of the act (subject, ``by`` agent or ``in``
    phrase of the verb): 1831 suicide, 1832 car, 1833 roadside, else 183."""
    cands = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    for c in verb.children:
        if c.dep_ in ("agent", "prep") and c.lower_ in ("by", "in"):
            cands.extend(p for p in c.children if p.dep_ == "pobj")
    for c in cands:
        mods = {m.lower_ for m in c.children if m.dep_ in ("compound", "amod")}
        mods |= {m.lower_ for x in c.children if x.dep_ in ("compound", "amod") for m in x.children}
        if c.dep_ == "nsubjpass" or not ({c.lemma_.lower()} | mods) & BOMB_NOUNS:
            continue  # neither a bomb nor a bomb attack ("killed in a bomb attack")
        if "suicide" in mods:
            return "1831"
        if mods & {"car", "truck", "vehicle"}:
            return "1832"
        if "roadside" in mods:
            return "1833"
        return "183"
    return None


def place_target(verb: Token, index: ActorIndex) -> ActorMention | None:
    """The place an attack with no named victim was aimed at, when the verb's own phrase
    says where ("fired shells at targets in Khan Yunis"; not the subject's phrase, "police
    in Seattle", nor another clause): coded as the place's country (the CAMEO convention
    for attacks on a location), marked as implied."""
    if not index.countries:
        return None
    found = _phrase_location(verb, index, subject=False)
    if found is None:
        return None
    _, country, place, span = found
    text = f"{place} (implied: where the attack took place)"
    return ActorMention(
        start=span.start_char,
        end=span.end_char,
        text=text,
        actor=Actor(text=text, code=country, country=country),
        token_start=span.start,
        token_end=span.end,
        how="implied",
    )
