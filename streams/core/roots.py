"""CAMEO codes read in context: what a verb's code becomes given who acts and on what.

A verb's dictionary code does not know its arguments. Irregular forces killing is 18x,
state forces 19x (:func:`violence_kind`); a weapons test, a launch or an exercise is a show
of force, 150 (:func:`show_of_force`); a summons is what it was for (:func:`purpose_code`);
violence done with words and a refusal to comment are no events (:func:`figurative`); a
broadcaster a speaker talks on is no target (:func:`without_channel`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Token

from streams.core.actor_index import ActorIndex, np_actors
from streams.core.dyads import subject_tokens
from streams.core.readings import REFUSE_HEADS
from streams.core.verbmatch import match_verb

if TYPE_CHECKING:
    from streams.codebook import Codebook
    from streams.core.coding import Coding


_IRREGULAR_SECTORS = ("REB", "INS", "UAF", "TER", "IMG", "SEP")


_IRREGULAR_WORDS = ("guerrilla", "militant", "bomber", "insurgent", "militia", "terrorist", "gunmen", "rebel")


def violence_kind(code: str, verb: Token, index: ActorIndex) -> str:
    """CAMEO 18 (unconventional violence) when irregular forces act, 19 (conventional
    military force) when a state's forces do: a verb's default "kill"/"attack" code
    does not know who pulled the trigger."""
    if code not in ("180", "190"):
        return code
    subj, _ = subject_tokens(verb)
    sources = [m for s in subj for m in np_actors(s, index)]
    if not sources:
        return code
    m = sources[0]
    actor_code = (m.actor.code or "").upper()
    irregular = any(sec in actor_code[3:] or actor_code.startswith(sec) for sec in _IRREGULAR_SECTORS) or any(
        w in m.text.lower() for w in _IRREGULAR_WORDS
    )
    if irregular:
        return "180"
    if "MIL" in actor_code or "COP" in actor_code:
        return "190"
    return code


# Weapons that are tested or launched, and acts that test or show them.
_WEAPON_TESTS = frozenset(
    {
        "missile",
        "rocket",
        "projectile",
        "icbm",
        "slbm",
        "test",
        "satellite",
        "warhead",
        "bomb",
        "device",
        "drill",
        "exercise",
        "maneuver",
        "manoeuvre",
        "launch",
    }
)


_SHOW_VERBS = frozenset(
    {"fire", "launch", "test", "conduct", "detonate", "carry", "stage", "hold", "explode"}
)


# Prepositions that aim a weapon at someone: then it is an attack ("fired rockets at Israel");
# not at the sea or the sky ("launched a missile into the sea").
_AIMED = frozenset({"at", "on", "against", "into"})


_OPEN_SPACE = frozenset({"sea", "water", "waters", "ocean", "air", "sky", "space", "orbit", "zone"})


def show_of_force(code: str, verb: Token) -> str | None:
    """A weapons test, a launch or an exercise is a show of force (CAMEO 150, PLOVER
    MOBILIZE), not an attack: "North Korea fired a missile over Japan", "conducted a
    nuclear test", "staged military drills". Aimed at someone ("fired rockets at Israeli
    towns", "launched missiles into Syria"), it stays an attack."""
    if verb.lemma_.lower() not in _SHOW_VERBS:
        return None
    objects = [c.lemma_.lower() for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    tests = [o for o in objects if o in ("test", "drill", "exercise", "maneuver", "manoeuvre")]
    weapons = verb.lemma_.lower() in ("fire", "launch", "test", "detonate") and any(
        o in _WEAPON_TESTS for o in objects
    )
    if not tests and not weapons:
        return None
    aimed = any(
        c.dep_ == "prep"
        and c.lower_ in _AIMED
        and any(
            g.dep_ == "pobj"
            and g.pos_ in ("PROPN", "NOUN")
            and g.ent_type_ not in ("DATE", "TIME")
            and g.lemma_.lower() not in _OPEN_SPACE
            for g in c.children
        )
        for c in verb.children
    )
    return None if aimed and not tests else "150"


# What a metaphorical bombardment or attack is made of: "bombarded him with requests".
_WORDS_AS_WEAPONS = frozenset(
    {
        "question",
        "request",
        "call",
        "criticism",
        "message",
        "email",
        "letter",
        "complaint",
        "demand",
        "accusation",
        "insult",
        "claim",
        "praise",
        "tweet",
        "comment",
        "word",
        "argument",
        "barrage",
    }
)


# Refusing these is declining to comment (CAMEO 011, a statement), not a rejection.
_COMMENT_VERBS = frozenset(
    {"comment", "confirm", "say", "discuss", "elaborate", "speculate", "answer", "disclose"}
)


def figurative(c: Coding, verb: Token) -> bool:
    """Readings the words themselves undo: violence done with words ("bombarded Lammy with
    a barrage of requests"), and a refusal to comment (a statement, CAMEO 011)."""
    if c.code[:2] in ("18", "19", "20"):
        means = [g for p in verb.children if p.dep_ == "prep" and p.lower_ == "with" for g in p.children]
        means += [
            g for m in means for p in m.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children
        ]
        if any(m.lemma_.lower() in _WORDS_AS_WEAPONS for m in means):
            return True
    if c.code[:2] == "12" and (
        any(x.dep_ == "xcomp" and x.lemma_.lower() in _COMMENT_VERBS for x in verb.children)
        or (
            verb.lemma_.lower() in _COMMENT_VERBS
            and verb.dep_ == "xcomp"
            and verb.head.lemma_.lower() in REFUSE_HEADS
        )
    ):
        return True
    return False


def without_channel(c: Coding) -> Coding:
    """A broadcaster a speaker talks on is no target ("criticised the plans on BBC Radio 4");
    "told the BBC", with the outlet as the object, keeps it."""
    code = c.target.actor.code or "" if c.target is not None else ""
    if c.target is None or not (c.target.actor.sector == "MED" or code.endswith("MED")):
        return c
    head = c.sentence.doc[c.target.token_start : c.target.token_end].root
    while head.dep_ in ("compound", "nmod", "amod", "poss") and head.head.i != head.i:
        head = head.head  # "BBC" in "on BBC Radio 4"
    if head.dep_ == "pobj" and head.head.lower_ in ("on", "in", "to", "via", "through"):
        return replace(c, target=None)
    return c


# Verbs whose act is its purpose: "summoned the ambassador to complain about" is a complaint.
_PURPOSE_FRAMED = frozenset({"summon", "convene", "call"})


def purpose_code(verb: Token, code: str, index: ActorIndex, codebook: Codebook) -> str:
    """The code of a purpose clause that says what a summons was for, when it is verbal
    conflict (11) or protest (14): "summoned the Chinese ambassador to complain" (111)."""
    if verb.lemma_.lower() not in _PURPOSE_FRAMED:
        return code
    for c in verb.children:
        if c.dep_ in ("advcl", "xcomp") and any(m.lower_ == "to" for m in c.children) and c.pos_ == "VERB":
            purpose = match_verb(c, codebook.verbs, index.is_actor)
            if purpose is not None and purpose.code and purpose.code[:2] in ("11", "14"):
                return purpose.code
    return code
