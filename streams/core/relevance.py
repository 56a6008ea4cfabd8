"""Whether there is political action to code: the actors' side of the relevance gate.

A coded reading becomes an event only when it involves a political actor — a state, its
government or forces, a party, an IGO or NGO, an armed group, or a collective acting
politically (CAMEO's actor definition; PETRARCH-2 defaulted to ``require_dyad`` for the
same reason) — and names its target unless its type is complete without one. Companies,
products, clubs, hospitals and private people do not make an event by themselves.

Pure functions of actor codes and roots; the parse-level tests (which mention is only a
place, which verb sense is meant) live in :mod:`streams.core.senses`.
"""

from __future__ import annotations

from collections.abc import Iterable

from streams.core.mentions import ActorMention

# Sectors that make an actor political by themselves (CAMEO/Phoenix agent codes).
POLITICAL_SECTORS = frozenset(
    {
        "GOV",  # government
        "MIL",  # military
        "COP",  # police
        "JUD",  # judiciary
        "LEG",  # legislature
        "SPY",  # intelligence
        "PTY",  # political party
        "OPP",  # opposition, dissidents, activists
        "REB",  # rebels
        "INS",  # insurgents
        "SEP",  # separatists
        "UAF",  # unidentified armed forces
        "ELI",  # elites, former office-holders
        "HRI",  # human-rights bodies
        "RAD",  # radicals
        "IGO",
        "NGO",
        "NGM",
        "IMG",  # international militarised group
        "PRS",  # prisoners (of the state)
    }
)
# Collectives that act politically when they protest, demand, reject or threaten, and
# that are political targets of violence and repression (civilians, workers, students).
COLLECTIVE_SECTORS = frozenset({"CVL", "LAB", "EDU", "REL", "REF", "PPL", "AGR", "MUS", "CHR", "JEW"})
CRIMINAL_SECTORS = frozenset({"CRM"})
# Roots whose acting side may be a collective: demand, disapprove, reject, threaten, protest.
COLLECTIVE_ROOTS = frozenset({"10", "11", "12", "13", "14"})
# Types complete without a target: a concession or retreat ("lifted the curfew",
# "withdrew its troops"), an investigation, a protest (aimed at its own government when
# unnamed, see classify's domestic targets), a show of force, repression ("imposed a
# curfew"); and violence, whose victims may go unnamed.
TARGETLESS_ROOTS = frozenset({"08", "09", "14", "15", "17"})
VIOLENT_ROOTS = frozenset({"18", "19", "20"})
_MEETING_ROOTS = frozenset({"04"})
_COOPERATIVE_ROOTS = frozenset({"03", "04", "05", "06", "07"})
_COLLECTIVE_TARGETLESS = frozenset({"10", "12", "14"})
# Domestic events with no named target (CAMEO's convention; classify adds the implied
# target): dissent by non-state actors faces their government, repression by the state
# its civilians.
DISSENT_ROOTS = frozenset({"10", "14"})
REPRESSION_ROOTS = frozenset({"13", "17"})
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "PRS"})


def sectors(code: str | None) -> list[str]:
    """The 3-letter parts of an actor code: ``USAGOVMIL`` → [USA, GOV, MIL];
    ``NGOUSAHRI`` → [NGO, USA, HRI]; ``---COP`` → [---, COP]."""
    if not code:
        return []
    return [code[k : k + 3].upper() for k in range(0, len(code) - len(code) % 3, 3)]


def _parts(m: ActorMention) -> list[str]:
    return sectors(m.actor.code) or ([m.actor.country] if m.actor.country else [])


def is_state(m: ActorMention) -> bool:
    """A country with no sector (a state named by its name, its capital, or its people;
    ``SCGSRB``, Serbia within Serbia and Montenegro, is one too)."""
    return m.actor.country is not None and not m.actor.sector


def kind(m: ActorMention | None) -> str:
    """``political`` | ``collective`` | ``criminal`` | ``state`` | ``other`` | ``none``."""
    if m is None:
        return "none"
    parts = _parts(m)
    if any(p in POLITICAL_SECTORS for p in parts):
        return "political"
    if is_state(m):
        return "other" if m.how == "modifier" else "state"
    if any(p in CRIMINAL_SECTORS for p in parts):
        return "criminal"
    if any(p in COLLECTIVE_SECTORS for p in parts):
        # a group (workers, students, residents); one private person is not a collective
        return "collective" if _group(m.text) else "other"
    return "other"


def state_actor(m: ActorMention) -> bool:
    """An organ of a state: its government, forces, police, courts, legislature."""
    return (m.actor.sector or "") in STATE_SECTORS


_GROUP_WORDS = frozenset(
    {
        "people",
        "staff",
        "crowd",
        "mob",
        "public",
        "youth",
        "workforce",
        "police",
        "union",
        "movement",
        "group",
        "association",
        "federation",
        "council",
        "committee",
        "front",
        "community",
        "minority",
    }
)


def _group(text: str) -> bool:
    last = text.lower().rstrip(" .,'’").split()[-1:] or [""]
    word = last[0]
    return word in _GROUP_WORDS or (word.endswith("s") and not word.endswith("ss"))


def is_political(m: ActorMention | None) -> bool:
    return kind(m) in ("political", "state")


def _norm(text: str) -> str:
    words = text.lower().replace("’s", "").replace("'s", "").split()
    return " ".join(w for w in words if w not in ("the", "a", "an"))


def self_dyad(source: ActorMention, target: ActorMention | None, root: str = "") -> bool:
    """One party on both sides: the same person, body or state (not merely the same code:
    "the White House defended Trump" is USAGOV on both sides and an event), or, for
    meetings and visits, a state and an organ of that same state ("Hollande returned to
    Paris" is no visit)."""
    if target is None:
        return False
    a, b = source.actor, target.actor
    if a.name and a.name == b.name:
        return True  # one person
    same_state = is_state(source) and is_state(target) and a.country == b.country
    if _norm(source.text) == _norm(target.text) or (same_state and root in _COOPERATIVE_ROOTS):
        return source.how != "implied" and target.how != "implied"  # one body, one state
    if a.country and a.country == b.country and root in _MEETING_ROOTS:
        # a state meeting or visiting itself: "Hollande returned to Paris" is no visit (domestic
        # events keep their place: "lifted the curfew in Darfur", "a curfew in Algiers")
        return (is_state(source) and source.how != "implied") or (
            is_state(target) and target.how != "implied"
        )
    return False


def admissible(
    root: str, source: ActorMention, target: ActorMention | None, *, reliable: bool = False
) -> bool:
    """Whether a reading of this root between these actors is a political event.

    Violence counts when it has an author (political, criminal, collective or implied) and
    a victim or place; the other roots need a political actor on one side, a collective
    may act only in the roots of dissent, and a target unless the root is complete
    without one or a named political actor acts by a ``reliable`` reading (a pattern of
    the dictionary, or a verb whose sense needs no context: :mod:`streams.core.senses`).
    """
    src, tgt = kind(source), kind(target)
    if self_dyad(source, target, root):
        return False
    if root in VIOLENT_ROOTS:
        # an author and a victim or a place; or a named armed author by a deliberate act
        # ("militiamen attacked the camp, killing 156 people")
        return src != "other" and (
            tgt != "none"
            or source.how == "implied"
            or (reliable and src in ("political", "state", "criminal") and source.how != "entity")
        )
    if target is None:
        if root in DISSENT_ROOTS and not state_actor(source):
            return src in ("political", "state", "collective")  # aimed at its own government
        if root in REPRESSION_ROOTS and state_actor(source):
            return True  # aimed at its civilians
        if src == "collective":
            # workers, students, residents: "will not end the strike", "demanded pay rises"
            return root in _COLLECTIVE_TARGETLESS
        if src not in ("political", "state"):
            return False
        if root in TARGETLESS_ROOTS:
            return True  # "police opened an investigation", "lifted the curfew"
        # a named political actor doing what a reliable reading says ("China agreed to lift
        # the ban", "Baghdad rejected the referendum"), when the text names no recipient
        # (not a meeting: one party alone meets no one)
        return reliable and source.how not in ("generic", "entity")
    if src in ("political", "state"):
        return True
    if src == "collective":
        return root in COLLECTIVE_ROOTS or tgt in ("political", "state")
    # a company, an analyst, a hospital, a club: not a political actor, whoever the target —
    # except when it takes a state or its organs to court or accuses them (11)
    if source.how in ("entity", "modifier"):
        return False
    # ... and aid delivered by whoever delivers it ("Swiss doctors handed over medicine")
    return (root == "11" and tgt in ("political", "state")) or (root == "07" and bool(source.actor.sector))


def any_political(mentions: Iterable[ActorMention]) -> bool:
    return any(is_political(m) for m in mentions)
